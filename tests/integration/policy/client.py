# client.py WHAT ARG...: a client on the namespace's loopback; one line.
#	get URL			status and the body's first line
#	connect HOST PORT	open, refused or fail
#	line HOST PORT		the first line the server writes
#	unix PATH		open, refused or fail
import socket, sys, urllib.request
what = sys.argv[1]
try:
    if what == 'get':
        o = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        r = o.open(sys.argv[2], timeout=5)
        print(r.status, r.read().decode().strip().splitlines()[0])
    elif what == 'connect':
        socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=5).close()
        print('open')
    elif what == 'line':
        s = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=5)
        print(s.makefile().readline().strip())
    elif what == 'unix':
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[2])
        print('open')
except ConnectionRefusedError:
    print('refused')
except Exception as e:
    print('fail', type(e).__name__)
