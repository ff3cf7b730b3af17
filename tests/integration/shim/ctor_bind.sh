# shellcheck shell=sh
#
# A library constructor binds before (or after) ours ran: reported either
# way.  ld.so runs preloaded constructors last-listed first, so with
# LD_PRELOAD="libbindwatch.so:libctorbind.so" the bind arrives before our
# constructor (lazy initialisation); the other order is the easy one.
# LD_DEBUG=files shows which really happened.  Keys ORDER_*, for the
# orders shimfirst and shimlast.

for order in shimfirst shimlast; do
	if [ $order = shimfirst ]; then PL="$LIB:$FIX/libctorbind.so"
	else PL="$FIX/libctorbind.so:$LIB"; fi
	LD_DEBUG=files LD_DEBUG_OUTPUT="$D/dbg.$order" LD_PRELOAD="$PL" \
	    sleep 30 > c.$order.out 2> c.$order.err &
	P=$!
	bw_wait_grep c.$order.out CTOR || exit 90
	port=$(awk '{ print $2 }' c.$order.out)
	bw_wait_listen "127.0.0.1:$port" || exit 91
	bw_wait_grep c.$order.err 'listen(' || exit 92
	echo "${order}_port=$port"
	b=$(grep -F "127.0.0.1:0) = 0 -> 127.0.0.1:$port (tcp)" c.$order.err)
	echo "${order}_bind=$b"
	echo "${order}_bind_pid=$(same "${b%%\] *}" "bindwatch[$P")"
	fd=$(echo "$b" | sed -n 's/.* sleep: bind(\([0-9]*\), .*/\1/p')
	l=$(grep -F ", 4) = 0 on 127.0.0.1:$port (tcp)" c.$order.err)
	echo "${order}_listen_fd=$(same "$(echo "$l" | sed -n 's/.*listen(\([0-9]*\), .*/\1/p')" "$fd")"
	echo "${order}_ss=$(same "$(ss_owner "127.0.0.1:$port" | cut -d ' ' -f 2,3)" "$P $fd")"
	# What really happens: the last preloaded is initialised first.
	echo "${order}_init=$(cat dbg.$order.* |
	    sed -n 's/.*calling init: .*lib\(ctorbind\|bindwatch\)\.so.*/\1/p' | joined)"
	sed "s/^/$order: /" c.$order.err >&2
	kill $P
done
