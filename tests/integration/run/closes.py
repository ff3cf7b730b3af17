# closes.py CASE PORT READY: listeners that close, for the summary.
#   probe:   listen on 0.0.0.0:0 and close it (a start-up probe), then
#            serve on 127.0.0.1:PORT until killed (READY: a file, when up)
#   failed:  listen on 0.0.0.0:PORT, fail to bind PORT+1 (held by a
#            listener of our own), exit 1: sockets closed on the way out
#   clean:   listen on 127.0.0.1:PORT, exit 0 (Python closes it on exit)
#   forked:  listen on 127.0.0.1:PORT, fork a child that keeps it, close
#            ours, resolve a name (an event after the close), wait for the
#            child, which READY tells to exit
import os, signal, socket, sys, time
signal.alarm(30)
case, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def listener(addr, p):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, p))
    s.listen(5)
    return s


if case == 'probe':
    listener('0.0.0.0', 0).close()
    s = listener('127.0.0.1', port)
    open(ready, 'w').close()
    while True:
        s.accept()[0].close()
elif case == 'failed':
    a = listener('0.0.0.0', port)
    held = listener('127.0.0.1', port + 1)
    try:
        listener('127.0.0.1', port + 1)
    except OSError as e:
        print('failed:', e.strerror)
        sys.exit(1)
elif case == 'clean':
    s = listener('127.0.0.1', port)
    sys.exit(0)
elif case == 'forked':
    s = listener('127.0.0.1', port)
    pid = os.fork()
    if pid == 0:
        while not os.path.exists(ready):
            time.sleep(0.05)
        os._exit(0)
    s.close()
    socket.getaddrinfo('localhost', port)
    open(ready + '.closed', 'w').close()
    os.waitpid(pid, 0)
