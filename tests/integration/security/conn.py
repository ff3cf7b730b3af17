# conn.py PATH: connect to the collector's socket; if that works, send
# five records of nothing and see whether anything comes back.
import errno, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print('CONNECT', errno.errorcode.get(e.errno, e.errno)); sys.exit(0)
print('CONNECT OK')
try:
    for i in range(5):
        s.send(b'BW\x01\x02' + bytes(200))
    s.settimeout(3)
    print('SEND', 'EOF' if s.recv(16) == b'' else 'DATA')
except OSError as e:
    print('SEND', errno.errorcode.get(e.errno, e.errno))
