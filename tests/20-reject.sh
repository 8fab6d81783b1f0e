#!/bin/sh
# What the engine refuses: certificates it cannot verify, peers without
# SCTP-AUTH, non-DTLS messages; and the server survives clients that abort
# mid-handshake while other associations keep working.
. "$(dirname "$0")/lib.sh"
certs
RAW=$HELPERS/sctpraw

start_echo_server srv 8080 -h 127.0.0.1 -k "$T/server.key" -l "$T/server.pem" --ca "$T/ca.pem"

# A good client, with a CA-issued certificate.
"$BIN" -c -h 127.0.0.1 -p 8080 -i 3 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" >"$T/good.out" 2>"$T/good.err"
check "client with a CA-issued certificate" [ $? -eq 0 ]

# A long-lived association that must not notice anything below.
"$BIN" -c -h 127.0.0.1 -p 8080 -m survivor -i 400 --size 3000 \
	-k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem" \
	>"$T/survivor.out" 2>"$T/survivor.err" &
survivor=$!

# Client that does not trust the server's CA.
"$BIN" -c -h 127.0.0.1 -p 8080 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/rogue.pem" >"$T/untrusting.out" 2>"$T/untrusting.err"
check "client refuses an untrusted server (exit 1)" [ $? -eq 1 ]
check "client says why" grep -q "DTLS handshake failed: peer certificate rejected: " "$T/untrusting.err"

# Client with a certificate from another CA: the server refuses it.
"$BIN" -c -h 127.0.0.1 -p 8080 -k "$T/mallory.key" -l "$T/mallory.pem" \
	--ca "$T/ca.pem" >"$T/mallory.out" 2>"$T/mallory.err"
check "server refuses a client from another CA" [ $? -eq 1 ]
check "server log names the peer and the reason" \
	wait_log srv "echo: 127.0.0.1:[0-9]*: DTLS handshake failed: peer certificate rejected"

# Client without any certificate: the server requires one.
"$BIN" -c -h 127.0.0.1 -p 8080 --ca "$T/ca.pem" --insecure \
	>"$T/nocert.out" 2>"$T/nocert.err"
check "server requires a client certificate" [ $? -eq 1 ]
check "--insecure warns" grep -q "warning: --insecure" "$T/nocert.err"

# A peer without SCTP-AUTH (net.sctp.auth_enable is 0 here).
"$RAW" --no-auth --wait 3 127.0.0.1 8080 >"$T/noauth.out" 2>&1
check "peer without SCTP-AUTH: association aborted" grep -qE "^(aborted|connect failed: Connection refused)$" "$T/noauth.out"
check "peer without SCTP-AUTH: logged" wait_log srv "peer does not support SCTP-AUTH"

# Clients that abort in the middle of the handshake.
for i in 1 2 3 4 5; do
	"$RAW" --partial-hello --abort 127.0.0.1 8080 >>"$T/aborters.out" 2>&1
done
check "aborting clients ran" [ "$(grep -c 'aborted by us' "$T/aborters.out")" -eq 5 ]

# Not DTLS at all; and a record of an unknown content type.
"$RAW" --hex 474554202f20485454502f312e300d0a0d0a --wait 3 127.0.0.1 8080 >"$T/http.out" 2>&1
check "non-DTLS message: association aborted" grep -qx aborted "$T/http.out"
check "non-DTLS message: logged" wait_log srv "protocol violation: message is not a DTLS record"
"$RAW" --hex 63fefd000000000000000000020102 --wait 3 127.0.0.1 8080 >"$T/type.out" 2>&1
check "unknown content type: association aborted" grep -qx aborted "$T/type.out"
check "unknown content type: logged" wait_log srv "protocol violation: record of unknown content type"

wait "$survivor"
check "the long-lived association was not disturbed" [ $? -eq 0 ]
check "it got all 400 answers" [ "$(grep -c "^Server's response" "$T/survivor.out")" -eq 400 ]

"$BIN" -c -h 127.0.0.1 -p 8080 -i 3 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" >"$T/after.out" 2>"$T/after.err"
check "server still serves afterwards" [ $? -eq 0 ]
check "server process still running" kill -0 "$(pid_of srv)"
stop srv
finish
