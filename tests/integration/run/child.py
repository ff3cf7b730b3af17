# child.py MODE PORT: bind and listen on 127.0.0.1:PORT, after
#	kept	 nothing; then say whether only the channel is open from fd 700
#	closed	 closing every descriptor from 3
#	replaced putting a file of ours at the channel's number
import os, socket, sys
mode, port = sys.argv[1], int(sys.argv[2])
if mode == 'closed': os.closerange(3, 65536)
if mode == 'replaced':
    fd = int(os.environ['BINDWATCH_COLLECTOR_FD'].split(':')[0])
    f = os.open(os.environ['D'] + '/notours', os.O_WRONLY | os.O_CREAT, 0o600)
    os.dup2(f, fd)
s = socket.socket(); s.bind(('127.0.0.1', port)); s.listen()
if mode == 'kept':
    ino = os.environ.get('BINDWATCH_COLLECTOR_FD', ':').split(':')[1]
    high = sorted(os.readlink('/proc/self/fd/' + f) for f in
        os.listdir('/proc/self/fd') if int(f) >= 700)
    print('from 700:', 'only the channel' if high == ['socket:[%s]' %
        ino] else high)
