# shellcheck shell=sh
#
# Through shell wrappers and env(1) the program is still watched, and the
# user's LD_PRELOAD is kept: ours first, the user's after it.

# shellcheck disable=SC2016 # the inner shell expands $FIX
"$BW" --timeout 1.5 -- sh -c 'env FOO=1 "$FIX/gai_walker" 127.0.0.1 4100 30' \
    > /dev/null 2> text
echo "listen=$(count text 'gai_walker: listen(3, 128) = 0 on 127.0.0.1:4100')"
echo "exec=$(count text ': exec /usr/bin/env')"
# shellcheck disable=SC2016 # the inner shell's variable
echo "preload=$(LD_PRELOAD=/nonexistent.so "$BW" -q -- sh -c 'echo "$LD_PRELOAD"' 2>/dev/null)"
