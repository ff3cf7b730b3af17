# shellcheck shell=sh
#
# The connect hook under the bare shim: errno is the program's, AF_UNIX
# and UDP connects are not reported, and a non-blocking connect is one
# event, with its outcome, however often the program asks, also when it
# closes the socket (or dup2s over it) without asking.
# shellcheck source=tests/integration/clients/clients.sh
. "$BW_IT/clients/clients.sh"
bw_reap
pidsrv 127.0.0.1 7000 srv || exit 90
BINDWATCH_FORMAT=json BINDWATCH_LOG="$D/ev" LD_PRELOAD="$LIB" python3 -c '
import errno, os, socket, sys
def refused():
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", 7001))
    except OSError as e:
        return errno.errorcode[e.errno]
    finally:
        s.close()
print("errno=" + refused())
u = socket.socket(socket.AF_UNIX)
print("unix=" + str(u.connect_ex("/nonexistent-bw")))
d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
d.connect(("127.0.0.1", 53))
s = socket.socket()
s.setblocking(False)
print("inprogress=" + errno.errorcode.get(s.connect_ex(("127.0.0.1", 7000)), "0"))
import select
select.select([], [s], [], 5)
for i in range(3):
    s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
s.close()
r = socket.socket()
r.setblocking(False)
r.connect_ex(("127.0.0.1", 7001))
select.select([], [r], [], 5)
print("so_error=" + errno.errorcode.get(r.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), "0"))
r.close()
a = socket.socket()
a.setblocking(False)
a.connect_ex(("127.0.0.1", 7000))
a.close()
b = socket.socket()
b.setblocking(False)
b.connect_ex(("127.0.0.1", 7001))
select.select([], [b], [], 5)
b.close()
c = socket.socket()
c.setblocking(False)
c.connect_ex(("127.0.0.1", 7000))
select.select([], [c], [], 5)
n = os.open("/dev/null", os.O_RDONLY)
os.dup2(n, c.fileno())
c.close()
' > out
cat out
json_ok ev || exit 93
echo "events=$(jq -r 'select(.type=="connect") | "\(.port):\(.ret):\(.errno):\(.async)"' ev | joined)"
echo "local=$(jq -r 'select(.type=="connect" and .ret==0) | .local_addr' ev | sort -u | joined)"
