#!/bin/sh
# The tunnel: plaintext TCP/UDP -> DTLS/SCTP -> plaintext, from INI files.
# Side A carries local plaintext out over DTLS/SCTP, side B brings it back
# to a backend (netpeer); a built-in echo service; reload and drain.
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer

conf_a() {
	cat >"$T/a.conf" <<CONF
log_level = debug

[tcp-out]
accept  = tcp://127.0.0.1:7000
connect = dtls+sctp://127.0.0.1:5658
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem

[udp-out]
accept  = udp://127.0.0.1:7001
connect = dtls+sctp://127.0.0.1:5659
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
idle_timeout = 5

[sink-out]
accept  = tcp://127.0.0.1:7002
connect = dtls+sctp://127.0.0.1:5660
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
${1:-}
CONF
}

conf_b() {
	cat >"$T/b.conf" <<CONF
log_level = debug
drain_timeout = 60

[tcp-in]
accept  = dtls+sctp://127.0.0.1:5658
connect = tcp://127.0.0.1:7100
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem

[udp-in]
accept  = dtls+sctp://127.0.0.1:5659
connect = udp://127.0.0.1:7101
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem

[sink-in]
accept  = dtls+sctp://127.0.0.1:5660
connect = tcp://127.0.0.1:7200
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem

[selftest]
accept  = dtls+sctp://127.0.0.1:8080
connect = echo
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
${1:-}
CONF
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

conf_a
conf_b
check "config A passes --test-config" sh -c "'$BIN' -t -f '$T/a.conf' | grep -qx 'configuration OK'"
check "config B passes --test-config" sh -c "'$BIN' -t -f '$T/b.conf' | grep -qx 'configuration OK'"

start echo "$NP" tcp-echo 7100
start uecho "$NP" udp-echo 7101
start sink "$NP" tcp-sink 7200
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 3 service" && wait_log b "started 4 service"
check "both tunnels started" [ $? -eq 0 ]

# Bulk: 64 MiB each way on one connection, checked byte for byte.
"$NP" tcp-client 127.0.0.1 7000 67108864 1 >"$T/bulk.out" 2>&1
check "64 MiB each way through the tunnel, intact" grep -q "^ok" "$T/bulk.out"

# 100 concurrent connections, each with its own data.
"$NP" tcp-client 127.0.0.1 7000 262144 100 >"$T/many.out" 2>&1
check "100 concurrent connections, each intact" grep -q "^ok: 100 connection" "$T/many.out"
check "one summary line per connection" [ "$(grep -c 'tcp-out: .*closed (closed)' "$T/a.err")" -ge 101 ]
check "summary names client, server, peer and bytes" \
	grep -q "tcp-out: 127.0.0.1:[0-9]*: closed (closed): client 127.0.0.1:[0-9]*, server 127.0.0.1:5658, local 127.0.0.1:[0-9]*, peer CN=server.test, 67108864 bytes up, 67108864 bytes down" "$T/a.err"
check "server side names the verified client" grep -q "tcp-in: .*peer CN=client.test" "$T/b.err"

# Half-close: a client that sends a little, FINs, and reads the rest.
"$NP" tcp-client 127.0.0.1 7000 10 1 >"$T/half.out" 2>&1
check "half-close both ways" grep -q "^ok" "$T/half.out"

# A connection quiet long enough to give its buffers back (2 s), then
# busy again.
(printf 'before '; sleep 3; printf 'after') |
	socat -t 5 - TCP:127.0.0.1:7000 >"$T/quiet.out" 2>&1
check "a quiet connection works again after releasing its buffers" \
	grep -qx "before after" "$T/quiet.out"

# UDP: one datagram per record, 1 to 16384 bytes.
"$NP" udp-client 127.0.0.1 7001 1 16384 1021 >"$T/udp.out" 2>&1
check "UDP datagrams 1..16384 bytes intact" grep -q "^ok" "$T/udp.out"
"$NP" udp-client 127.0.0.1 7001 16384 16384 1 >"$T/udp2.out" 2>&1
check "UDP datagram of exactly 16384 bytes" grep -q "^ok" "$T/udp2.out"
"$NP" udp-client 127.0.0.1 7001 16385 16385 1 >"$T/udp3.out" 2>&1
check "UDP datagram of 16385 bytes is not carried" grep -q "got -1 bytes" "$T/udp3.out"
check "oversized datagram logged with its sender" \
	grep -q "udp-out: 127.0.0.1:[0-9]*: UDP datagram of 16385 bytes dropped: larger than one DTLS record" "$T/a.err"

# The built-in echo target, reached by the seed's client.
"$BIN" -c -h 127.0.0.1 -p 8080 -m selftest -i 10 -k "$T/client.key" \
	-l "$T/client.pem" --ca "$T/ca.pem" >"$T/echo.out" 2>"$T/echo.err"
check "connect = echo answers the seed client" [ $? -eq 0 ]

# Backpressure: a backend that never reads. Memory must stay bounded.
start pusher "$NP" tcp-client 127.0.0.1 7002 1073741824 1
sleep 6
ra=$(rss_kb "$(pid_of a)")
rb=$(rss_kb "$(pid_of b)")
sleep 3
ra2=$(rss_kb "$(pid_of a)")
rb2=$(rss_kb "$(pid_of b)")
echo "RSS while the backend does not read: A $ra -> $ra2 kB, B $rb -> $rb2 kB" >>"$T/check.log"
check "tunnel A memory bounded (< 32 MiB, not growing)" [ "$ra2" -lt 32768 ] && [ $((ra2 - ra)) -lt 1024 ]
check "tunnel B memory bounded (< 32 MiB, not growing)" [ "$rb2" -lt 32768 ] && [ $((rb2 - rb)) -lt 1024 ]
stop pusher
stop sink

# Backend down: the association is closed cleanly, the client sees EOF.
stop echo
"$NP" tcp-client 127.0.0.1 7000 1000 1 >"$T/down.out" 2>&1
check "backend down: client gets no data" grep -q "0 of 1000 bytes came back" "$T/down.out"
check "backend down: logged" grep -q "tcp-in: .*backend tcp://127.0.0.1:7100: Connection refused; closing the association" "$T/b.err"
# A reset on one side aborts the other.
"$NP" tcp-reset 127.0.0.1 7000 >"$T/rst.out" 2>&1
wait_log a "tcp-out: .*TCP receive: connection reset"
check "client reset: logged by tunnel A" [ $? -eq 0 ]
wait_log b "tcp-in: .*association aborted by the peer"
check "client reset: association aborted, seen by tunnel B" [ $? -eq 0 ]
start rstsrv "$NP" tcp-rst-server 7100
sleep 0.3
"$NP" tcp-client 127.0.0.1 7000 100000 1 >"$T/rst2.out" 2>&1
check "backend reset: the client is reset too" grep -q "Connection reset by peer" "$T/rst2.out"
stop rstsrv
start echo "$NP" tcp-echo 7100
sleep 0.3

# SIGHUP with connections open: they survive; a new service appears.
start long "$NP" tcp-client 127.0.0.1 7000 33554432 4
sleep 1
conf_b "
[selftest2]
accept  = dtls+sctp://127.0.0.1:8081
connect = echo
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem"
kill -HUP "$(pid_of b)"
kill -HUP "$(pid_of a)"
wait_log b "reloaded"
check "SIGHUP: reloaded" [ $? -eq 0 ]
wait_exit long 120
check "SIGHUP: open connections survived" [ $? -eq 0 ]
"$BIN" -c -h 127.0.0.1 -p 8081 -i 3 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" >"$T/echo2.out" 2>"$T/echo2.err"
check "SIGHUP: the added service answers" [ $? -eq 0 ]
"$NP" tcp-client 127.0.0.1 7000 100000 2 >"$T/after-hup.out" 2>&1
check "SIGHUP: kept services still work" grep -q "^ok" "$T/after-hup.out"

# A bad file on SIGHUP changes nothing.
echo "bogus line" >>"$T/b.conf"
kill -HUP "$(pid_of b)"
wait_log b "reload of .* failed"
check "SIGHUP with a broken file: refused, logged with FILE:LINE" grep -q "b.conf:[0-9]*:" "$T/b.err"
"$NP" tcp-client 127.0.0.1 7000 1000 1 >"$T/after-bad.out" 2>&1
check "SIGHUP with a broken file: still serving" grep -q "^ok" "$T/after-bad.out"

# Peer tunnel restarted.
stop b
conf_b
start b "$BIN" -f "$T/b.conf"
wait_log b "started 4 service"
"$NP" tcp-client 127.0.0.1 7000 1000000 3 >"$T/restart.out" 2>&1
check "peer tunnel restarted: new connections work" grep -q "^ok" "$T/restart.out"

# SIGTERM drains: an open transfer completes, new ones are refused.
start drain "$NP" tcp-client 127.0.0.1 7000 16777216 1
sleep 1
kill -TERM "$(pid_of b)"
wait_log b "stopped accepting"
"$BIN" -c -h 127.0.0.1 -p 8080 -i 1 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" >"$T/refused.out" 2>"$T/refused.err"
check "SIGTERM: new associations refused" [ $? -ne 0 ]
wait_exit drain 120
check "SIGTERM: the open transfer completed" [ $? -eq 0 ]
wait_exit b 20
check "SIGTERM: exits 0 after draining" [ $? -eq 0 ]

stop a
check "dropped datagrams counted in the service summary" \
	grep -q "udp-out: stopped: .* [1-9][0-9]* datagrams dropped" "$T/a.err"
check "UDP flows closed after idle_timeout, with a summary" \
	grep -q "udp-out: 127.0.0.1:[0-9]*: closed (idle timeout)" "$T/a.err"
finish
