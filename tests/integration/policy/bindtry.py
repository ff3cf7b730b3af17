# bindtry.py OUT SPEC...: for each SPEC, a TCP socket and a bind, in
# order; one word per SPEC in OUT (ok or the errno name), then "ready".
#	4,ADDR,PORT	6,ADDR,PORT	AF_INET / AF_INET6 bind, then listen
#	u,PATH		AF_UNIX bind, then listen
#	L4		AF_INET listen without bind (the kernel's autobind)
import errno, os, signal, socket, sys
signal.alarm(30)
out, words, keep = open(sys.argv[1], 'w'), [], []
for spec in sys.argv[2:]:
    f = spec.split(',')
    fam = {'4': socket.AF_INET, '6': socket.AF_INET6, 'u': socket.AF_UNIX,
           'L4': socket.AF_INET}[f[0]]
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        if f[0] == 'L4':
            s.listen(5)
            words.append('L4=%s:%d' % s.getsockname())
            keep.append(s)
            continue
        if fam != socket.AF_UNIX:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(f[1] if fam == socket.AF_UNIX else (f[1], int(f[2])))
        s.listen(5)
        words.append(spec + '=ok')
        keep.append(s)
    except OSError as e:
        words.append(spec + '=' + errno.errorcode.get(e.errno, str(e.errno)))
out.write(' '.join(words) + '\nready\n')
out.close()
signal.pause()
