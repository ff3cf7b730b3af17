# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# On a kernel without SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (before 5.19,
# simulated by a filter that refuses the flag with EINVAL), bindwatch
# installs nothing, says why in one line, and the program runs unseen.
bw_reap
"$FIX/sc_probe" oldkernel "$BW" --timeout 2 -- \
    "$FIX/sc_probe" raw 127.0.0.1 9200 < in > out 2> err &
bw_wait_listen 127.0.0.1:9200 || exit 1
echo "reached=$(hello 127.0.0.1 9200)"
wait
echo "said=$(grep -c 'warning: no seccomp supervision: .*5.19' err)"
echo "seen=$(grep -c '\[seccomp\]' err)"
echo "unseen=$(grep -c '! unseen: ' err)"
