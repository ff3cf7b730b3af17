# shellcheck shell=sh
#
# Like redis --daemonize: fork, setsid, fork, close every descriptor,
# then bind; the first process exits at once.  bindwatch must wait for
# the daemon and still see its events.

"$BW" --json -o report -- python3 -c '
import os, socket, time
if os.fork(): os._exit(0)
os.setsid()
if os.fork(): os._exit(0)
os.closerange(0, 65536)
s = socket.socket(); s.bind(("127.0.0.1", 4567)); s.listen()
time.sleep(1)
'
echo "status=$?"
echo "listening=$(summary_jq report '.listening | map("\(.addr):\(.port)") | join(",")')"
echo "processes=$(summary_jq report '.processes | length')"
echo "lost=$(summary_jq report '.lost_events')"
