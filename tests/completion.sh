#!/bin/bash
# Exercise completion/bindwatch.bash and completion/_bindwatch for real:
# bash by calling _bindwatch with COMP_WORDS as readline splits the line,
# zsh by typing into an interactive "zsh -f" on a zpty and reading back the
# edit buffer and the completion listing.  Needs bash-completion and zsh.
#
#   bash tests/completion.sh
#
# BW_BUILD=build additionally runs the real "bindwatch ports --json" (with a
# python3 listener) to check that its output feeds the host:port candidates.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# for "sh tests/completion.sh"
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
listener=
trap '[ -n "$listener" ] && kill "$listener"; rm -rf "$tmp"' EXIT

# Fixtures: a file for -o, and a stub bindwatch on PATH with canned JSON so
# the listening-port candidates are tested without the real binary.
mkdir -p "$tmp/files" "$tmp/fakebin" "$tmp/home"
# Nothing from the user's set-up: bash_completion reads ~/.bash_completion.
export HOME=$tmp/home
unset BASH_COMPLETION_USER_FILE BASH_COMPLETION_USER_DIR XDG_DATA_HOME
: >"$tmp/files/report.jsonl"
cat >"$tmp/fakebin/bindwatch" <<'EOF'
#!/bin/sh
[ "$*" = "ports --json" ] || exit 125
echo '{"ports": [{"port": 3000, "proto": "tcp", "split": false, "exposed": false, "sockets": []}, {"port": 5353, "proto": "udp", "split": false, "exposed": false, "sockets": []}]}'
EOF
chmod +x "$tmp/fakebin/bindwatch"

# With BW_BUILD: a real listener, so "bindwatch ports" has something to show.
real_port=
if [ -n "${BW_BUILD:-}" ] && [ -x "$BW_BUILD/bindwatch" ] &&
    command -v python3 >/dev/null; then
	python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$tmp/port" &
	listener=$!
	for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
	real_port=$(cat "$tmp/port")
	BW_BUILD=$(cd "$BW_BUILD" && pwd)
fi

