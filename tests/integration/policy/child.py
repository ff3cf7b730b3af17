# child.py OUT: listen() on the inherited socket, nothing else.
import os, signal, socket, sys
signal.alarm(30)
s = socket.socket(fileno=int(os.environ['LISTEN_FD']))
s.listen(5)
with open(sys.argv[1], 'w') as f:
    f.write('listening %s:%d\n' % s.getsockname())
signal.pause()
