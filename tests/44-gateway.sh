#!/bin/sh
# The SCTP gateway: plaintext SCTP -> tunnel A -> DTLS/SCTP -> tunnel B ->
# plaintext SCTP. Every message keeps its bytes, stream, PPID (translated
# by ppid_map on the wire and back) and unordered flag; the echo target
# answers on the stream with the PPID; and what cannot be carried (a
# message too large, a stream the next association lacks), aborts on
# either side, a backend that refuses and one that never reads are each
# handled visibly while another association of the service keeps running.
. "$(dirname "$0")/lib.sh"
certs
SP=$HELPERS/sctppeer

# Services: NAME A_PORT B_PORT BACKEND [A_EXTRA [B_EXTRA]]; A listens on
# sctp A_PORT and connects to B on dtls+sctp B_PORT, B to BACKEND.
: >"$T/a.conf"
: >"$T/b.conf"
service() {
	cat >>"$T/a.conf" <<CONF
[$1]
accept  = sctp://127.0.0.1:$2
connect = dtls+sctp://127.0.0.1:$3
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
${5:-}
CONF
	[ -n "$4" ] || return 0
	cat >>"$T/b.conf" <<CONF
[$1]
accept  = dtls+sctp://127.0.0.1:$3
connect = $4
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
${6:-}
CONF
}
printf 'log_level = debug\ndrain_timeout = 2\n' >>"$T/a.conf"
printf 'log_level = debug\ndrain_timeout = 2\n' >>"$T/b.conf"
service gw 3801 5801 sctp://127.0.0.1:3901 "ppid_map = ngap, diameter" \
	"ppid_map = ngap, diameter"
service raw 3802 5802 sctp://127.0.0.1:3902 "ppid_map = ngap"
service echo-gw 3803 5803 sctp://127.0.0.1:3903
service wide 3804 5803 "" "streams = 32"
service to-abort 3805 5805 sctp://127.0.0.1:3905
service to-refused 3806 5806 sctp://127.0.0.1:3906
service to-noread 3807 5807 sctp://127.0.0.1:3907
service to-echo 3808 5808 echo
service gw-small 3809 5809 sctp://127.0.0.1:3909 "ppid_map = ngap, diameter" \
	"ppid_map = ngap, diameter"
start sink "$SP" sink 3901 2000 7
start sink2 env SCTPPEER_SMALL=1 "$SP" sink 3909 20000 11
start lines "$SP" lines 3902
start echo "$SP" echo 3903
start aborter "$SP" abort-server 3905
start noread "$SP" noread 3907
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 9 service" && wait_log b "started 8 service"
check "both tunnels started" [ $? -eq 0 ]

# 1. 2000 messages: 1, 100, 16383 and 16384 bytes, then random sizes, on
# streams 0-15, PPIDs 60, 46, 1234 and 0, half of them unordered; then a
# graceful SHUTDOWN, passed on as close_notify and SHUTDOWN.
"$SP" send 127.0.0.1 3801 2000 7 >"$T/send.out" 2>&1
check "sender: 2000 messages sent, the association shut down" \
	grep -q "^sent 2000 messages" "$T/send.out"
wait_exit sink 30
check "sink: every message whole, on its stream, its PPID, its flag, in order" \
	grep -q "^ok: 2000 messages, [0-9]* unordered, 16 streams, 4 ppids" "$T/sink.out"
wait_log b "gw: .*closed (closed)" && wait_log a "gw: .*closed (closed)"
check "both tunnels: the graceful close passed on (closed)" [ $? -eq 0 ]
check "client tunnel: 2000 messages up in the closing line" \
	grep -q "gw: .*closed (closed): .*, 2000 messages up, 0 messages down" "$T/a.err"
check "server tunnel: 2000 messages down (DTLS to plaintext) in the closing line" \
	grep -q "gw: .*closed (closed): .*, 0 messages up, 2000 messages down" "$T/b.err"

# 1b. 20000 small messages (1 to 400 bytes after the first four, 16383
# and 16384 among them), as fast as the sender can: both tunnels move them
# in batches (several per recvmmsg and sendmmsg each way); every message
# whole, on its stream with its PPID and flag, in order per stream, none
# lost when the end of input follows a batch.
SCTPPEER_SMALL=1 "$SP" send 127.0.0.1 3809 20000 11 >"$T/send2.out" 2>&1
check "small messages: 20000 sent, the association shut down" \
	grep -q "^sent 20000 messages" "$T/send2.out"
wait_exit sink2 60
check "small messages: every one whole, on its stream, its PPID, its flag, in order" \
	grep -q "^ok: 20000 messages, [0-9]* unordered, 16 streams, 4 ppids" "$T/sink2.out"
wait_log b "gw-small: .*closed (closed)" && wait_log a "gw-small: .*closed (closed)"
check "small messages: 20000 up and down in the closing lines" \
	sh -c "grep -q 'gw-small: .*closed (closed): .*, 20000 messages up, 0 messages down' '$T/a.err' &&
		grep -q 'gw-small: .*closed (closed): .*, 0 messages up, 20000 messages down' '$T/b.err'"

