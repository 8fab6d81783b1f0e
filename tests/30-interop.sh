#!/bin/sh
# Interoperability with OpenSSL's own DTLS/SCTP ($OPENSSL_SCTP: `openssl`
# built with enable-sctp): our echo client against `s_server -sctp` and
# `s_client -sctp` against our echo server and against a dtls+sctp:// ->
# sctp:// gateway service; full and resumed handshakes, data both ways,
# clean close, SCTP-AUTH key 1 in use. OpenSSL's SCTP BIO
# needs net.sctp.auth_enable=1, which tests/run-all sets for this test.
. "$(dirname "$0")/lib.sh"
OSSL=${OPENSSL_SCTP:-}
if [ -z "$OSSL" ] || [ ! -x "$OSSL" ]; then
	fail "OPENSSL_SCTP names an enable-sctp openssl" "run via tests/run-all"
	finish
fi
certs

# wait_sctp_port PORT: wait up to 30s until an SCTP socket listens on PORT.
wait_sctp_port() {
	i=0
	while ! awk -v p="$1" 'NR > 1 && $6 == p { f = 1 } END { exit !f }' \
		/proc/net/sctp/eps 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
}

# start_fed NAME CMD...: like start, with CMD's stdin the FIFO $T/NAME.in,
# which this shell holds open on fd 3 (CMD does not): `>&3` writes to CMD,
# `exec 3>&-` gives it EOF. One at a time.
start_fed() {
	mkfifo "$T/$1.in"
	exec 3<>"$T/$1.in"
	name=$1
	shift
	"$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" 3>&- &
	eval "PID_$name=$!"
	PIDS="$PIDS $!"
}

# lacks FILE ERE: no line of FILE matches ERE.
lacks() { ! grep -qE -- "$2" "$1"; }

# Our client (-v) logs these; anything at notice level or above is a problem.
HS_FULL="DTLS handshake complete: .*, peer CN=server.test, full handshake, SCTP-AUTH key 1 active"
HS_RESUMED="DTLS handshake complete: .*, peer CN=server.test, session resumed, SCTP-AUTH key 1 active"
TROUBLE=" (notice|warning|error):"

check "net.sctp.auth_enable is 1 (OpenSSL's SCTP BIO needs it)" \
	[ "$(cat /proc/sys/net/sctp/auth_enable)" = 1 ]

# 1a. Our client against a plain s_server, which reports on stdout what it
# sees of each association: a full handshake, a resumed one, and our
# close_notify ("DONE": it read the end of the connection).
start_fed ss "$OSSL" s_server -sctp -dtls1_2 -accept 9000 -naccept 2 \
	-cert "$T/server.pem" -key "$T/server.key" -CAfile "$T/ca.pem" \
	-Verify 1 -verify_return_error
check "s_server listens" wait_for "$T/ss.out" "^ACCEPT"

"$BIN" -c -h 127.0.0.1 -p 9000 -i 0 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" --sess-out "$T/ss.sess" -v >"$T/h1.out" 2>"$T/h1.err"
check "client vs s_server: handshake and close, exit 0" [ $? -eq 0 ]
check "client vs s_server: full handshake, SCTP-AUTH key 1 active" \
	grep -qE "$HS_FULL" "$T/h1.err"
check "client vs s_server: nothing went wrong" lacks "$T/h1.err" "$TROUBLE"
check "client vs s_server: session saved" [ -s "$T/ss.sess" ]

"$BIN" -c -h 127.0.0.1 -p 9000 -i 0 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" --sess-in "$T/ss.sess" -v >"$T/h2.out" 2>"$T/h2.err"
check "client vs s_server, resumed: exit 0" [ $? -eq 0 ]
check "client vs s_server, resumed: session resumed, SCTP-AUTH key 1 active" \
	grep -qE "$HS_RESUMED" "$T/h2.err"
check "client vs s_server, resumed: nothing went wrong" lacks "$T/h2.err" "$TROUBLE"

wait_exit ss 30
check "s_server: served 2 associations and exited 0" [ $? -eq 0 ]
exec 3>&-
check "s_server: verified our certificate twice" \
	[ "$(grep -c "^subject=CN = client.test" "$T/ss.out")" -eq 2 ]
