#!/bin/sh
# Renegotiation (rekeying, RFC 6083 4.8) with OpenSSL's own DTLS/SCTP
# ($OPENSSL_SCTP: `openssl` built with enable-sctp), both roles, after a
# full and after a resumed first handshake: lines before and after arrive,
# SCTP-AUTH key 2 is installed and active, key 1 retired. Then the
# sctp_label_bug key derivation against s_client/s_server -sctp_label_bug,
# and the mismatch, which must fail with a clear error. OpenSSL's SCTP BIO
# needs net.sctp.auth_enable=1, which tests/run-all sets for this test.
. "$(dirname "$0")/lib.sh"
OSSL=${OPENSSL_SCTP:-}
if [ -z "$OSSL" ] || [ ! -x "$OSSL" ]; then
	fail "OPENSSL_SCTP names an enable-sctp openssl" "run via tests/run-all"
	finish
fi
certs

# count_is N FILE ERE: exactly N lines of FILE match ERE.
count_is() { [ "$(grep -cE -- "$3" "$2")" -eq "$1" ]; }

# start_fed FD NAME CMD...: like start, with CMD's stdin the FIFO
# $T/NAME.in, which this shell holds open on FD (3 or 4; CMD does not):
# `>&FD` writes to CMD, `exec FD>&-` gives it EOF.
start_fed() {
	fd=$1
	name=$2
	shift 2
	mkfifo "$T/$name.in"
	eval "exec $fd<>\"\$T/\$name.in\""
	"$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" 3>&- 4>&- &
	eval "PID_$name=$!"
	PIDS="$PIDS $!"
}

lacks() { ! grep -qE -- "$2" "$1"; }

# has_all FILE ERE...: FILE has a line matching each ERE.
has_all() {
	f=$1
	shift
	for re in "$@"; do grep -qE -- "$re" "$f" || return 1; done
}

# count_all N FILE ERE...: exactly N lines of FILE match each ERE.
count_all() {
	n=$1
	f=$2
	shift 2
	for re in "$@"; do count_is "$n" "$f" "$re" || return 1; done
}

KEY2="SCTP-AUTH key 2 installed"
ACT2="SCTP-AUTH key 2 active$"
DEL1="SCTP-AUTH key 1 deleted"
RENEG="DTLS renegotiation 1 complete .*SCTP-AUTH key 2 active, key 1 retired"
TROUBLE=" (notice|warning|error):"
CONF_TROUBLE=" (warning|error):"

# 1. s_client renegotiates ('R' on its stdin) with our echo server: a
# client-initiated renegotiation, after a full and after a resumed first
# handshake. s_client starts it with the next line it sends.
start_echo_server srv 9100 -h 127.0.0.1 -k "$T/server.key" -l "$T/server.pem" \
	--ca "$T/ca.pem" -v

for run in full resumed; do
	if [ $run = full ]; then sess=-sess_out; else sess=-sess_in; fi
	start_fed 3 sc$run "$OSSL" s_client -sctp -dtls1_2 \
		-connect 127.0.0.1:9100 -cert "$T/client.pem" \
		-key "$T/client.key" -CAfile "$T/ca.pem" -verify_return_error \
		$sess "$T/sc.sess"
	printf 'before renegotiation\n' >&3
	check "s_client ($run): line before the renegotiation echoed" \
		wait_for "$T/sc$run.out" "^before renegotiation$"
	# s_client reads its stdin in chunks: 'R' alone, then the next line.
	printf 'R\n' >&3
	check "s_client ($run): takes the R command" \
		wait_for "$T/sc$run.err" "^RENEGOTIATING"
	printf 'after renegotiation\n' >&3
	check "s_client ($run): line after the renegotiation echoed" \
		wait_for "$T/sc$run.out" "^after renegotiation$"
	check "s_client ($run): renegotiated" \
		grep -q "^RENEGOTIATING" "$T/sc$run.err"
	printf 'third line\n' >&3
	check "s_client ($run): and the next line" \
		wait_for "$T/sc$run.out" "^third line$"
	exec 3>&-
	wait_exit sc$run 30
	check "s_client ($run): exits 0 after EOF" [ $? -eq 0 ]
done
check "s_client: the first association was a full handshake" \
	grep -q "^New, TLSv1.2" "$T/scfull.out"
