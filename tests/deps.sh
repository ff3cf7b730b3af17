#!/bin/sh
# Install the Debian packages named as arguments that are missing.  As root
# it installs them; otherwise it prints the exact command to run.
missing=
for p in "$@"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "bindwatch: missing build dependencies; run:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "bindwatch: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# $missing is a list of package names: split on purpose.
# shellcheck disable=SC2086
if ! { apt-get update -qq >/dev/null &&
    apt-get install -y -qq --no-install-recommends $missing >/dev/null; }; then
	echo "bindwatch: apt-get install$missing failed" >&2
	exit 1
fi
