# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# nginx: master_process on, 2 workers (switching to nobody), and both
# `listen P; listen [::]:P;`, under the policy of the table: --loopback-only
# ($WANT both loopbacks) or --force 127.0.0.1 ($WANT 127.0.0.1 only).  The
# scenario waits until the sockets of $WANT are there, a file has been
# served and all three processes hold the sockets.
#
# Under --force 127.0.0.1 the [::] socket is bound to ::ffff:127.0.0.1,
# which the 0.0.0.0 socket (forced to 127.0.0.1) already holds; the shim
# makes the second descriptor an alias (dup3) of the first, so nginx
# starts, serves over 127.0.0.1 and nothing listens on IPv6: same_socket
# is the kernel's truth of that alias, text_* what the text output says.

mkdir -p "$D/www" "$D/tmp"
echo hello > "$D/www/index.html"
cat > "$D/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 2;
pid $D/nginx.pid;
error_log $D/error.log;
events { worker_connections 64; }
http {
	access_log $D/access.log;
	client_body_temp_path $D/tmp/body;
	proxy_temp_path $D/tmp/proxy;
	fastcgi_temp_path $D/tmp/fastcgi;
	uwsgi_temp_path $D/tmp/uwsgi;
	scgi_temp_path $D/tmp/scgi;
	server { listen 18080; listen [::]:18080; root $D/www; }
}
CONF

fresh
start nginx -c "$D/nginx.conf" -p "$D" -e "$D/error.log"
wait_listen 18080 "$WANT"
echo "get4=$(client get http://127.0.0.1:18080/index.html)"
echo "get6=$(client get 'http://[::1]:18080/index.html')"
echo "conn6=$(client connect ::1 18080)"
wait_pids 18080 3
echo "ss=$(listening 18080)"
echo "npids=$(npids 18080)"
MASTER=$(cat "$D/nginx.pid")
echo "master_binds=$(same "$(bind_pids)" "$MASTER")"
# shellcheck disable=SC2046 # the two descriptors, as two words
set -- $(bind_fds)
echo "same_socket=$([ $# -eq 2 ] && [ "$(readlink "/proc/$MASTER/fd/$1")" = "$(readlink "/proc/$MASTER/fd/$2")" ] && echo yes || echo no)"
stop
echo "binds=$(binds)"
echo "rewritten=$(rewritten)"
echo "summary=$(summary_listening)"
echo "nginx_out=$(tr '\n' ' ' < "$D/srv.out")"

# The alias in text ($TEXT=1 in the table: the --force row).
[ "${TEXT:-0}" = 1 ] || exit 0
FMT=text
fresh
start nginx -c "$D/nginx.conf" -p "$D" -e "$D/error.log"
wait_listen 18080 "$WANT"
wait_pids 18080 3
stop
echo "text_bind6=$(grep -c 'bind([0-9]*, \[::\]:18080 => \[::ffff:127\.0\.0\.1\]:18080) = 0 -> 127\.0\.0\.1:18080 ' "$EV")"
echo "text_alias=$(grep -c '^ *rewritten  tcp \[::\]:18080 => \[::ffff:127\.0\.0\.1\]:18080 (same endpoint as an earlier socket: made an alias of it)$' "$EV")"
