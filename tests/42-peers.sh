#!/bin/sh
# Peers that do what any peer may: application data on a stream above
# ours (both tunnels with their own `stream`), and empty UDP datagrams
# (a keep-alive) before and after a request, both ways through a UDP
# tunnel: the flow stays, the answer arrives, the empty datagram that
# cannot be carried in a DTLS record is counted.
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer

# Tunnel pairs: A (client side) with stream a, B (server side) with b.
conf() { # FILE SIDE: services for the stream pairs and the UDP tunnel
	: >"$1"
	echo "log_level = debug" >>"$1"
	n=0
	for pair in 0:20 12:20 20:12 2000:0; do
		a=${pair%%:*} b=${pair#*:}
		n=$((n + 1))
		if [ "$2" = a ]; then
			cat >>"$1" <<CONF
[s$a-$b]
accept  = tcp://127.0.0.1:$((7100 + n))
connect = dtls+sctp://127.0.0.1:$((5600 + n))
stream  = $a
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
		else
			cat >>"$1" <<CONF
[s$a-$b]
accept  = dtls+sctp://127.0.0.1:$((5600 + n))
connect = tcp://127.0.0.1:7100
stream  = $b
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
		fi
	done
	if [ "$2" = a ]; then
		cat >>"$1" <<CONF
[udp-a]
accept  = udp://127.0.0.1:7300
connect = dtls+sctp://127.0.0.1:5700
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
	else
		cat >>"$1" <<CONF
[udp-b]
accept  = dtls+sctp://127.0.0.1:5700
connect = udp://127.0.0.1:7301
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
	fi
}
conf "$T/a.conf" a
conf "$T/b.conf" b
start echo "$NP" tcp-echo 7100
start uecho "$NP" udp-echo-empty 7301
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 5 service" && wait_log b "started 5 service"
check "both tunnels started" [ $? -eq 0 ]

n=0
for pair in 0:20 12:20 20:12; do
	n=$((n + 1))
	"$NP" tcp-client 127.0.0.1 $((7100 + n)) 100000 2 >"$T/pair$n.out" 2>&1
	check "stream ${pair%%:*} one way, ${pair#*:} the other: data both ways" \
		grep -q "^ok" "$T/pair$n.out"
done
check "the peers negotiated enough streams (no EINVAL)" \
	sh -c "! grep -q 'Invalid argument' '$T/a.err' '$T/b.err'"

# Our stream beyond what the peer accepts: refused, both numbers named.
"$NP" tcp-client 127.0.0.1 7104 1000 1 >"$T/pair4.out" 2>&1
wait_log a "s2000-0: .*stream = 2000 needs 2001"
check "stream beyond what the peer accepts: refused before data, named" [ $? -eq 0 ]
check "... with the number the association has" \
	grep -q "s2000-0: .*the association has [0-9]* outbound streams" "$T/a.err"

# Empty datagrams around a request, both ways.
"$NP" udp-ping 127.0.0.1 7300 >"$T/ping.out" 2>&1
check "empty datagrams: the answers arrive" grep -q "^ok: 2 answers" "$T/ping.out"
check "empty datagrams: one association for the flow" \
	[ "$(grep -c 'udp-a: .*DTLS handshake complete' "$T/a.err")" -eq 1 ]
check "empty datagrams: the flow did not end" \
	sh -c "! grep -q 'udp-a: 127.0.0.1:[0-9]*: closed' '$T/a.err'"
stop a
stop b
check "client side: the two empty datagrams counted as dropped" \
	grep -q "udp-a: 127.0.0.1:[0-9]*: closed (shutting down): .* 2 datagrams dropped" "$T/a.err"
check "server side: the backend's two empty datagrams counted as dropped" \
	grep -q "udp-b: 127.0.0.1:[0-9]*: closed (.*): .* 2 datagrams dropped" "$T/b.err"
finish
