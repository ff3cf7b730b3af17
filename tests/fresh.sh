#!/bin/sh
# make check-fresh: the Debian packages on a fresh Debian.
#
# debootstrap makes a minimal system of this machine's release from the
# mirror its apt already uses; apt installs the packages there (so their
# dependencies are resolved for real); the installed bindwatch tells the
# localhost:3000 story in a private network namespace and watches a 32-bit
# program; purging the packages must leave the file system as it was.
# Everything runs in a private mount namespace: the mounts go with it.
#
#	sh tests/fresh.sh BUILD		(root; the .deb files in BUILD/deb)
set -eu

B=$(cd "${1:-build}" && pwd)
R=$B/fresh/root
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() {
	_what=$1
	shift
	if "$@"; then ok "$_what"; else no "$_what"; fi
}
# jq's verdict on the JSON Lines of a run (slurped), without its output.
jqt() { jq -e -s "$@" >/dev/null; }
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LC_ALL=C.UTF-8 "$@"; }

# The first Debian mirror apt knows (deb822 or one-line form).
mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] && sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$f"
	done | grep -v -e security -e updates | head -1 | grep . ||
	    sed -n 's/^deb[[:space:]]\{1,\}\(http[^[:space:]]*\).*/\1/p' \
		/etc/apt/sources.list 2>/dev/null | grep -v security | head -1
}

# The file system of the fresh system, less what changes by itself.
snapshot() {
	(cd "$R" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./sys \
	    -o -path ./run -o -path ./tmp -o -path ./var/lib/dpkg \
	    -o -path ./var/lib/apt -o -path ./var/cache -o -path ./var/log \
	    -o -path ./root \) -prune -o -print | LC_ALL=C sort)
}