# 2. On the wire the PPID is the mapped one: B's [raw] has no ppid_map.
"$SP" sendone 127.0.0.1 3802 100 3 60 >"$T/one.out" 2>&1 &
p=$!
i=0
until grep -q "^stream" "$T/lines.out" || [ $i -gt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
kill $p 2>/dev/null
wait $p 2>/dev/null
check "NGAP's PPID 60 travels as 66 over DTLS/SCTP, on its stream" \
	grep -q "^stream 3 ppid 66 unordered 0 bytes 100: " "$T/lines.out"

# 3. The echo target: each message back on its stream with its PPID.
"$SP" rr 127.0.0.1 3808 200 1000 >"$T/rr-echo.out" 2>&1
check "connect = echo: 200 echoes on stream 1 with PPID 60" \
	grep -q "^ok: 200 round trips" "$T/rr-echo.out"

# 4. Failures, while an association of [echo-gw] keeps going.
start rr "$SP" rr 127.0.0.1 3803 1000000 100 "$T/stop-rr"
sleep 1
"$SP" sendone 127.0.0.1 3803 16385 2 >"$T/big.out" 2>&1
check "16385 bytes: the client's association is aborted" \
	grep -qx "aborted" "$T/big.out"
check "16385 bytes: logged with the peer, the size and the limit" \
	grep -q "echo-gw: 127.0.0.1:[0-9]*: SCTP message of 16385 bytes on stream 2: larger than one DTLS record can carry (16384 bytes" "$T/a.err"
wait_log a "echo-gw: .*closed (message too large)"
check "16385 bytes: the reason in the closing line" [ $? -eq 0 ]
# (B may see the ABORT before it has processed the client's Finished.)
wait_log b "echo-gw: .*closed (\\(DTLS/SCTP peer aborted\\|handshake failed\\))"
check "16385 bytes: the far tunnel's association aborted too" [ $? -eq 0 ]

SCTPPEER_STREAMS=32 "$SP" sendone 127.0.0.1 3804 100 20 >"$T/stream.out" 2>&1
check "stream 20 where the backend association has 16: the client's association is aborted" \
	grep -qx "aborted" "$T/stream.out"
check "stream 20: logged with the stream and the number there is" \
	grep -q "echo-gw: 127.0.0.1:[0-9]*: a message on stream 20, but this association has 16 outbound streams" "$T/b.err"
check "stream 20: the reason in the closing line" \
	grep -q "echo-gw: .*closed (no such stream)" "$T/b.err"

"$SP" abort 127.0.0.1 3803 >"$T/abort.out" 2>&1
check "ABORT from the client" grep -qx "aborted by us" "$T/abort.out"
wait_log a "echo-gw: .*closed (plaintext side reset)"
check "ABORT from the client: logged, the reason in the closing line" [ $? -eq 0 ]
wait_log echo "recv: Connection reset by peer"
check "ABORT from the client: the server's association is aborted" [ $? -eq 0 ]

"$SP" sendone 127.0.0.1 3805 100 0 >"$T/srvabort.out" 2>&1
check "ABORT from the server: the client's association is aborted" \
	grep -qx "aborted" "$T/srvabort.out"
check "ABORT from the server: logged by the server tunnel" \
	grep -q "to-abort: 127.0.0.1:[0-9]*: .*association aborted by the peer" "$T/b.err"

"$SP" sendone 127.0.0.1 3806 100 0 >"$T/refused.out" 2>&1
check "a backend that refuses: the client's association is aborted" \
	grep -qx "aborted" "$T/refused.out"
check "a backend that refuses: logged with the backend" \
	grep -q "to-refused: 127.0.0.1:[0-9]*: backend sctp://127.0.0.1:3906: .*aborting the association" "$T/b.err"
check "a backend that refuses: the reason in the closing line" \
	grep -q "to-refused: .*closed (backend unreachable)" "$T/b.err"

# A backend that never reads: the sender is held back; the tunnels' memory
# does not grow with what it offers.
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$(pid_of "$1")/status"; }
ra=$(rss a)
rb=$(rss b)
start flood "$SP" send 127.0.0.1 3807 20000 9
sleep 8
check "a backend that never reads: the sender is held back" \
	sh -c "! grep -q '^sent' '$T/flood.out'"
da=$(($(rss a) - ra))
db=$(($(rss b) - rb))
echo "RSS growth while held back: A $da KiB, B $db KiB" >>"$T/check.log"
check "a backend that never reads: the tunnels' memory stays bounded (< 4 MiB)" \
	[ "$da" -lt 4096 -a "$db" -lt 4096 ]
stop flood

touch "$T/stop-rr"
wait_exit rr 30
check "the other association of [echo-gw] kept running throughout" \
	grep -q "^ok: [0-9]* round trips" "$T/rr.out"
stop a
stop b
check "client tunnel: 1 message too large counted" \
	grep -q "echo-gw: stopped: .* 1 messages too large" "$T/a.err"
finish