# ---------------------------------------------------------------- bash
bash_cases() (
	set +u
	# shellcheck source=/dev/null
	. /usr/share/bash-completion/bash_completion || exit 1
	# shellcheck source=/dev/null
	. "$top/completion/bindwatch.bash" || exit 1
	# shellcheck disable=SC2317 # compopt works only in a real completion
	compopt() { :; }
	complete -W 'alpha beta' bwfake
	cd "$tmp/files" || exit 1

	# bt NAME LINE CHECK...: complete at the end of LINE.  CHECK is WORD
	# (offered), !WORD (not offered) or #N (exactly N candidates).
	bt() {
		local name=$1 line=$2 tok rest c bad=
		shift 2
		# Split as readline does: blanks, and runs of the COMP_WORDBREAKS
		# characters "=" and ":" are words of their own.
		COMP_WORDS=()
		for tok in $line; do
			while [[ $tok =~ ^([=:]+|[^=:]+)(.*)$ ]]; do
				COMP_WORDS+=("${BASH_REMATCH[1]}")
				tok=${BASH_REMATCH[2]}
			done
		done
		[[ $line == *' ' ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line} COMPREPLY=()
		_bindwatch bindwatch "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD - 1]}"
		rest=" ${COMPREPLY[*]} "
		for c in "$@"; do
			case $c in
			'#'*) [[ ${#COMPREPLY[@]} == "${c#?}" ]] ;;
			'!'*) [[ $rest != *" ${c#?} "* ]] ;;
			*) [[ $rest == *" $c "* ]] ;;
			esac || bad+=" $c"
		done
		if [ -z "$bad" ]; then
			echo "ok   bash: $name"
		else
			echo "FAIL bash: $name: wanted$bad, got [${COMPREPLY[*]}]"
		fi
	}

	if [[ $(complete -p bindwatch) == *' -F _bindwatch '* ]]; then
		echo "ok   bash: complete -F _bindwatch bindwatch"
	else
		echo "FAIL bash: bindwatch has no completion: $(complete -p bindwatch)"
	fi
	bt 'first word: subcommands and options' 'bindwatch ' \
	    ports which --json --loopback-only --timeout --output -o -q \
	    --seccomp --no-io-uring
	bt 'first word --lo' 'bindwatch --lo' --loopback-only '#1'
	bt 'first word po: subcommand' 'bindwatch po' ports '#1'
	bt 'first word ec: command names' 'bindwatch ec' echo '!ports'
	bt 'ports options' 'bindwatch ports --' --json --all '!--force' \
	    '!--loopback-only'
	bt 'no ports options after a port' 'bindwatch ports 3000 --' '#0'
	bt 'which options' 'bindwatch which --' --json '!--all'
	bt 'which host prefixes' 'bindwatch which ' localhost: 127.0.0.1: \
	    '[::1]:'
	bt '-o offers files' 'bindwatch -o rep' report.jsonl
	bt '--output= offers files' 'bindwatch --output=rep' report.jsonl
	bt '--force addresses' 'bindwatch --force ' 127.0.0.1 ::1 '#2'
	bt '--force :: after the colon' 'bindwatch --force ::' 1 '#1'
	bt '--timeout value: nothing' 'bindwatch --timeout ' '#0'
	bt '--resolve hint' 'bindwatch --resolve loc' localhost= '#1'
	bt 'command names after --' 'bindwatch -- ec' echo
	bt 'no options after --' 'bindwatch -- --js' '!--json'
	bt 'command name as first operand' 'bindwatch --json ec' echo
	bt 'delegation after --' 'bindwatch -- bwfake al' alpha '#1'
	bt 'delegation, no --' 'bindwatch --json bwfake b' beta '#1'
	bt 'delegation after values with = and :' \
	    'bindwatch --timeout=5 --deny 127.0.0.1:80 -- bwfake al' alpha '#1'
	bt 'delegation after -qo FILE and --time 5' \
	    'bindwatch -qo out --time 5 bwfake ' alpha beta '#2'
	PATH=$tmp/fakebin:$PATH
	bt 'which: listening TCP ports' 'bindwatch which ' localhost:3000 \
	    localhost: '!localhost:5353'
	bt 'ports: listening ports' 'bindwatch ports ' 3000 5353 '#2'
	if [ -n "$real_port" ]; then
		PATH=$BW_BUILD:$PATH
		bt "which: real bindwatch ports --json ($real_port)" \
		    'bindwatch which ' "localhost:$real_port"
	fi
)

# ---------------------------------------------------------------- zsh
cat >"$tmp/drv.zsh" <<'EOF'
# zsh -f drv.zsh COMPDIR TMP [REAL_BUILD REAL_PORT]
zmodload zsh/zpty zsh/zselect || exit 1
setopt extendedglob
out=$2/buf
TERM=xterm zpty bw zsh -f -i || exit 1
# Complete with plain complete-word; list every ambiguity without asking;
# ^T writes the edit buffer to $out and clears the line.
zpty -w bw "cd ${(q)2}/files; fpath=(${(q)1} \$fpath); PATH=${(q)2}/fakebin:\$PATH
autoload -Uz compinit; compinit -u -D; LISTMAX=1000; unsetopt list_ambiguous
bindkey '^I' complete-word
bw-dump() { print -r -- \"\$BUFFER\" >| ${(q)out}; BUFFER=; }
zle -N bw-dump; bindkey '^T' bw-dump
_bwfake() { compadd alpha beta }; compdef _bwfake bwfake
print BW\"\"READY"
# (The echo of that line reads BW""READY, so this waits for the output.)
buf=
while zpty -r bw chunk; do buf+=$chunk; [[ $buf == *BWREADY* ]] && break; done
integer ran=0 reported=0

# zt NAME INPUT CHECK...: type INPUT<TAB>.  CHECK is =BUFFER (the line after
# completion), WORD (in the listing) or !WORD (not in the listing).
zt() {
  local name=$1 input=$2 listing= chunk c bad= i
  shift 2
  (( ran++ ))
  rm -f $out
  while zpty -rt bw chunk; do :; done
  zpty -w -n bw "$input"$'\t\C-t'
  for (( i = 0; i < 250; i++ )); do
    while zpty -rt bw chunk; do listing+=$chunk; done
    [[ -s $out ]] && break
    zselect -t 2
  done
  while zpty -rt bw chunk; do listing+=$chunk; done
  # Words of the listing, without terminal escapes.
  local -a w=(${=${listing//$'\e'\[[0-9;?]#[A-Za-z]/ }//[$'\r\b\a']/ })
  buf=$(<$out) 2>/dev/null
  for c; do
    case $c in
      '='*) [[ $buf == ${c#=} ]] ;;
      '!'*) (( ! ${w[(Ie)${c#?}]} )) ;;
      *) (( ${w[(Ie)$c]} )) ;;
    esac || bad+=" $c"
  done
  (( reported++ ))
  if [[ -z $bad ]]; then
    print -r -- "ok   zsh: $name"
  else
    print -r -- "FAIL zsh: $name: wanted$bad, got [$buf] listing [${(j: :)w}]"
  fi
}

zt 'first word options' 'bindwatch -' \
  --json --loopback-only --timeout --output -o -q --seccomp --no-io-uring
zt 'first word --lo' 'bindwatch --lo' '=bindwatch --loopback-only '
zt 'first word po: subcommand' 'bindwatch po' ports
zt 'ports options' 'bindwatch ports -' --json --all -a !--force !--loopback-only
zt 'ports --a' 'bindwatch ports --a' '=bindwatch ports --all '
zt 'which options' 'bindwatch which -' --json !--all
zt 'which: host prefixes, listening TCP ports' 'bindwatch which ' \
  localhost: 127.0.0.1: localhost:3000 !localhost:5353
zt 'which: a host prefix leaves the port open' 'bindwatch which 127' \
  '=bindwatch which 127.0.0.1:'
zt '-o offers files' 'bindwatch -o rep' '=bindwatch -o report.jsonl '
zt '-oFILE offers files' 'bindwatch -orep' '=bindwatch -oreport.jsonl '
zt '--force addresses' 'bindwatch --force ' 127.0.0.1 ::1
zt 'command names after --' 'bindwatch -- ech' echo
zt 'no options after --' 'bindwatch -- --js' '=bindwatch -- --js'
zt 'delegation after --' 'bindwatch -- bwfake al' '=bindwatch -- bwfake alpha '
zt 'delegation, no --' 'bindwatch --timeout 5 --json bwfake b' \
  '=bindwatch --timeout 5 --json bwfake beta '
zt 'delegation, list' 'bindwatch -qo out -- bwfake ' alpha beta
if [[ -n ${4-} ]]; then
  zpty -w bw "PATH=${(q)3}:\$PATH"
  zt "which: real bindwatch ports --json ($4)" 'bindwatch which ' localhost:$4
fi
zpty -d bw
(( ran == reported )) || print "FAIL zsh: $(( ran - reported )) cases did not finish"
EOF

zsh_cases() {
	if ! command -v zsh >/dev/null; then
		echo "FAIL zsh: zsh is not installed"
		return
	fi
	# The zsh under test runs on a pseudo-terminal of its own (zpty).
	timeout 20 zsh -f "$tmp/drv.zsh" "$top/completion" "$tmp" \
	    ${real_port:+"$BW_BUILD" "$real_port"} </dev/null ||
	    echo "FAIL zsh: driver exited with status $?"
}

pass=0 fail=0
while IFS= read -r line; do
	echo "$line"	# stray output (stderr) is shown, but not counted
	case $line in
	ok*) pass=$((pass + 1)) ;;
	FAIL*) fail=$((fail + 1)) ;;
	esac
done < <(bash_cases 2>&1 || echo "FAIL bash: cases exited with status $?"
    zsh_cases 2>&1)
echo "completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