if [ "${2:-}" != --inside ]; then
	[ "$(id -u)" -eq 0 ] || { echo "fresh: needs root (debootstrap, chroot)" >&2; exit 1; }
	ls "$B"/deb/*.deb >/dev/null 2>&1 || { echo "fresh: no packages in $B/deb (make deb)" >&2; exit 1; }
	exec unshare -m --propagation private sh "$0" "$B" --inside
fi

# shellcheck source=/dev/null
. /etc/os-release
m=$(mirror) || { echo "fresh: no Debian mirror in /etc/apt" >&2; exit 1; }
rm -rf "$B/fresh"
mkdir -p "$B/fresh"
t0=$(date +%s)
echo "fresh: debootstrap --variant=minbase $VERSION_CODENAME (from apt's mirror)"
debootstrap --variant=minbase --include=iproute2,bash-completion \
    "$VERSION_CODENAME" "$R" "$m" >"$B/fresh/debootstrap.log" 2>&1 ||
    { tail -20 "$B/fresh/debootstrap.log"; exit 1; }
echo "fresh: debootstrap took $(($(date +%s) - t0)) s"
# A mount point of its own, so unshare -m inside can make / private.
mount --bind "$R" "$R"
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
cp /etc/resolv.conf "$R/etc/resolv.conf"
# minbase has no /etc/hosts; the story mounts one of its own over it.
[ -e "$R/etc/hosts" ] || printf '127.0.0.1 localhost\n' >"$R/etc/hosts"
in_root apt-get update -qq >"$B/fresh/apt.log" 2>&1 ||
    { tail -20 "$B/fresh/apt.log"; exit 1; }
snapshot >"$B/fresh/before"

# Install with apt: it must find every dependency (libc6-i386 for the
# 32-bit shim) on the mirror by itself.
mkdir -p "$R/tmp/debs"
for d in "$B"/deb/*.deb; do
	case $d in *-dbgsym_*) ;; *) cp "$d" "$R/tmp/debs/" ;; esac
done
if in_root sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    /tmp/debs/*.deb >/tmp/install.log 2>&1'; then
	ok "apt-get installs $(cd "$R/tmp/debs" && echo *.deb)"
else
	no "apt-get installs the packages:"
	cat "$R/tmp/install.log"
fi

ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
for f in /usr/bin/bindwatch "/usr/lib/$ma/bindwatch/libbindwatch.so" \
    /usr/share/man/man1/bindwatch.1.gz /usr/share/man/man7/libbindwatch.7.gz \
    /usr/share/bash-completion/completions/bindwatch \
    /usr/share/zsh/vendor-completions/_bindwatch; do
	check "installed: $f" test -f "$R$f"
done
want="bindwatch $(dpkg-deb -f "$(ls "$B"/deb/bindwatch_*.deb)" Version)"
got=$(in_root bindwatch --version)
check "bindwatch --version says '$want'" test "$got" = "$want"
check "bash completion loads for bindwatch" in_root bash -c \
    '. /usr/share/bash-completion/bash_completion
     _completion_loader bindwatch	# 124: "found, complete again"
     complete -p bindwatch | grep -q _bindwatch'

# The story, with the installed command, in a network namespace of its
# own where localhost is ::1 and 127.0.0.1.
cat >"$R/tmp/story.sh" <<'EOF'
set -u
printf '::1 localhost\n127.0.0.1 localhost\n' >/tmp/hosts
mount --bind /tmp/hosts /etc/hosts
ip link set lo up
serve='my $s = IO::Socket::IP->new(LocalHost => "localhost",
    LocalPort => 3000, Listen => 5, ReuseAddr => 1) or die "$@\n";
    print "LISTENING\n"; STDOUT->flush;
    while (my $c = $s->accept) { print $c "$$\n"; close $c }'
perl -MIO::Socket::IP -e "$serve" >/tmp/old.log 2>&1 &
old=$!
i=0
until grep -q LISTENING /tmp/old.log; do
	i=$((i + 1)); [ $i -lt 100 ] || exit 3; sleep 0.05
done
bindwatch --json -o /tmp/run.json --timeout 2 -- perl -MIO::Socket::IP -e "$serve" >/dev/null 2>&1
echo "status=$?"
echo "old=$old"
kill $old
EOF
in_root unshare -n -m sh /tmp/story.sh >"$B/fresh/story.out" 2>&1 || true
S=$R/tmp/run.json
old=$(sed -n 's/^old=//p' "$B/fresh/story.out")
check "the story: the new server tried [::1]:3000 and fell back to 127.0.0.1:3000" \
    jqt '.[-1].fallbacks | any(.tried_addr == "::1" and .addr == "127.0.0.1"
	and .port == 3000)' "$S"
# shellcheck disable=SC2016 # jq's $old, not the shell's
check "the story: split localhost:3000, [::1] held by the old server (pid $old)" \
    jqt --argjson old "${old:-0}" '.[-1].warnings | any(.kind == "split-localhost"
	and .port == 3000 and any(.ipv6[]; .pid == $old))' "$S"
[ "$fail" -eq 0 ] || { cat "$B/fresh/story.out"; tail -1 "$S"; }

# A 32-bit program: its binds are seen through lib32bindwatch, and there
# is no elf-class warning.
if [ -x "$B/fixtures32/bind_once" ]; then
	cp "$B/fixtures32/bind_once" "$R/tmp/bind_once32"
	in_root unshare -n sh -c 'ip link set lo up;
	    bindwatch --json -o /tmp/b32.json -- /tmp/bind_once32' >/dev/null 2>&1 || true
	check "32-bit program: its bind and listen are events" \
	    jqt 'any(.type == "bind" and .ret == 0) and
		any(.type == "listen" and .ret == 0)' "$R/tmp/b32.json"
	check "32-bit program: no elf-class warning" \
	    jqt '.[-1].warnings | all(.kind != "elf-class")' "$R/tmp/b32.json"
else
	no "32-bit program: $B/fixtures32/bind_once was not built (gcc-multilib)"
fi

# Purge, and the autoremovable dependencies with them: nothing is left.
# shellcheck disable=SC2016 # expanded by the shell in the new system
check "apt-get purges the packages" in_root sh -c \
    'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q --autoremove \
	bindwatch libbindwatch $(dpkg-query -W -f "\${Package}\n" lib32bindwatch 2>/dev/null) \
	>/tmp/purge.log 2>&1'
snapshot >"$B/fresh/after"
if diff "$B/fresh/before" "$B/fresh/after" >"$B/fresh/left"; then
	ok "nothing left behind"
else
	no "nothing left behind:"
	cat "$B/fresh/left"
fi
echo "fresh: $pass passed, $fail failed ($(($(date +%s) - t0)) s)"
[ "$fail" -eq 0 ]