check "s_client: the second resumed it" grep -q "^Reused, TLSv1.2" "$T/scresumed.out"
i=0
while [ "$(grep -c "closed (closed)" "$T/srv.err")" -lt 2 ] && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "server: key 2 installed and active twice" \
	count_all 2 "$T/srv.err" "$KEY2" "$ACT2"
check "server: key 1 retired twice" count_is 2 "$T/srv.err" "$DEL1"
check "server: two renegotiations started by the peer, key 2 active, key 1 retired" \
	count_all 2 "$T/srv.err" "info: .*$RENEG" "started by the peer"
check "server: both associations closed gracefully, 52 bytes each way" \
	count_is 2 "$T/srv.err" " info: echo: .* closed \(closed\): .*, 52 bytes [a-z]+, 52 bytes "
check "server: nothing went wrong" lacks "$T/srv.err" "$TROUBLE"
stop srv

# 2. s_server renegotiates ('R': a HelloRequest) with our client side: a
# TCP tunnel into DTLS/SCTP, its TCP client socat; lines both ways before
# and after, after a full and after a resumed first handshake (the tunnel
# offers its last session again).
cat >"$T/out.conf" <<CONF
log_level = debug
[out]
accept  = tcp://127.0.0.1:9301
connect = dtls+sctp://127.0.0.1:9300
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
start out "$BIN" -f "$T/out.conf"
wait_log out "started 1 service"
start_fed 3 ss "$OSSL" s_server -sctp -dtls1_2 -accept 9300 \
	-cert "$T/server.pem" -key "$T/server.key" -CAfile "$T/ca.pem" \
	-Verify 1 -verify_return_error
check "s_server listens" wait_for "$T/ss.out" "^ACCEPT"
for run in 1 2; do
	start_fed 4 tc$run socat - TCP:127.0.0.1:9301
	printf 'up before %s\n' $run >&4
	check "s_server ($run): our line before the renegotiation arrives" \
		wait_for "$T/ss.out" "^up before $run$"
	printf 'down before %s\n' $run >&3
	check "s_server ($run): its line before the renegotiation arrives" \
		wait_for "$T/tc$run.out" "^down before $run$"
	printf 'R\n' >&3
	check "s_server ($run): renegotiated with our client" \
		wait_for "$T/out.err" "info: out: .*DTLS renegotiation 1 complete \(started by the peer\)"
	printf 'up after %s\n' $run >&4
	check "s_server ($run): our line after the renegotiation arrives" \
		wait_for "$T/ss.out" "^up after $run$"
	printf 'down after %s\n' $run >&3
	check "s_server ($run): its line after the renegotiation arrives" \
		wait_for "$T/tc$run.out" "^down after $run$"
	exec 4>&-
	wait_exit tc$run 30
	check "s_server ($run): the tunnel's client exits 0" [ $? -eq 0 ]
	wait_for "$T/out.err" "closed \(closed\)" && sleep 0.5
	cp "$T/out.err" "$T/out$run.log"
	: >"$T/out.err"
done
check "client side: a full first handshake" \
	grep -q "full handshake, SCTP-AUTH key 1 active" "$T/out1.log"
check "client side: then a resumed one" \
	grep -q "session resumed, SCTP-AUTH key 1 active" "$T/out2.log"
for run in 1 2; do
	check "client side ($run): key 2 installed and active, key 1 retired" \
		has_all "$T/out$run.log" "$KEY2" "$ACT2" "$DEL1" "$RENEG"
	check "client side ($run): closed gracefully" \
		grep -q "closed (closed)" "$T/out$run.log"
	check "client side ($run): nothing went wrong" lacks "$T/out$run.log" "$CONF_TROUBLE"
done
exec 3>&-
stop ss

# 3. Our client side starts renegotiations (rekey_interval) with s_server,
# which accepts a client's with -client_renegotiation.
cat >"$T/rk.conf" <<CONF
log_level = debug
[out]
accept  = tcp://127.0.0.1:9311
connect = dtls+sctp://127.0.0.1:9310
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
rekey_interval = 2
rekey_min_interval = 1
CONF
start rk "$BIN" -f "$T/rk.conf"
wait_log rk "started 1 service"
start_fed 3 ss2 "$OSSL" s_server -sctp -dtls1_2 -accept 9310 \
	-cert "$T/server.pem" -key "$T/server.key" -CAfile "$T/ca.pem" \
	-Verify 1 -verify_return_error -client_renegotiation