check "s_server: resumed the second (Reused session-id)" \
	[ "$(grep -c "^Reused session-id" "$T/ss.out")" -eq 1 ]
check "s_server: read our close_notify twice (DONE)" \
	[ "$(grep -c "^DONE$" "$T/ss.out")" -eq 2 ]
check "s_server: no error" lacks "$T/ss.out" "^ERROR"

# 1b. Data both ways. s_server echoes nothing by itself, but with -quiet its
# stdout is exactly the application data it reads: looped back to its stdin
# (tee keeping a copy in se.out), that makes it an echo server whose answers
# have gone through its stdin.
mkfifo "$T/se.in" "$T/se.data"
"$OSSL" s_server -sctp -dtls1_2 -accept 9001 -cert "$T/server.pem" \
	-key "$T/server.key" -CAfile "$T/ca.pem" -Verify 1 -verify_return_error \
	-quiet <>"$T/se.in" >"$T/se.data" 2>"$T/se.err" &
PID_se=$!
PIDS="$PIDS $!"
tee "$T/se.out" <"$T/se.data" >"$T/se.in" &
# shellcheck disable=SC2034 # for stop
PID_setee=$!
PIDS="$PIDS $!"
check "echoing s_server listens" wait_sctp_port 9001

"$BIN" -c -h 127.0.0.1 -p 9001 -m "to s_server" -i 5 -k "$T/client.key" \
	-l "$T/client.pem" --ca "$T/ca.pem" --sess-out "$T/se.sess" -v \
	>"$T/c1.out" 2>"$T/c1.err"
check "client vs echoing s_server: 5 echoes identical, exit 0" [ $? -eq 0 ]
check "client vs echoing s_server: full handshake, SCTP-AUTH key 1 active" \
	grep -qE "$HS_FULL" "$T/c1.err"
