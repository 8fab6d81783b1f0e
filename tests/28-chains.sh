#!/bin/sh
# Production-sized certificate chains (about 4, 8 and 16 KB: an RSA-2048
# leaf and RSA-4096 intermediates): during a handshake stock OpenSSL's
# 4096-byte buffering BIO hands a long flight to ours cut anywhere, even
# inside a record, and the BIO must put each record together before it
# goes as one SCTP message. Our echo server and client with such chains,
# each presenting one, full and resumed handshakes; and, when the cached
# enable-sctp OpenSSL exists, s_client against our server and s_server
# against our client.
. "$(dirname "$0")/lib.sh"

# The 4096-bit keys are made once and shared by the three hierarchies.
(
	cd "$T" || exit 1
	for k in root int1 int2; do
		o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$k.key"
	done
) || { fail "making RSA-4096 keys"; finish; }

# pki NAME SANS: root -> int1 -> int2 -> server and client leaves; each
# intermediate carries SANS DNS names to grow the chain. Makes
# NAME-root.pem, NAME-{server,client}.{pem,chain,key}, NAME-ints.pem.
pki() {
	(
		cd "$T" || exit 1
		n=$1
		i=0 sans="DNS:ca.example.test"
		while [ $i -lt "$2" ]; do
			sans="$sans,DNS:intermediate-host-$i.$n.example.test"
			i=$((i + 1))
		done
		printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectAltName=%s\n' \
			"$sans" >"$n-ca.ext"
		printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$n-leaf.ext"
		o req -x509 -new -key root.key -out "$n-root.pem" -days 30 \
			-subj "/CN=$n root" -addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign
		o req -new -key int1.key -out "$n-int1.csr" -subj "/CN=$n intermediate 1"
		o x509 -req -in "$n-int1.csr" -CA "$n-root.pem" -CAkey root.key \
			-CAcreateserial -out "$n-int1.pem" -days 30 -extfile "$n-ca.ext"
		o req -new -key int2.key -out "$n-int2.csr" -subj "/CN=$n intermediate 2"
		o x509 -req -in "$n-int2.csr" -CA "$n-int1.pem" -CAkey int1.key \
			-CAcreateserial -out "$n-int2.pem" -days 30 -extfile "$n-ca.ext"
		for leaf in server client; do
			o req -new -newkey rsa:2048 -nodes -keyout "$n-$leaf.key" \
				-out "$n-$leaf.csr" -subj "/CN=$leaf.$n.test"
			o x509 -req -in "$n-$leaf.csr" -CA "$n-int2.pem" -CAkey int2.key \
				-CAcreateserial -out "$n-$leaf.pem" -days 30 \
				-extfile "$n-leaf.ext"
			cat "$n-$leaf.pem" "$n-int2.pem" "$n-int1.pem" >"$n-$leaf.chain"
		done
		cat "$n-int2.pem" "$n-int1.pem" >"$n-ints.pem"
	) || { fail "making the $1 hierarchy"; finish; }
}

# der_size FILE: the DER bytes of the certificates in the PEM file.
der_size() {
	awk '/BEGIN CERT/{f++} {print > (FILENAME "." f)}' "$1"
	total=0
	for c in "$1".[0-9]*; do
		s=$(openssl x509 -in "$c" -outform DER 2>/dev/null | wc -c)
		total=$((total + s))
		rm -f "$c"
	done
	echo "$total"
}

