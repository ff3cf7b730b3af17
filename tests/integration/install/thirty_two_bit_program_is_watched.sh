# shellcheck shell=sh
# shellcheck source=tests/integration/install/common.sh
. "$BW_IT/install/common.sh"
#
# A 32-bit program gets the 32-bit shim where one is installed.  Where
# none is (the same tree without its 32-bit shims) the seccomp supervisor
# sees it instead; with --seccomp=off, the elf-class warning.

P32="$BW_BUILD/fixtures32/bind_once"
"$I/bin/bindwatch" --json -o j -- "$P32" 2> err
echo "rc=$?"
echo "binds=$(grep -c '"type":"bind".*"ret":0' j)"
echo "elfclass=$(grep -c elf-class j)"
cp -a "$I" nom32
rm -r nom32/lib32 nom32/lib/i386-linux-gnu
nom32/bin/bindwatch --json -o k -- "$P32" 2> /dev/null
echo "binds2=$(grep -c '"type":"bind".*"source":"seccomp"' k)"
echo "elfclass2=$(grep -c '"kind":"elf-class"' k)"
nom32/bin/bindwatch --seccomp=off --json -o l -- "$P32" 2> /dev/null
echo "binds3=$(grep -c '"type":"bind"' l)"
echo "elfclass3=$(grep -c '"kind":"elf-class"' l)"
sed 's/^/err: /' err >&2
