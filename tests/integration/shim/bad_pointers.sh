# shellcheck shell=sh
#
# Errors exactly as libc gives them, with and without the shim.

"$FIX/bad_pointers" > plain.out 2>&1
echo "plain=$?"
LD_PRELOAD=$LIB "$FIX/bad_pointers" > shim.out 2> shim.err
echo "shim=$?"
echo "all_ok=$(grep -c 'ALL OK' shim.out)"
echo "fail=$(grep -c FAIL shim.out)"
# Same checks, same results (but for getpid's value).
grep -v getpid plain.out > a
grep -v getpid shim.out > b
echo "same=$(same_files a b)"
# The failures were seen, not skipped; non-IP binds were not.
ev() { grep -F 'bindwatch[' shim.err | grep -cF -- "$1"; }
echo "efault=$(ev ') = -1 EFAULT')"
echo "einval=$(ev ') = -1 EINVAL')"
echo "eafnosupport=$(ev EAFNOSUPPORT)"
echo "gai_null=$(ev 'getaddrinfo(NULL, NULL, NULL) = EAI_NONAME')"
echo "ebadf=$(ev EBADF)"
echo "enotsock=$(ev ENOTSOCK)"
echo "stray=$(grep -cvF 'bindwatch[' shim.err)"
# SYS_bind and SYS_listen through syscall(2) are observed too.
echo "listens=$(ev 'listen(')"
