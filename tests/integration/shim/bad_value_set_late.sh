# shellcheck shell=sh
#
# A bad value that the program sets itself after it started (so the
# shim first reads it at a hooked call): one line, and the shim stays
# off; nothing exits inside the hook.  The bind succeeds and the
# program ends with its own status.

LD_PRELOAD=$LIB python3 -c '
import os, socket, sys
os.environ["BINDWATCH_FAMILY"] = "9"
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print("bound", s.getsockname()[1] > 0)
sys.exit(3)' > o 2> e
echo "status=$?"
echo "out=$(cat o)"
echo "lines=$(wc -l < e)"
echo "err=$(cat e)"
