# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# A static 32-bit program: its bind and listen as ia32 calls of their own,
# and through socketcall(2), are both seen and answered.  A dynamic 32-bit
# program under --seccomp=all: the 32-bit shim's calls carry the cookie's
# low half and pass, reported once.
bw_reap
F32="$BW_BUILD/fixtures32"
"$BW" --force 127.0.0.1 --json --timeout 2 -o direct.json -- \
    "$F32/sc_probe" raw 0.0.0.0 8700 < in > /dev/null 2>&1 &
bw_wait_listen 127.0.0.1:8700 || { bw_ss >&2; exit 1; }
echo "direct=$(hello 127.0.0.1 8700)"
wait
echo "direct_sources=$(sources direct.json)"
"$BW" --json --timeout 2 -o sockcall.json -- "$F32/sc_probe" sockcall 8701 \
    > /dev/null 2>&1 &
bw_wait_listen 0.0.0.0:8701 || { bw_ss >&2; exit 1; }
echo "sockcall=$(hello 127.0.0.1 8701)"
wait
echo "sockcall_sources=$(sources sockcall.json)"
echo "sockcall_unseen=$(unseen sockcall.json)"
"$BW" --seccomp=all --json -o dyn.json -- "$F32/bind_once" > /dev/null 2>&1
echo "dyn32_sources=$(sources dyn.json)"
