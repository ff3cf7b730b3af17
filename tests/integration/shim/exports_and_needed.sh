# shellcheck shell=sh
#
# The library exports the hooks, nothing else, and needs libc only: the
# three of the design, syscall(2), and the calls that keep the socket
# cache true (socket, setsockopt and the ways a descriptor closes).  Run
# outside the namespaces.

echo "exports=$(nm -D --defined-only "$LIB" | awk '{ print $3 }' | sort | joined)"
# The UBSan build (SAN=1) needs its runtime, and that its own: nothing else.
ubsan=no
nm -D --undefined-only "$LIB" | grep -q __ubsan_ && ubsan=yes
readelf -d "$LIB" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' > needed
echo "needed=$(joined < needed)"
if [ $ubsan = yes ]; then
	allowed='libc\.so|ld-linux|libubsan\.so'
	deps='linux-vdso|libc\.so|ld-linux|ubsan|libstdc\+\+|libm\.so|libgcc_s'
else
	allowed='libc\.so|ld-linux'
	deps='linux-vdso|libc\.so|ld-linux'
fi
echo "needed_other=$(grep -Ev "^($allowed)" needed | joined)"
echo "ldd_other=$(ldd "$LIB" | sed 's/^[[:space:]]*//' | grep -Ev "$deps" | joined)"
