# shellcheck shell=sh
#
# With no policy, every list (and every error) is libc's own, and the shim
# saw every call.  The namespace is dual-stack.

set -f
Q='passive/unspec/stream/localhost/3000 0/unspec/any/localhost/-
    null/-/-/localhost/http numerichost/unspec/any/127.0.0.1/80
    0/inet6/dgram/::1/http passive/unspec/stream/-/3000
    passive/unspec/any/-/http canonname/unspec/stream/localhost/ssh
    addrconfig,v4mapped/inet6/stream/localhost/80
    v4mapped,all/inet6/stream/localhost/80 0/inet/stream/::1/80
    numerichost/unspec/stream/no-such-host.invalid/80
    0/unspec/stream/localhost/no-such-service null/-/-/-/-
    0/unspec/dgram/localhost/-'
# shellcheck disable=SC2086 # the queries, as words
{
	"$FIX/gai_dump" $Q > plain.out 2> plain.err
	echo "plain=$?"
	LD_PRELOAD=$LIB "$FIX/gai_dump" $Q > shim.out 2> shim.err
	echo "shim=$?"
	echo "queries=$(echo $Q | wc -w)"
}
echo "same=$(same_files plain.out shim.out)"
numbered q shim.out
echo "gai_events=$(grep -F 'bindwatch[' shim.err | grep -cF 'getaddrinfo(')"
echo "gai_invalid=$(grep -cF 'getaddrinfo("no-such-host.invalid", "80", stream|numerichost) = EAI_NONAME' shim.err)"
