# shellcheck shell=sh
#
# A static program bound to 0.0.0.0 under --loopback-only, without the
# seccomp supervisor (--seccomp=off; as where the kernel cannot give one):
# the shim never sees it, so the policy cannot be applied.  ss shows it still on the
# wildcard; the summary must call it exposed and say the policy was not
# applied, naming the socket and the pid that holds it, in JSON and text.

"$BW" --seccomp=off --loopback-only --json --timeout 2 -o report -- \
    "$FIX/static_listener" 0.0.0.0 4200 30 > out 2>&1 &
bw=$!
bw_wait_listen 0.0.0.0:4200 || exit 90
bw_ss > ss
wait $bw
pid=$(number_after out 'LISTENING 0.0.0.0 4200 ')
echo "ss=$(same "$(ss_owner 0.0.0.0:4200 ss | cut -d ' ' -f 2)" "$pid")"
echo "exposed=$(same "$(summary_jq report '.warnings[] | select(.kind == "exposed") | "\(.pid) \(.addr):\(.port)"')" "$pid 0.0.0.0:4200")"
echo "notapplied=$(same "$(summary_jq report '.warnings[] | select(.kind == "policy-not-applied") | "\(.pid) \(.comm) \(.proto) \(.addr):\(.port) \(.action) \(.policy_addr):\(.policy_port)"')" "$pid static_listener tcp 0.0.0.0:4200 rewrite 127.0.0.1:4200")"

"$BW" --seccomp=off --loopback-only --timeout 1 -q -- \
    "$FIX/static_listener" 0.0.0.0 4201 30 > /dev/null 2> text
echo "text=$(count text '! policy-not-applied: pid ')"
echo "text_socket=$(count text 'holds tcp 0.0.0.0:4201, which the shim never saw')"
echo "text_unseen=$(count text '    unseen     tcp 0.0.0.0:4201')"
# No policy: exposed all the same, and nothing said of a policy.
"$BW" --seccomp=off --timeout 1 -q -- "$FIX/static_listener" 0.0.0.0 4202 30 > /dev/null 2> plain
echo "plain_exposed=$(count plain 'listens on tcp 0.0.0.0:4202')"
echo "plain_notapplied=$(count plain 'policy-not-applied')"
