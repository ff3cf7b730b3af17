# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# A static musl program (what Alpine builds): seen, and forced.
bw_reap
"$BW" --force 127.0.0.1 --json --timeout 2 -o run.json -- \
    "$BW_BUILD/musl/sc_probe" raw 0.0.0.0 8800 < in > /dev/null 2>&1 &
bw_wait_listen 127.0.0.1:8800 || { bw_ss >&2; exit 1; }
echo "local=$(hello 127.0.0.1 8800)"
wait
echo "sources=$(sources run.json)"
echo "unseen=$(unseen run.json)"
