# shellcheck shell=sh
# shellcheck source=tests/integration/security/common.sh
. "$BW_IT/security/common.sh"
#
# A program whose path (~3.8 KB: 15 directory levels) and name hold ESC,
# BEL, CR, quotes, backslashes and invalid UTF-8, resolving a 4 KB host
# name and a service of the same kind, then listening: the bare shim
# (text and JSON) and the CLI (text and --json) write only printable
# ASCII and newlines in text, and JSON that python3 parses line by line
# (strict UTF-8) with the strings still recognisable (check.py).

C=$(printf 'c\033[1m\a\r"q\\\377\376%0234d' 0)
P=$D
i=0
while [ $i -lt 15 ]; do
	P="$P/$C$i"
	i=$((i + 1))
done
mkdir -p "$P" || exit 91
EXE="$P/$(printf 'ev\033]0;t\a\r"\\\377x')"
cp "$FIX/gai_walker" "$EXE" || exit 92
echo "pathlen=${#EXE}"
H=$(printf 'h\033[2J\a\r\n"\\\377\300%04000d' 0)
S2=$(printf 's\033\a"\377')
# VAR=VALUE...: the resolving run, then the listening one, under them
evil() {
	env "$@" "$EXE" "$H" "$S2" 0
	env "$@" "$EXE" 127.0.0.1 4400 0
}
evil LD_PRELOAD="$LIB" BINDWATCH_LOG="$D/bare.txt" > /dev/null 2>&1
evil LD_PRELOAD="$LIB" BINDWATCH_LOG="$D/bare.json" BINDWATCH_FORMAT=json \
    > /dev/null 2>&1
"$BW" -o cli.txt -- "$EXE" "$H" "$S2" 0 > /dev/null 2>&1
"$BW" -o cli2.txt -- "$EXE" 127.0.0.1 4401 0 > /dev/null 2>&1
cat cli2.txt >> cli.txt
"$BW" --json -o cli.json -- "$EXE" "$H" "$S2" 0 > /dev/null 2>&1
"$BW" --json -o cli2.json -- "$EXE" 127.0.0.1 4402 0 > /dev/null 2>&1
cat cli2.json >> cli.json
for f in bare.txt cli.txt; do
	"$PY" "$S/check.py" text "$D/$f"
done
for f in bare.json cli.json; do
	"$PY" "$S/check.py" json "$D/$f" || echo "${f%.json}_json=INVALID"
done
