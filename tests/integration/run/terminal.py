# terminal.py BW: bindwatch on a terminal (a pty), as a person runs it.
#   ctrl_c:  `bindwatch -- sleep 30` leading its own session; the command's
#            group gets the terminal, Ctrl-C ends the run with 130.
#   jobs:    in an interactive bash, Ctrl-Z stops the job (bash says
#            Stopped), fg continues it with the terminal, Ctrl-C ends it:
#            $? is 130, and bash is still there.
# Every wait is bounded (10 s) and polls what it waits for.
import os, pty, re, select, sys, time

BW = sys.argv[1]
out = b''


def drain(fd):
    """What the terminal has for us within 50 ms; False at its end."""
    global out
    if select.select([fd], [], [], 0.05)[0]:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        out += data
        return data != b''
    return True


def read_until(fd, pred, what):
    end = time.time() + 10
    while time.time() < end and not pred():
        if not drain(fd):
            break
    if pred():
        return True
    sys.stderr.write('terminal.py: no %s; output: %r\n' % (what, out[-600:]))
    return False


def reaped(pid):
    return os.waitpid(pid, os.WNOHANG)[0] == pid


def command_pid():
    m = re.search(rb'bindwatch\[(\d+)\] sleep: exec', out)
    return int(m.group(1)) if m else None


def holds_tty(fd, pid):
    try:
        return os.tcgetpgrp(fd) == os.getpgid(pid)
    except OSError:
        return False


# Ctrl-C: bindwatch leads the session, as a terminal's first program does.
pid, fd = pty.fork()
if pid == 0:
    os.execv(BW, [BW, '--', 'sleep', '30'])
ok = read_until(fd, lambda: command_pid() is not None, 'exec line')
cmd = command_pid()
print('own_group=%s' % ('yes' if ok and os.getpgid(cmd) != pid else 'no'))
ok = ok and read_until(fd, lambda: holds_tty(fd, cmd), 'terminal handed over')
print('handed=%s' % ('yes' if ok else 'no'))
os.write(fd, b'\x03')
end = time.time() + 10
st = None
while time.time() < end and st is None:
    drain(fd)
    p, s = os.waitpid(pid, os.WNOHANG)
    if p == pid:
        st = s
if st is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
print('ctrl_c=%s' % (os.waitstatus_to_exitcode(st) if st is not None else 'hung'))
os.close(fd)

# Job control under an interactive bash.
out = b''
pid, fd = pty.fork()
if pid == 0:
    os.environ['PS1'] = 'PROMPT$ '
    os.execv('/bin/bash', ['bash', '--norc', '--noprofile', '-i'])
read_until(fd, lambda: b'PROMPT$ ' in out, 'prompt')
os.write(fd, (BW + ' -- sleep 30\n').encode())
ok = read_until(fd, lambda: command_pid() is not None, 'exec line')
cmd = command_pid()
ok = ok and read_until(fd, lambda: holds_tty(fd, cmd), 'terminal handed over')
mark = len(out)
os.write(fd, b'\x1a')
ok = ok and read_until(fd, lambda: b'Stopped' in out[mark:] and
    os.tcgetpgrp(fd) == pid, 'Stopped')
print('stopped=%s' % ('yes' if ok else 'no'))
os.write(fd, b'fg\n')
ok = ok and read_until(fd, lambda: holds_tty(fd, cmd), 'terminal after fg')
print('fg=%s' % ('yes' if ok else 'no'))
os.write(fd, b'\x03')
mark = len(out)
ok = ok and read_until(fd, lambda: b'PROMPT$ ' in out[mark:], 'prompt after ^C')
os.write(fd, b'echo "rc=$?"\n')
ok = read_until(fd, lambda: re.search(rb'[\r\n]rc=\d+', out[mark:]) is not None, 'rc')
m = re.search(rb'[\r\n]rc=(\d+)', out[mark:])
print('jobs=%s' % (m.group(1).decode() if m else 'none'))
os.write(fd, b'exit\n')
end = time.time() + 10
done = False
while time.time() < end and not done:
    done = reaped(pid)
    drain(fd)
if not done:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