HS="DTLS handshake complete: .*, full handshake, SCTP-AUTH key 1 active"
HSR="DTLS handshake complete: .*, session resumed, SCTP-AUTH key 1 active"
port=9300
for spec in 4k:7 8k:61 16k:172; do
	n=${spec%%:*}
	pki "$n" "${spec#*:}"
	size=$(der_size "$T/$n-server.chain")
	echo "chain $n: $size bytes DER" >>"$T/check.log"
	check "$n chain: $size bytes, at least $n" [ "$size" -ge $((${n%k} * 1024)) ]
	port=$((port + 1))
	start_echo_server "srv$n" "$port" -h 127.0.0.1 -k "$T/$n-server.key" \
		-l "$T/$n-server.chain" --ca "$T/$n-root.pem" -v
	"$BIN" -c -h 127.0.0.1 -p "$port" -m "$n chain" -i 3 \
		-k "$T/$n-client.key" -l "$T/$n-client.chain" --ca "$T/$n-root.pem" \
		--sess-out "$T/$n.sess" -v >"$T/$n-full.out" 2>"$T/$n-full.err"
	check "$n chains both ways: full handshake, echoes identical" [ $? -eq 0 ]
	check "$n chains both ways: full handshake logged" grep -q "$HS" "$T/$n-full.err"
	"$BIN" -c -h 127.0.0.1 -p "$port" -m "$n resumed" -i 3 \
		-k "$T/$n-client.key" -l "$T/$n-client.chain" --ca "$T/$n-root.pem" \
		--sess-in "$T/$n.sess" -v >"$T/$n-res.out" 2>"$T/$n-res.err"
	check "$n chains both ways: resumed handshake, echoes identical" [ $? -eq 0 ]
	check "$n chains both ways: resumed" grep -q "$HSR" "$T/$n-res.err"
	check "$n chains: the server verified the client's chain" \
		grep -q "peer CN=client.$n.test" "$T/srv$n.err"
	check "$n chains: no partial-record error" \
		sh -c "! grep -q 'partial record' '$T/srv$n.err' '$T/$n-full.err'"
	stop "srv$n"
done

OSSL=${OPENSSL_SCTP:-}
if [ -z "$OSSL" ] || [ ! -x "$OSSL" ]; then
	echo "SKIP the OpenSSL peers: no enable-sctp build in the cache"
	finish
fi
# OpenSSL's own SCTP BIO needs the global sysctl.
echo 1 >/proc/sys/net/sctp/auth_enable

for n in 4k 8k 16k; do
	port=$((port + 1))
	# s_client with its long chain against our server with its own.
	start_echo_server "osrv$n" "$port" -h 127.0.0.1 -k "$T/$n-server.key" \
		-l "$T/$n-server.chain" --ca "$T/$n-root.pem" -v
	for round in full resumed; do
		sess="-sess_out $T/$n-sc.sess"
		[ $round = resumed ] && sess="-sess_in $T/$n-sc.sess"
		# shellcheck disable=SC2086
		(echo "line from s_client"; sleep 2) | "$OSSL" s_client -sctp \
			-dtls1_2 -connect "127.0.0.1:$port" -cert "$T/$n-client.pem" \
			-cert_chain "$T/$n-ints.pem" \
			-key "$T/$n-client.key" -CAfile "$T/$n-root.pem" \
			-verify_return_error -nocommands $sess \
			>"$T/$n-sc-$round.out" 2>&1
		check "$n: s_client ($round) verified our chain" \
			grep -q "^Verification: OK" "$T/$n-sc-$round.out"
		check "$n: s_client ($round) got its line back" \
			grep -q "^line from s_client" "$T/$n-sc-$round.out"
	done
	check "$n: s_client resumed" grep -q "^Reused, " "$T/$n-sc-resumed.out"
	stop "osrv$n"

	# Our client with its long chain against s_server with its own.
	port=$((port + 1))
	(sleep 8) | "$OSSL" s_server -sctp -dtls1_2 -accept "$port" -naccept 2 \
		-cert "$T/$n-server.pem" -cert_chain "$T/$n-ints.pem" \
		-key "$T/$n-server.key" \
		-CAfile "$T/$n-root.pem" -Verify 4 -verify_return_error \
		>"$T/$n-ss.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_for "$T/$n-ss.out" "^ACCEPT"
	"$BIN" -c -h 127.0.0.1 -p "$port" -i 0 -k "$T/$n-client.key" \
		-l "$T/$n-client.chain" --ca "$T/$n-root.pem" \
		--sess-out "$T/$n-ss.sess" -v >"$T/$n-cs1.out" 2>"$T/$n-cs1.err"
	check "$n: our client against s_server, full handshake" grep -q "$HS" "$T/$n-cs1.err"
	"$BIN" -c -h 127.0.0.1 -p "$port" -i 0 -k "$T/$n-client.key" \
		-l "$T/$n-client.chain" --ca "$T/$n-root.pem" \
		--sess-in "$T/$n-ss.sess" -v >"$T/$n-cs2.out" 2>"$T/$n-cs2.err"
	check "$n: our client against s_server, resumed" grep -q "$HSR" "$T/$n-cs2.err"
	check "$n: s_server verified our chain" \
		grep -q "subject=CN = client.$n.test" "$T/$n-ss.out"
done
echo 0 >/proc/sys/net/sctp/auth_enable
finish
