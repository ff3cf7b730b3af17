# bindall.py PORT: bind 0.0.0.0:PORT and [::]:PORT (v6only, SO_REUSEADDR),
# and only then listen on both, as rsync --daemon and other pre-forking
# daemons do; exit 10 when a listen fails (rsync's status), else answer
# "hello" to each connection, on either socket, until killed.
import select, signal, socket, sys
signal.alarm(30)
port = int(sys.argv[1])
a = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
b = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
for s in (a, b):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
b.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
a.bind(('0.0.0.0', port))
b.bind(('::', port))
try:
    a.listen(5)
    b.listen(5)
except OSError as e:
    print('listen:', e.strerror, flush=True)
    sys.exit(10)
while True:
    for s in select.select([a, b], [], [])[0]:
        c = s.accept()[0]
        c.sendall(b'hello\n')
        c.close()
