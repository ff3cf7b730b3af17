# shellcheck shell=sh
# shellcheck source=tests/integration/real/common.sh
. "$BW_IT/real/common.sh"
#
# nginx, a master and 2 workers (root in the namespace): daemon $DAEMON
# (on: the master forks away from the command; bindwatch follows), the
# listen directives $LISTEN.  The request: GET each of $URLS, and with
# $PROCS set, that many nginx processes run.

mkdir -p "$D/ng"
cat > "$D/ng/nginx.conf" <<CONF
daemon $DAEMON;
worker_processes 2;
pid $D/ng/nginx.pid;
error_log $D/ng/error.log;
events { worker_connections 64; }
http {
 access_log $D/ng/access.log;
 client_body_temp_path $D/ng/body;
 server { $LISTEN location / { return 200 "nginx-ok\\n"; } }
}
CONF
request() {
	for u in $URLS; do
		real_get "$u" || return
	done
	[ -z "${PROCS-}" ] || [ "$(pgrep -c -x nginx)" -eq "$PROCS" ]
}
real_run nginx -c "$D/ng/nginx.conf" -p "$D/ng"
