#!/bin/sh
# The SCTP gateway at its edges, each handled visibly and truthfully:
# PPIDs that ppid_map would turn into another (refused on either side),
# a client that shuts down before its answer arrives (SCTP has no
# half-close; also before the tunnel accepted it), a refusing backend
# logged once, a peer at max_handshakes, the closing lines of aborted
# connections before "stopped", keys a service would ignore and unsafe
# settings refused or warned about by -t as at start.
. "$(dirname "$0")/lib.sh"
certs
SP=$HELPERS/sctppeer
RAW=$HELPERS/sctpraw

# Services: NAME A_PORT B_PORT B_CONNECT [A_EXTRA [B_EXTRA]]; A listens on
# sctp A_PORT and connects to B on dtls+sctp B_PORT, B to B_CONNECT.
printf 'log_level = debug\ndrain_timeout = 1\n' >"$T/a.conf"
printf 'log_level = debug\ndrain_timeout = 1\n' >"$T/b.conf"
service() {
	printf '[%s]\naccept = sctp://127.0.0.1:%s\nconnect = dtls+sctp://127.0.0.1:%s\ncert = %s\nkey = %s\nca = %s\n%s\n' \
		"$1" "$2" "$3" "$T/client.pem" "$T/client.key" "$T/ca.pem" "${5:-}" >>"$T/a.conf"
	printf '[%s]\naccept = dtls+sctp://127.0.0.1:%s\nconnect = %s\ncert = %s\nkey = %s\nca = %s\n%s\n' \
		"$1" "$3" "$4" "$T/server.pem" "$T/server.key" "$T/ca.pem" "${6:-}" >>"$T/b.conf"
}
service pp 3821 5821 sctp://127.0.0.1:3921 "ppid_map = ngap" "ppid_map = NGAP"
service raw 3822 5822 sctp://127.0.0.1:3921 "" "ppid_map = 60 : 66"
service sh 3823 5823 echo
service refused 3824 5824 sctp://127.0.0.1:3924
service mh 3825 5825 echo "" "max_handshakes = 1
handshake_timeout = 30"
start lines "$SP" lines 3921
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 5 service" && wait_log b "started 5 service"
check "both tunnels started" [ $? -eq 0 ]

