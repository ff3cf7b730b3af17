# shellcheck shell=sh
#
# Program and host names with control characters, quotes, backslashes and
# bytes that are not UTF-8: never raw on stderr, always valid JSON, and
# the JSON decodes back to the very bytes (when they were UTF-8).

name=$(printf 'ev\033[2Jil"q')
cp "$FIX/gai_walker" "$D/$name"
host=$(printf 'x\033]0;pwn\007"y\\z\tw\302\233')
bad=$(printf 'n\377\300o')
LD_PRELOAD=$LIB "$D/$name" 127.0.0.1 0 0 > /dev/null 2> t1
echo "s1=$?"
LD_PRELOAD=$LIB "$FIX/gai_dump" "numerichost/unspec/stream/$host/80" \
    "numerichost/unspec/stream/$bad/80" > /dev/null 2> t2
echo "s2=$?"
BINDWATCH_FORMAT=json LD_PRELOAD=$LIB "$D/$name" 127.0.0.1 0 0 \
    > /dev/null 2> j1
BINDWATCH_FORMAT=json LD_PRELOAD=$LIB "$FIX/gai_dump" \
    "numerichost/unspec/stream/$host/80" \
    "numerichost/unspec/stream/$bad/80" > /dev/null 2> j2
cat j1 j2 > j
json_ok j || exit 93
echo "json_lines=$(wc -l < j)"
# Decoded, the strings are the program's bytes again.
NAME="$name" HOST="$host" python3 -c 'import json, os
ev = [json.loads(l) for l in open("j", "rb")]
print("comm_ok=%d" % sum(e["comm"] == os.environ["NAME"] for e in ev))
print("node_ok=%d" % sum(e.get("node") == os.environ["HOST"] for e in ev))'
cat t1 t2 > t
# Nothing raw: only printable ASCII and newlines came out.
echo "raw=$(LC_ALL=C tr -d '\n -~' < t | wc -c)"
echo "text_lines=$(wc -l < t)"
echo "text_comm=$(grep -cF '] ev\x1b[2Jil\"q: bind(' t)"
echo "text_host=$(grep -cF 'getaddrinfo("x\x1b]0;pwn\x07\"y\\z\tw\xc2\x9b", "80", ' t)"
echo "text_bad=$(grep -cF 'getaddrinfo("n\xff\xc0o", ' t)"
