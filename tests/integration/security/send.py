# send.py FAKE REAL LIB FIX: capture the shim's real records through a
# fake collector at FAKE (over the socket or through a ring: both), then
# send the real collector at REAL 13 malformed messages and, last, one
# whole record on the same connection.
import mmap, os, socket, struct, subprocess, sys, time
fake, real, lib, fix = sys.argv[1:5]
ls = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
ls.bind(fake); ls.listen(4); ls.settimeout(5)
env = dict(os.environ, LD_PRELOAD=lib, BINDWATCH_COLLECTOR=fake)
p = subprocess.Popen([fix + '/bind_once'], env=env)
c, _ = ls.accept()
p.wait(5)
recs, rings = [], []
c.settimeout(2)
while True:
    msg, fds, _, _ = socket.recv_fds(c, 4096, 4)
    if not msg: break
    rings += fds
    if len(msg) > 1: recs.append(msg)
for fd in rings:
    m = mmap.mmap(fd, os.fstat(fd).st_size)
    size = struct.unpack_from('<I', m, 4)[0]
    head = struct.unpack_from('<Q', m, 8)[0]
    pos = 0
    while pos < head:
        off = 64 + pos % size
        n = struct.unpack_from('<Q', m, off)[0] >> 32
        recs.append(bytes(m[off + 8:off + 8 + n]))
        pos += 8 + ((n + 7) & ~7)
bind = [r for r in recs if r[:2] == b'BW' and r[3] == 2][0]
print('captured=%d' % len(recs))
print('pid=%d' % p.pid, flush=True)
# garbage, truncations, trailing bytes, oversized, another wire version,
# an "exit" record (only the CLI makes those)
bad = [b'\xff' * 100]
bad += [bind[:k] for k in (1, 3, 4, len(bind) // 2, len(bind) - 1)]
bad += [bind + b'\0', bind + bytes(3000)]
v = bytearray(bind); v[2] = 99; bad.append(bytes(v))
x = bytearray(bind); x[3] = 5; bad.append(bytes(x))
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(real)
for b in bad:
    s.send(b)
# a "ring" that is not one, a ring whose first slot lies about its
# length, and two descriptors at once
f1 = os.memfd_create('notaring'); os.ftruncate(f1, 64 + 4096)
socket.send_fds(s, [b'R'], [f1])
f2 = os.memfd_create('liar'); os.ftruncate(f2, 64 + 4096)
os.pwrite(f2, struct.pack('<IIQQ', 0x62777231, 4096, 16, 0), 0)
os.pwrite(f2, struct.pack('<Q', (5000 << 32) | 1), 64)
socket.send_fds(s, [b'R'], [f2])
socket.send_fds(s, [b'R'], [f1, f2])
s.send(bind)
print('sent=%d' % (len(bad) + 3), flush=True)
time.sleep(0.5)
s.close()
