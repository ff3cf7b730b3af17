"""Sockets held on purpose for the sharing scenarios, loopback only.

    sock.py MODE ADDR PORT [reuseaddr] [reuseport]

MODE: listen (a server that writes its pid to whoever connects), bound
(bound, never listening), conn (an established connection at ADDR:PORT,
its listener closed), tw (a connection the server side closes first:
TIME_WAIT at ADDR:PORT, then exit), bind (bind once, print the result,
exit 0 or 1).  Prints "READY PID" once the state is there; then holds it
until killed or for 30 s.
"""
import os
import socket
import sys
import time

mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
opts = sys.argv[4:]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET


def sock():
    s = socket.socket(fam, socket.SOCK_STREAM)
    if "reuseaddr" in opts:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if "reuseport" in opts:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    return s


def ready():
    print("READY %d" % os.getpid(), flush=True)


def server(lst, until):
    lst.settimeout(0.5)
    while time.time() < until:
        try:
            c, _ = lst.accept()
        except socket.timeout:
            continue
        c.sendall(b"%d\n" % os.getpid())
        c.close()


s = sock()
if mode == "bind":
    try:
        s.bind((addr, port))
    except OSError as e:
        print("BIND %s" % os.strerror(e.errno), flush=True)
        sys.exit(1)
    print("BIND ok", flush=True)
    sys.exit(0)
s.bind((addr, port))
if mode == "bound":
    ready()
    time.sleep(30)
    sys.exit(0)
s.listen(8)
if mode == "listen":
    ready()
    server(s, time.time() + 30)
    sys.exit(0)
c = socket.create_connection((addr, port))
a, _ = s.accept()
s.close()
if mode == "conn":
    ready()
    time.sleep(30)
    sys.exit(0)
# tw: the server side closes first, the client sees the end and closes.
a.close()
c.recv(1)
c.close()
ready()
