# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# Bind all, then listen (issue 13, item 1): a server that binds 0.0.0.0:P
# and [::]:P (v6only, SO_REUSEADDR) and only then listens on both.  Under
# --force 127.0.0.1 both binds land on 127.0.0.1:P; the second listen
# finds the first listening there and its socket is made an alias of it,
# as a second bind's is: the server starts and serves on 127.0.0.1 only.
# Once with a python3 fixture, once with rsync --daemon (exit 10 before).

fresh
start "$PY" "$P/bindall.py" 18100
wait_listen 18100
echo "py_ss=$(listening 18100)"
echo "py_line=$(client line 127.0.0.1 18100)"
echo "py_other=$(client connect 127.0.0.2 18100)"
stop > "$D/st"; sed "s/^/py_/" "$D/st"
echo "py_out=$(grep -c '^listen:' "$D/srv.out")"
echo "py_listens=$(listens)"
echo "py_rewritten=$(rewritten)"
echo "py_failed=$(jq -c 'select(.type=="summary") | .failed' "$EV")"
echo "py_summary=$(summary_listening)"

mkdir -p "$D/mod"
echo hello > "$D/mod/f.txt"
cat > "$D/rsyncd.conf" <<CONF
use chroot = no
pid file = $D/rsyncd.pid
[mod]
path = $D/mod
read only = yes
CONF
fresh
start rsync --daemon --no-detach --port 18101 --config "$D/rsyncd.conf"
wait_listen 18101
echo "rsync_ss=$(listening 18101)"
echo "rsync_list=$(rsync rsync://127.0.0.1:18101/mod/ | awk '{ print $NF }' | joined)"
echo "rsync_other=$(client connect 127.0.0.2 18101)"
stop > "$D/st"; sed "s/^/rsync_/" "$D/st"
echo "rsync_listens=$(listens)"
echo "rsync_summary=$(summary_listening)"
