# shellcheck shell=sh
# shellcheck source=tests/integration/install/common.sh
. "$BW_IT/install/common.sh"
#
# The installed CLI preloads the shim of its own prefix through $LIB,
# never one from the current directory: decoys there, in both layouts
# the CLI knows, and the CLI run through a symbolic link beside them.

mkdir -p lib/x86_64-linux-gnu/bindwatch bin
echo decoy > libbindwatch.so
echo decoy > lib/x86_64-linux-gnu/bindwatch/libbindwatch.so
ln -s "$I/bin/bindwatch" bin/bindwatch
./bin/bindwatch -v --timeout 5 -- "$FIX/bind_once" > out 2>&1
echo "rc=$?"
echo "preloading=$(count out 'bindwatch: preloading ')"
# shellcheck disable=SC2016 # the loader's $LIB, literally
echo "own=$(count out '/inst/opt/bw/$LIB/bindwatch/libbindwatch.so;')"
echo "listen=$(count out 'bind_once: listen(3, 1) = 0 on 127.0.0.1:')"
echo "decoy=$(count out decoy)"
echo "ldso_error=$(count out 'ERROR: ld.so')"
echo "version=$("$I/bin/bindwatch" --version)"
sed 's/^/out: /' out >&2
