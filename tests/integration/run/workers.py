# workers.py PORT N: listen on 127.0.0.1:PORT, then fork N workers that
# only hold the socket (no call of their own: the shim has nothing to
# say of them), and wait for them; SIGTERM ends all.
import os, signal, socket, sys, time
signal.alarm(30)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(5)
kids = []
for i in range(int(sys.argv[2])):
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
        while True:
            time.sleep(1)
    kids.append(pid)


def stop(*a):
    for k in kids:
        os.kill(k, signal.SIGTERM)
    for k in kids:
        os.waitpid(k, 0)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(1)
