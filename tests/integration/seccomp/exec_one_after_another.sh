# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# A shell that runs blind programs one after another: each gets a
# listener of its own, every bind is reported, and bindwatch keeps no
# descriptor of a listener whose process is gone (its descriptors, read
# from /proc by the shell, its child, are back to what they were but the
# stand-in's socket once the last listener's end is seen).
# shellcheck disable=SC2016 # the inner shell's variables
"$BW" --json --timeout 20 -o seq.json -- sh -c '
    fds() { ls "/proc/$PPID/fd" | wc -l; }
    before=$(fds)
    for p in 9250 9251 9252 9253 9254 9255; do
        "$FIX/sc_probe" raw 127.0.0.1 $p < /dev/null
    done
    i=0
    while [ "$(fds)" -gt $((before + 1)) ] && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    echo "grown=$(($(fds) - before))"' > seq.out 2> seq.err
echo "listening=$(grep -c LISTENING seq.out)"
echo "sources=$(sources seq.json)"
echo "grown=$(sed -n 's/^grown=//p' seq.out)"