check "s_server -client_renegotiation listens" wait_for "$T/ss2.out" "^ACCEPT"
start_fed 4 tc3 socat - TCP:127.0.0.1:9311
printf 'first\n' >&4
check "rekey_interval: our first line arrives" wait_for "$T/ss2.out" "^first$"
check "rekey_interval: we renegotiated twice with s_server (keys 2, 3)" \
	wait_for "$T/rk.err" "DTLS renegotiation 2 complete \(started by us: rekey_interval\).*SCTP-AUTH key 3 active, key 2 retired"
check "rekey_interval: the first had key 2 active, key 1 retired" \
	grep -q "DTLS renegotiation 1 complete (started by us: rekey_interval).*SCTP-AUTH key 2 active, key 1 retired" "$T/rk.err"
printf 'second\n' >&4
check "rekey_interval: our line after them arrives" wait_for "$T/ss2.out" "^second$"
printf 'down\n' >&3
check "rekey_interval: s_server's line arrives" wait_for "$T/tc3.out" "^down$"
exec 4>&-
wait_exit tc3 30
check "rekey_interval: nothing went wrong" lacks "$T/rk.err" "$CONF_TROUBLE"
exec 3>&-
stop ss2
stop rk

# 4. sctp_label_bug: the 24-byte exporter label of OpenSSL <= 1.1.0i.
start_echo_server lb 9120 -h 127.0.0.1 -k "$T/server.key" -l "$T/server.pem" \
	--ca "$T/ca.pem" --sctp-label-bug -v
start_fed 3 sclb "$OSSL" s_client -sctp -dtls1_2 -sctp_label_bug \
	-connect 127.0.0.1:9120 -cert "$T/client.pem" -key "$T/client.key" \
	-CAfile "$T/ca.pem" -verify_return_error
printf 'label bug\n' >&3
check "sctp_label_bug = yes against s_client -sctp_label_bug: line echoed" \
	wait_for "$T/sclb.out" "^label bug$"
exec 3>&-
wait_exit sclb 30
check "sctp_label_bug: s_client exits 0" [ $? -eq 0 ]
check "sctp_label_bug: closed gracefully" wait_for "$T/lb.err" "closed \(closed\)"
check "sctp_label_bug: with key 1 active" grep -q "SCTP-AUTH key 1 active" "$T/lb.err"
stop lb

# The mismatch, both ways round: the handshake fails, saying why.
start_fed 3 sslb "$OSSL" s_server -sctp -dtls1_2 -accept 9130 -sctp_label_bug \
	-cert "$T/server.pem" -key "$T/server.key" -CAfile "$T/ca.pem"
check "s_server -sctp_label_bug listens" wait_for "$T/sslb.out" "^ACCEPT"
"$BIN" -c -h 127.0.0.1 -p 9130 -i 1 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" --timeout 5 >"$T/mm1.out" 2>"$T/mm1.err"
check "label mismatch (ours without, s_server with): the client fails" [ $? -ne 0 ]
check "label mismatch: the error says the SCTP-AUTH keys differ" \
	grep -q "timed out during the handshake: .*SCTP-AUTH key.*sctp_label_bug" "$T/mm1.err"
exec 3>&-
stop sslb
start_fed 3 ssnb "$OSSL" s_server -sctp -dtls1_2 -accept 9131 \
	-cert "$T/server.pem" -key "$T/server.key" -CAfile "$T/ca.pem"
check "s_server listens" wait_for "$T/ssnb.out" "^ACCEPT"
"$BIN" -c -h 127.0.0.1 -p 9131 -i 1 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" --timeout 5 --sctp-label-bug >"$T/mm2.out" 2>"$T/mm2.err"
check "label mismatch (ours with, s_server without): the client fails" [ $? -ne 0 ]
check "label mismatch: the error says the SCTP-AUTH keys differ" \
	grep -q "timed out during the handshake: .*SCTP-AUTH key.*sctp_label_bug" "$T/mm2.err"
exec 3>&-
stop ssnb

finish