# 1. ppid_map = ngap: 60 travels as 66 and comes back as 60; a plaintext
# 66 would come out as 60 at the far end, and a 60 over DTLS/SCTP would
# be taken for NGAP: both refused, logged, counted.
eofs() { grep -c "^eof" "$T/lines.out"; }
wait_eofs() {
	i=0
	until [ "$(eofs)" -ge "$1" ] || [ $i -gt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}
"$SP" sendone 127.0.0.1 3821 100 3 60 >"$T/pp60.out" 2>&1
wait_eofs 1
check "ppid_map: PPID 60 arrives as 60" \
	grep -q "^stream 3 ppid 60 unordered 0 bytes 100: " "$T/lines.out"
"$SP" sendone 127.0.0.1 3821 100 3 66 >"$T/pp66.out" 2>&1
check "plaintext PPID 66 (ngap's DTLS side): the client's association is aborted" \
	grep -qx "aborted" "$T/pp66.out"
check "plaintext PPID 66: logged with the peer, the pair and what it would become" \
	grep -q "pp: 127.0.0.1:[0-9]*: SCTP message with PPID 66 on stream 3: ppid_map pairs 60:66, so the far end would deliver it with PPID 60" "$T/a.err"
check "plaintext PPID 66: the reason in the closing line" \
	grep -q "pp: 127.0.0.1:[0-9]*: closed (PPID reserved by ppid_map)" "$T/a.err"
"$SP" sendone 127.0.0.1 3822 100 4 60 >"$T/raw60.out" 2>&1
check "PPID 60 over DTLS/SCTP (ngap's plaintext side): the client's association is aborted" \
	grep -qx "aborted" "$T/raw60.out"
check "PPID 60 over DTLS/SCTP: logged by the server tunnel with the pair" \
	grep -q "raw: 127.0.0.1:[0-9]*: a message with PPID 60 on stream 4 over DTLS/SCTP: ppid_map pairs 60:66" "$T/b.err"
wait_eofs 3
check "neither reached the backend (one message with PPID 60 in all)" \
	[ "$(grep -c "ppid 60" "$T/lines.out")" -eq 1 ]

# 2. A client that sends, then shuts down at once: the echo cannot reach
# it (SCTP has no half-close). Logged as such, not as an ABORT.
"$SP" sendshut 127.0.0.1 3823 100 1 60 >"$T/shut1.out" 2>&1
check "sendshut: the client's association closed gracefully" \
	grep -q "^closed, 0 messages back" "$T/shut1.out"
wait_log a "sh: .*closed (undeliverable: plaintext peer shut down)"
check "sendshut: the reason in the closing line" [ $? -eq 0 ]
check "sendshut: the undeliverable echo logged with its size and stream" \
	grep -q "sh: 127.0.0.1:[0-9]*: the SCTP peer shut the association down (SCTP has no half-close): a message of 100 bytes on stream 1 cannot be delivered" "$T/a.err"
# ... and before the tunnel accepted the association (A stopped).
kill -STOP "$(pid_of a)"
"$SP" sendshut 127.0.0.1 3823 100 2 60 >"$T/shut2.out" 2>&1
kill -CONT "$(pid_of a)"
check "shut down before accept: the client closed gracefully" \
	grep -q "^closed, 0 messages back" "$T/shut2.out"
i=0
until [ "$(grep -c "sh: .*closed (undeliverable" "$T/a.err")" -ge 2 ] || [ $i -gt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "shut down before accept: the same reason (not 'no such stream')" \
	grep -q "sh: 127.0.0.1:[0-9]*: the SCTP peer shut the association down (SCTP has no half-close): a message of 100 bytes on stream 2" "$T/a.err"
check "shut down before accept: the client's address is known (accept's)" \
	sh -c "! grep -q 'sh: ?' '$T/a.err'"

# 3. A backend that refuses: one warning, not one per layer.
"$SP" sendone 127.0.0.1 3824 100 0 >"$T/refused.out" 2>&1
check "refusing backend: the client's association is aborted" \
	grep -qx "aborted" "$T/refused.out"
check "refusing backend: one warning line" \
	[ "$(grep "warning: refused: " "$T/b.err" | grep -c 3924)" -eq 1 ]

# 4. A DTLS/SCTP peer at max_handshakes aborts at once: not "unreachable".
"$RAW" --partial-hello --wait 20 127.0.0.1 5825 >"$T/hog.out" 2>&1 &
HOG=$!
wait_log b "mh: 127.0.0.1:[0-9]*: association accepted"
"$SP" sendone 127.0.0.1 3825 100 0 >"$T/mh.out" 2>&1
check "max_handshakes: the server tunnel refused, saying why" \
	grep -q "mh: 127.0.0.1:[0-9]*: refused, 1 handshakes in progress (max_handshakes)" "$T/b.err"
wait_log a "mh: .*closed ("
check "max_handshakes: the client tunnel says the peer aborted at once, not unreachable" \
	grep -q "mh: .*closed (DTLS/SCTP peer aborted at once)" "$T/a.err"
check "max_handshakes: the client tunnel's warning suggests why" \
	grep -q "mh: 127.0.0.1:[0-9]*: DTLS/SCTP peer 127.0.0.1:5825 aborted the association as it accepted it (is it at its max_conns or max_handshakes?)" "$T/a.err"
kill "$HOG" 2>/dev/null
wait "$HOG" 2>/dev/null

# 5. Stopping with a connection left: its closing line, then "stopped".
start held "$SP" sendone 127.0.0.1 3823 100 0
wait_log a "sh: .*DTLS handshake complete" # the third of [sh]
i=0
until [ "$(grep -c "sh: .*DTLS handshake complete" "$T/a.err")" -ge 3 ] || [ $i -gt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
stop a
stop b
check "counted when the services stop: 1 with a reserved PPID, 2 undeliverable" \
	sh -c "grep -q 'pp: stopped: .* 1 with a reserved PPID, 0 undeliverable' '$T/a.err' &&
		grep -q 'sh: stopped: .* 0 with a reserved PPID, 2 undeliverable' '$T/a.err'"
check "counted by the server tunnel: 1 with a reserved PPID" \
	grep -q "raw: stopped: .* 1 with a reserved PPID" "$T/b.err"
closed=$(grep -n "sh: .*closed (shutting down)" "$T/a.err" | cut -d: -f1)
stopped=$(grep -n "notice: stopped$" "$T/a.err" | cut -d: -f1)
check "an aborted connection's closing line comes before 'stopped'" \
	[ "${closed:-0}" -gt 0 -a "${closed:-0}" -lt "${stopped:-0}" ]
# An abort that beats the end of a handshake is ordinary: the old
# SCTP-AUTH key of the association it took away is not a warning.
check "aborted associations: no warning about deleting their SCTP-AUTH keys" \
	sh -c "! grep -q 'deleting SCTP-AUTH key' '$T/a.err' '$T/b.err'"

# 6. -t: keys the service would ignore are errors; unsafe settings warned
# about as at start.
cp "$T/server.key" "$T/open.key"
chmod 644 "$T/open.key"
cat >"$T/t.conf" <<CONF
[gw]
accept  = sctp://127.0.0.1:1
connect = dtls+sctp://127.0.0.1:2
ca = $T/ca.pem
stream = 3
[tcp]
accept  = tcp://127.0.0.1:3
connect = dtls+sctp://127.0.0.1:4
ca = $T/ca.pem
streams = 32
CONF
"$BIN" -t -f "$T/t.conf" >"$T/t.out" 2>&1
check "-t: 'stream' on an sctp:// service is an error with file and line" \
	grep -q "^$T/t.conf:5: \[gw\]: 'stream' is for tcp:// and udp:// services" "$T/t.out"
check "-t: 'streams' on a tcp:// service is an error with file and line" \
	grep -q "^$T/t.conf:10: \[tcp\]: 'streams' is for a service with an sctp:// side" "$T/t.out"
cat >"$T/w.conf" <<CONF
[w]
accept  = dtls+sctp://127.0.0.1:5829
connect = echo
cert = $T/server.pem
key = $T/open.key
ca = $T/ca.pem
CONF
"$BIN" -t -f "$T/w.conf" >"$T/w.out" 2>&1
check "-t: a key others can read is warned about" \
	grep -q "^$T/w.conf:5: warning: \[w\]: private key $T/open.key is readable by others (mode 644)" "$T/w.out"
check "-t: with only warnings, the file is OK" grep -qx "configuration OK" "$T/w.out"
start w "$BIN" -f "$T/w.conf"
wait_log w "private key $T/open.key is readable by others (mode 644)"
check "start: the same warning" [ $? -eq 0 ]
stop w
finish
