# shellcheck shell=sh
# shellcheck source=tests/integration/install/common.sh
. "$BW_IT/install/common.sh"
#
# A copy of what make install made; make uninstall must take it all.

[ -f "$BW_SRC/Makefile" ] || { echo "no BW_SRC" >&2; exit 1; }
mkdir root && cp -a "$BW_BUILD/inst/." root/
echo "files=$(find root -type f -o -type l | wc -l)"
make -s -C "$BW_SRC" B="$BW_BUILD" DESTDIR="$D/root" \
    PREFIX=/opt/bw uninstall > mk 2>&1 || { cat mk >&2; exit 1; }
echo "left=$(find root -type f -o -type l | wc -l)"
find root -type f -o -type l >&2
