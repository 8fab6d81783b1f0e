#!/bin/sh
# Hostile input on the DTLS/SCTP side: truncated and oversized records,
# chunks under an SCTP-AUTH key we do not have, handshakes that never end,
# a flood of handshakes. Each gets a log line naming the peer and the
# reason and loses its association; a transfer running meanwhile through
# the same service loses nothing.
. "$(dirname "$0")/lib.sh"
certs
RAW=$HELPERS/sctpraw
NP=$HELPERS/netpeer

cat >"$T/srv.conf" <<CONF
log_level = info

[in]
accept  = dtls+sctp://127.0.0.1:5700
connect = tcp://127.0.0.1:7700
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
handshake_timeout = 3
max_handshakes = 5

[out]
accept  = tcp://127.0.0.1:7000
connect = dtls+sctp://127.0.0.1:5700
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
start echo "$NP" tcp-echo 7700
start srv "$BIN" -f "$T/srv.conf"
wait_log srv "started 2 service"

# An honest transfer through the service under attack.
start honest "$NP" tcp-client 127.0.0.1 7000 33554432 2

"$RAW" --hex 17fefd00000000000000000064aabbccdd --wait 3 127.0.0.1 5700 >"$T/trunc.out" 2>&1
check "truncated record: association aborted" grep -qx aborted "$T/trunc.out"
check "truncated record: logged with the peer" \
	wait_log srv "in: 127.0.0.1:[0-9]*: protocol violation: truncated DTLS record"

"$RAW" --size 18500 --wait 3 127.0.0.1 5700 >"$T/big.out" 2>&1
check "message over 18445 bytes: association aborted" grep -qx aborted "$T/big.out"
check "message over 18445 bytes: logged with the peer" \
	wait_log srv "in: 127.0.0.1:[0-9]*: protocol violation: SCTP message larger than 18445 bytes"

"$RAW" --bad-key --partial-hello --wait 6 127.0.0.1 5700 >"$T/badkey.out" 2>&1
check "chunks under an unknown SCTP-AUTH key: association aborted" grep -qx aborted "$T/badkey.out"
check "unknown key: nothing got through, the handshake timed out" \
	wait_log srv "in: 127.0.0.1:[0-9]*: DTLS handshake timed out"

# A flood: 12 peers that start a handshake and never finish it.
for i in $(seq 1 12); do
	"$RAW" --partial-hello --wait 30 127.0.0.1 5700 >"$T/flood$i.out" 2>&1 &
done
wait_flood() { grep -l -x -E "aborted|connect failed: Connection refused" "$T"/flood*.out 2>/dev/null | wc -l; }
check "flood: beyond max_handshakes refused at once, logged" \
	wait_log srv "in: 127.0.0.1:[0-9]*: refused, 5 handshakes in progress (max_handshakes)"
i=0
while [ "$(wait_flood)" -lt 12 ] && [ $i -lt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "flood: every flooding association aborted" [ "$(wait_flood)" -eq 12 ]

# After the flood, honest handshakes are served again.
"$NP" tcp-client 127.0.0.1 7000 100000 3 >"$T/after.out" 2>&1
check "after the flood: new connections work" grep -q "^ok" "$T/after.out"
wait_exit honest 120
check "the transfer during the attacks lost nothing" [ $? -eq 0 ]
check "the service process survived" kill -0 "$(pid_of srv)"
stop srv
finish
