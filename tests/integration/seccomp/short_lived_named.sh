# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# The event's details are read after the answer, by bindwatch's main
# thread; a process that binds, listens and exits at once, reaped by its
# parent at once, may be gone by then.  Its events still name it (who
# called is read with the first call of a process).
bw_reap

# shellcheck disable=SC2016 # expanded by the inner shell
"$BW" --json --timeout 10 -o named.json -- busybox sh -c \
    'for p in 8401 8402 8403 8404 8405 8406 8407 8408; do
	"$0" 127.0.0.1 $p 0 > /dev/null || exit 1
    done' "$FIX/static_listener" > named.out 2>&1
echo "status=$?"
echo "listens=$(jq -r 'select(.type == "listen") | .comm' named.json | sort | uniq -c | awk '{ print $2 ":" $1 }')"
echo "sources=$(sources named.json)"
echo "unseen=$(unseen named.json)"
