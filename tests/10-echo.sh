#!/bin/sh
# Echo client and server over DTLS/SCTP: the seed's command lines and
# transcript, 1,000 messages, 1..16384-byte messages, 50 concurrent
# clients, IPv6 and host names, SCTP-AUTH key 1 in use on both ends.
. "$(dirname "$0")/lib.sh"
certs

start_echo_server srv 8080 -h 127.0.0.1 -k "$T/seed.key" -l "$T/seed.pem" -v

check "net.sctp.auth_enable is 0: SCTP-AUTH is per socket" [ "$(cat /proc/sys/net/sctp/auth_enable)" = 0 ]

# The seed's client command line and its transcript.
"$BIN" -c -h 127.0.0.1 -p 8080 -m 123456789 -i 10 -k "$T/seed.key" \
	-l "$T/seed.pem" -v >"$T/c1.out" 2>"$T/c1.err"
check "seed client exits 0" [ $? -eq 0 ]
check "transcript: socket line" grep -qx "Socket created successfully" "$T/c1.out"
check "transcript: connected" grep -qx "Connected with server successfully" "$T/c1.out"
check "transcript: subject" grep -q "^ organizationName *= Default Company Ltd" "$T/c1.out"
check "transcript: cipher" grep -qx " Cipher: ECDHE-RSA-AES256-GCM-SHA384" "$T/c1.out"
check "transcript: 10 sent" [ "$(grep -c "^Sending message: '123456789 ([0-9])'" "$T/c1.out")" -eq 10 ]
check "transcript: 10 echoed" [ "$(grep -c "^Server's response: '123456789 ([0-9])'" "$T/c1.out")" -eq 10 ]
check "transcript: last echo" grep -qx "Server's response: '123456789 (9)'" "$T/c1.out"
check "transcript: sender dry" grep -qx "NOTIFICATION: sender dry event" "$T/c1.out"
check "transcript: cleanup" grep -qx "Cleaning up client connection" "$T/c1.out"
check "client: SCTP-AUTH key 1 active" grep -q "handshake complete.*SCTP-AUTH key 1 active" "$T/c1.err"
check "server: SCTP-AUTH key 1 active" grep -q "handshake complete.*SCTP-AUTH key 1 active" "$T/srv.err"
check "server: old key 0 deleted" grep -q "SCTP-AUTH key 0 deleted" "$T/srv.err"

# 1,000 messages on one association.
"$BIN" -c -h 127.0.0.1 -p 8080 -m thousand -i 1000 -k "$T/seed.key" \
	-l "$T/seed.pem" >"$T/c2.out" 2>"$T/c2.err"
check "1000 messages" [ $? -eq 0 ]
check "1000 responses" [ "$(grep -c "^Server's response:" "$T/c2.out")" -eq 1000 ]

# Sizes from 1 to 16384 bytes.
for size in 1 2 13 100 1399 1500 4096 9000 16383 16384; do
	"$BIN" -c -h 127.0.0.1 -p 8080 --size "$size" -i 3 -k "$T/seed.key" \
		-l "$T/seed.pem" >"$T/s$size.out" 2>"$T/s$size.err"
	check "message of $size bytes" [ $? -eq 0 ]
done
"$BIN" -c -h 127.0.0.1 -p 8080 --size 16385 -k "$T/seed.key" -l "$T/seed.pem" \
	>/dev/null 2>"$T/s16385.err"
check "16385 bytes refused on the command line" [ $? -eq 2 ]

# 50 concurrent clients, each with its own data.
pids=""
for i in $(seq 1 50); do
	"$BIN" -c -h 127.0.0.1 -p 8080 -m "client-$i" -i 20 --size $((i * 300)) \
		-k "$T/seed.key" -l "$T/seed.pem" >"$T/p$i.out" 2>"$T/p$i.err" &
	pids="$pids $!"
done
bad=0
for p in $pids; do wait "$p" || bad=$((bad + 1)); done
check "50 concurrent clients all echoed" [ "$bad" -eq 0 ]

# Application data on another stream and PPID (Diameter over DTLS: 47).
"$BIN" -c -h 127.0.0.1 -p 8080 -m streams -i 5 --stream 3 --ppid 47 \
	-k "$T/seed.key" -l "$T/seed.pem" >"$T/st.out" 2>"$T/st.err"
check "stream 3, PPID 47" [ $? -eq 0 ]

stop srv
check "server exits 0 on SIGTERM" [ $? -eq 0 ]

# IPv6 and host names; without -h the server listens on IPv6 and IPv4.
start_echo_server srv6 8081 -k "$T/seed.key" -l "$T/seed.pem"
"$BIN" -c -h ::1 -p 8081 -i 2 -k "$T/seed.key" -l "$T/seed.pem" >"$T/v6.out" 2>"$T/v6.err"
check "IPv6" [ $? -eq 0 ]
"$BIN" -c -h '[::1]' -p 8081 -i 2 -k "$T/seed.key" -l "$T/seed.pem" >"$T/v6b.out" 2>"$T/v6b.err"
check "IPv6 in brackets" [ $? -eq 0 ]
"$BIN" -c -h 127.0.0.1 -p 8081 -i 2 -k "$T/seed.key" -l "$T/seed.pem" >"$T/v4.out" 2>"$T/v4.err"
check "IPv4 to the dual-stack listener" [ $? -eq 0 ]
"$BIN" -c --host localhost --port 8081 --count 2 --key "$T/seed.key" \
	--cert "$T/seed.pem" >"$T/name.out" 2>"$T/name.err"
check "host name and long options" [ $? -eq 0 ]
stop srv6
finish
