# shellcheck shell=sh
#
# AF_UNIX and netlink binds pass through untouched and unreported; the TCP
# socket beside them proves the shim was there.

LD_PRELOAD=$LIB python3 -c '
import os, socket
u = socket.socket(socket.AF_UNIX); u.bind(os.environ["D"] + "/u.sock"); u.listen(1)
a = socket.socket(socket.AF_UNIX); a.bind("\0bw-abstract"); a.listen(1)
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind(os.environ["D"] + "/d.sock")
n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); n.bind((0, 0))
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(1)
print("PORT", t.getsockname()[1], flush=True)
' > u.out 2> u.err
echo "status=$?"
echo "unix=$([ -S u.sock ] && echo bound)"
PORT=$(number_after u.out 'PORT ')
echo "port=$PORT"
echo "tcp_bind=$(grep -F 'bindwatch[' u.err | grep -cF "127.0.0.1:0) = 0 -> 127.0.0.1:$PORT (tcp)")"
echo "binds=$(grep -cF 'bind(' u.err)"
echo "listens=$(grep -cF 'listen(' u.err)"
echo "sock=$(grep -cF sock u.err)"
echo "abstract=$(grep -cF abstract u.err)"
