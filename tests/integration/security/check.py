# check.py KIND FILE: KEY=OK (KEY: FILE's name, "." made "_"), or BAD and
# why.  text: only printable ASCII and newlines, the getaddrinfo and the
# listen there.  json: every line parses (strict UTF-8), no raw control
# byte but newlines, and the strings are still recognisable.
import json, sys
kind, path = sys.argv[1:3]
key = path.split('/')[-1].replace('.', '_')
data = open(path, 'rb').read()
bad = sorted(set(b for b in data if b != 10 and not 32 <= b < 127))
if kind == 'text':
    ok = not bad and b'getaddrinfo("h' in data and b'listen(' in data
    print('%s=%s %d' % (key, 'OK' if ok else 'BAD %r' % bad, len(data)))
    sys.exit(0)
nodes, exes, comms, n = [], [], set(), 0
for line in data.decode('utf-8', 'strict').splitlines():
    o = json.loads(line); n += 1
    comms.add(o.get('comm'))
    if o.get('type') == 'getaddrinfo': nodes.append(o['node'])
    if o.get('type') == 'exec': exes.append(o['exe'])
ok = (not any(b < 32 and b != 10 for b in data) and
      any(x.startswith('h\x1b[2J\x07\r\n"\\') for x in nodes) and
      'listen' in data.decode() and
      any(c and c.startswith('ev\x1b]0;t\x07') for c in comms))
print('%s=%s %d %d %d' % (key, 'OK' if ok else 'BAD', n,
      max(map(len, nodes), default=0), max(map(len, exes), default=0)))
