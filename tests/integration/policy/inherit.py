# inherit.py PORT CMD...: bind 0.0.0.0:PORT here, without the shim (no
# listen), and exec CMD with the socket inherited as $LISTEN_FD.
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', int(sys.argv[1])))
s.set_inheritable(True)
os.environ['LISTEN_FD'] = str(s.fileno())
os.execvp(sys.argv[2], sys.argv[2:])
