# bash completion for bindwatch(1)          -*- shell-script -*-
# Installed as /usr/share/bash-completion/completions/bindwatch.
#
# The option lists below must follow the getopt tables (long options and
# optstrings) in tools/bindwatch.c, tools/ports.c and tools/which.c.

# Run mode: "+ho:qv"; a trailing "=" marks a required argument.
_bindwatch_run_long='--json --output= --quiet --verbose --timeout= --force=
    --loopback-only --resolve= --ipv4 --ipv6 --map-port= --deny= --seccomp=
    --no-io-uring --help --version'
_bindwatch_run_short='-h -o -q -v'
# ports: "+jah"; which: "+jh".
_bindwatch_ports_opts='--json --all --help -j -a -h'
_bindwatch_which_opts='--json --help -j -h'

# getopt_long takes unambiguous prefixes (--time 5): set REPLY to the run
# mode long option $1 stands for, with its "=" if it takes an argument.
_bindwatch_long()
{
    local o n=0
    REPLY=
    for o in $_bindwatch_run_long; do
        if [[ ${o%=} == "$1" ]]; then
            REPLY=$o
            return
        fi
        [[ $o == "$1"* ]] && REPLY=$o && ((n++))
    done
    ((n == 1)) || REPLY=
}

# Does run mode option word $1 consume the next word as its value?
_bindwatch_takes_arg()
{
    local s
    case $1 in
        --*=* | --) return 1 ;;
        --*)
            _bindwatch_long "$1"
            [[ $REPLY == *= ]]
            ;;
        -?*)
            # A cluster such as -qvo: -o takes the rest, or the next word.
            s=${1#-}
            while [[ $s == [qvh]* ]]; do s=${s#?}; done
            [[ $s == o ]]
            ;;
        *) return 1 ;;
    esac
}

# Listening ports as "bindwatch ports --json" prints them ($1 = tcp to keep
# TCP only): only when bindwatch is on PATH, and never more than a second.
_bindwatch_listening()
{
    command -v bindwatch >/dev/null 2>&1 || return 0
    timeout 1 bindwatch ports --json 2>/dev/null |
        grep -o "\"port\": [0-9]*, \"proto\": \"${1:-[a-z]*}\"" |
        cut -d' ' -f2 | tr -d , | sort -un
}

_bindwatch()
{
    local cur prev words cword split
    # -n : keeps host:port and [::1]:80 one word; -s splits --opt=value.
    _init_completion -s -n : || return

    local i REPLY mode=run cmd=0 opts
    case ${words[1]-} in
        # Subcommands are recognised as the first argument only (main()).
        ports | which) ((cword > 1)) && mode=${words[1]} ;;
    esac

    if [[ $mode != run ]]; then
        [[ $mode == ports ]] && opts=$_bindwatch_ports_opts ||
            opts=$_bindwatch_which_opts
        # "+" in the optstring: options end at "--" or the first operand.
        local operands=0 ended=0
        for ((i = 2; i < cword; i++)); do
            if ((ended)) || [[ ${words[i]} != -?* ]]; then
                ((operands++, ended = 1))
            elif [[ ${words[i]} == -- ]]; then
                ended=1
            fi
        done
        if [[ $cur == -* ]] && ((!ended)); then
            mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
        elif [[ $mode == ports ]]; then
            mapfile -t COMPREPLY < <(compgen -W \
                "$(_bindwatch_listening)" -- "$cur")
        elif ((operands == 0)); then
            # which takes one host:port; offer the listening TCP ports.
            local p cands='localhost: 127.0.0.1: [::1]:'
            for p in $(_bindwatch_listening tcp); do
                cands+=" localhost:$p"
            done
            mapfile -t COMPREPLY < <(compgen -W "$cands" -- "$cur")
        fi
        _bindwatch_finish
        return
    fi

    # Run mode: find the command word (getopt's "+": the first operand).
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -- ]]; then
            cmd=$((i + 1))
            break
        elif _bindwatch_takes_arg "${words[i]}"; then
            ((i++))
        elif [[ ${words[i]} != -?* ]]; then
            cmd=$i
            break
        fi
    done
    if ((cmd)); then
        _bindwatch_command_offset "$cmd"
        return
    fi

    # The value of an option?
    if _bindwatch_takes_arg "$prev"; then
        _bindwatch_long "$prev"
        case ${REPLY:-$prev} in
            --output= | -*o) _filedir ;;
            --force=)
                mapfile -t COMPREPLY < <(compgen -W '127.0.0.1 ::1' -- "$cur")
                ;;
            --resolve=)
                # A hint for NAME= only: readline would repeat it after "=".
                [[ $cur == *=* ]] ||
                    mapfile -t COMPREPLY < <(compgen -W 'localhost=' -- "$cur")
                ;;
            # --timeout SECONDS, --map-port FROM=TO, --deny ADDR[:PORT]:
            # nothing sensible to offer.
        esac
        _bindwatch_finish
        return
    fi
    $split && return

    # An empty word gets the options too (and the subcommands first).
    if [[ $cur == -* || -z $cur ]]; then
        opts="${_bindwatch_run_long//=/} $_bindwatch_run_short"
        ((cword == 1)) && opts="ports which $opts"
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    elif ((cword == 1)); then
        mapfile -t COMPREPLY < <(compgen -W 'ports which' -- "$cur")
        # "bindwatch ec<TAB>": no subcommand matches, so it is the command.
        ((${#COMPREPLY[@]})) || _bindwatch_command_offset 1
    else
        _bindwatch_command_offset "$cword"
    fi
}

# Leave host: and name= open for the rest; strip what readline keeps
# before the last colon.
_bindwatch_finish()
{
    if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *[:=] ]]; then
        compopt -o nospace
    fi
    __ltrim_colon_completions "$cur"
}

# _command_offset counts COMP_WORDS, where "=" and ":" are words of their
# own (--timeout=5 is three); words[$1] as _init_completion joined them
# starts at another index there.  Map it, then complete the command.
_bindwatch_command_offset()
{
    local i j=0 acc
    for ((i = 0; i < $1; i++)); do
        acc=${COMP_WORDS[j++]}
        while [[ $acc != "${words[i]}" ]] && ((j < ${#COMP_WORDS[@]})); do
            acc+=${COMP_WORDS[j++]}
        done
    done
    # On a mismatch (redirections, which _init_completion drops), keep $1.
    [[ $acc == "${words[i - 1]}" ]] || j=$1
    _command_offset "$j"
}

complete -F _bindwatch bindwatch

# ex: filetype=sh