check "client vs echoing s_server: 5 responses" \
	[ "$(grep -c "^Server's response: 'to s_server ([0-4])'$" "$T/c1.out")" -eq 5 ]
check "client vs echoing s_server: s_server read all 5" \
	[ "$(grep -o "to s_server ([0-4])" "$T/se.out" | wc -l)" -eq 5 ]
check "client vs echoing s_server: nothing went wrong" lacks "$T/c1.err" "$TROUBLE"

"$BIN" -c -h 127.0.0.1 -p 9001 -m "resumed" -i 3 --size 4096 \
	-k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem" \
	--sess-in "$T/se.sess" -v >"$T/c2.out" 2>"$T/c2.err"
check "client vs echoing s_server, resumed: 3 x 4096 bytes echoed" [ $? -eq 0 ]
check "client vs echoing s_server, resumed: SCTP-AUTH key 1 active" \
	grep -qE "$HS_RESUMED" "$T/c2.err"
check "client vs echoing s_server, resumed: nothing went wrong" \
	lacks "$T/c2.err" "$TROUBLE"

"$BIN" -c -h 127.0.0.1 -p 9001 -m "stream 3" -i 3 --stream 3 --ppid 47 \
	-k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem" -v \
	>"$T/c3.out" 2>"$T/c3.err"
check "client vs echoing s_server: data on stream 3, PPID 47" [ $? -eq 0 ]

check "echoing s_server still running" kill -0 "$PID_se"
check "echoing s_server: no error" lacks "$T/se.err" "ERROR|error"
stop se
stop setee

# 2. s_client against our echo server: the lines it reads on stdin go out
# as application data, what it receives goes to its stdout; EOF on stdin
# makes it send close_notify.
start_echo_server srv 9100 -h 127.0.0.1 -k "$T/server.key" -l "$T/server.pem" \
	--ca "$T/ca.pem" -v

start_fed sc1 "$OSSL" s_client -sctp -dtls1_2 -connect 127.0.0.1:9100 \
	-cert "$T/client.pem" -key "$T/client.key" -CAfile "$T/ca.pem" \
	-verify_return_error -nocommands -sess_out "$T/sc.sess"
printf 'first line from s_client\n' >&3
check "s_client: first line echoed" \
	wait_for "$T/sc1.out" "^first line from s_client$"
printf 'second line from s_client\n' >&3
check "s_client: second line echoed" \
	wait_for "$T/sc1.out" "^second line from s_client$"
exec 3>&-
wait_exit sc1 30
check "s_client: exits 0 after EOF" [ $? -eq 0 ]
check "s_client: full handshake (New)" \
	grep -q "^New, TLSv1.2, Cipher is " "$T/sc1.out"
check "s_client: verified our certificate" \
	grep -q "^Verification: OK" "$T/sc1.out"
check "s_client: session saved" [ -s "$T/sc.sess" ]

start_fed sc2 "$OSSL" s_client -sctp -dtls1_2 -connect 127.0.0.1:9100 \
	-cert "$T/client.pem" -key "$T/client.key" -CAfile "$T/ca.pem" \
	-verify_return_error -nocommands -sess_in "$T/sc.sess"
printf 'resumed line\n' >&3
check "s_client, resumed: line echoed" wait_for "$T/sc2.out" "^resumed line$"
exec 3>&-
wait_exit sc2 30
check "s_client, resumed: exits 0 after EOF" [ $? -eq 0 ]
check "s_client, resumed: session reused (Reused)" \
	grep -q "^Reused, TLSv1.2, Cipher is " "$T/sc2.out"

# The server logs a graceful close at info level, an abort at notice level.
wait_for "$T/srv.err" " info: echo: .* closed \(.*, 13 bytes "
check "server: both handshakes with SCTP-AUTH key 1 active" \
	[ "$(grep -c "DTLS handshake complete: .*, peer CN=client.test, .*SCTP-AUTH key 1 active" "$T/srv.err")" -eq 2 ]
check "server: first association closed gracefully, 51 bytes each way" \
	grep -qE " info: echo: .* closed \(.*, 51 bytes [a-z]+, 51 bytes " "$T/srv.err"
check "server: resumed association closed gracefully, 13 bytes each way" \
	grep -qE " info: echo: .* closed \(.*, 13 bytes [a-z]+, 13 bytes " "$T/srv.err"
check "server: nothing went wrong" lacks "$T/srv.err" "$TROUBLE"

stop srv
check "server exits 0 on SIGTERM" [ $? -eq 0 ]

# 3. s_client against the SCTP gateway (dtls+sctp:// -> sctp://): each
# line it sends arrives as one message at a plaintext SCTP sink, with the
# PPID that ppid_map gives OpenSSL's 0 (it sends application data with
# PPID 0 on stream 0); its EOF becomes close_notify, then SHUTDOWN.
cat >"$T/gw.conf" <<CONF
[gw]
accept  = dtls+sctp://127.0.0.1:9200
connect = sctp://127.0.0.1:9201
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
ppid_map = 60:0
CONF
start lines "$HELPERS/sctppeer" lines 9201
start gw "$BIN" -f "$T/gw.conf"
wait_log gw "started 1 service"
start_fed sc3 "$OSSL" s_client -sctp -dtls1_2 -connect 127.0.0.1:9200 \
	-cert "$T/client.pem" -key "$T/client.key" -CAfile "$T/ca.pem" \
	-verify_return_error -nocommands
printf 'NGSetupRequest from s_client\n' >&3
check "gateway: s_client's first line arrives as one message, PPID 0 mapped to 60" \
	wait_for "$T/lines.out" "^stream 0 ppid 60 unordered 0 bytes 29: NGSetupRequest from s_client\\\\n$"
printf 'second\n' >&3
check "gateway: its second line arrives as the next message" \
	wait_for "$T/lines.out" "^stream 0 ppid 60 unordered 0 bytes 7: second\\\\n$"
exec 3>&-
wait_exit sc3 30
check "gateway: s_client exits 0 after EOF" [ $? -eq 0 ]
check "gateway: close_notify became a SHUTDOWN of the sink's association" \
	wait_for "$T/lines.out" "^eof$"
check "gateway: closed gracefully, 2 messages to the sink" \
	wait_for "$T/gw.err" "gw: .*closed \(closed\): .*, 0 messages up, 2 messages down"
stop gw
finish
