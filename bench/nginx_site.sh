# shellcheck shell=sh
# Sourced by bench/bench.sh, bench/dpcount.sh and bench/sccost.sh: the one
# nginx site they measure.  nginx_site DIR PORT HEAD writes
# DIR/html/index.html (4 KiB) and DIR/nginx.conf: one worker, access log
# off, 127.0.0.1:PORT, with the top-level directives HEAD first.
nginx_site() {
	mkdir -p "$1/html" "$1/tmp"
	chmod 755 "$1" "$1/html"
	awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%c", 97 + i % 26 }' >"$1/html/index.html"
	chmod 644 "$1/html/index.html"
	cat >"$1/nginx.conf" <<EOF
$3
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $1/tmp/body;
	proxy_temp_path $1/tmp/proxy;
	fastcgi_temp_path $1/tmp/fcgi;
	uwsgi_temp_path $1/tmp/uwsgi;
	scgi_temp_path $1/tmp/scgi;
	server {
		listen 127.0.0.1:$2;
		root $1/html;
	}
}
EOF
}

# nginx_ready DIR PORT PID: wait until the nginx started as PID has
# written DIR/nginx.pid and listens on 127.0.0.1:PORT (30 s at most);
# else kill PID and fail.
nginx_ready() {
	i=0
	until [ -s "$1/nginx.pid" ] && ss -ltn | grep -q "127.0.0.1:$2 "; do
		i=$((i + 1))
		[ "$i" -le 600 ] || { echo "bench: nginx did not start" >&2; kill -KILL "$3"; return 1; }
		sleep 0.05
	done
}
