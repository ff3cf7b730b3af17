# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# apache2 -DFOREGROUND, the prefork MPM (a root parent, www-data children
# that accept): Listen $LISTEN.  Every request is answered by the core's
# ErrorDocument, so the children read no file.  The request: GET $URL
# (curl).  apache2 signals its whole process group when it stops: the bare
# run is started with setsid ($BARE_WRAP); bindwatch needs no help.

M=/usr/lib/apache2/modules
cat > "$D/apache2.conf" <<CONF
ServerRoot $D
LoadModule mpm_prefork_module $M/mod_mpm_prefork.so
LoadModule authz_core_module $M/mod_authz_core.so
User www-data
Group www-data
PidFile $D/apache2.pid
ErrorLog $D/error.log
Mutex file:$D default
ServerName localhost
Listen $LISTEN
StartServers 2
MinSpareServers 1
MaxSpareServers 2
ErrorDocument 404 "apache2-ok"
CONF
ask() { curl -sS --max-time 5 "$URL"; }
real_matrix apache2 -DFOREGROUND -f "$D/apache2.conf"
