#!/bin/sh
# Peer verification and TLS options: expired, misnamed and revoked
# certificates, check_ip, pre-shared keys, protocol versions, groups,
# session resumption with the right SCTP-AUTH keys, and the SCTP-AUTH HMAC.
# Every refusal must leave a log line that names the peer and the reason.
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer

# no_data FILE: the output FILE of netpeer's tcp-client says the data did
# not get through. The tunnel closes or resets the connection; a reset
# can kill netpeer with SIGPIPE before it says anything.
no_data() {
	! grep -q "^ok" "$1"
}

# tls_certs: certificates beyond those of certs(), made with "openssl ca"
# (the only tool in OpenSSL 3.0 that sets any validity period):
#   expired   issued by the CA, valid on 2020-01-01 only
#   other     issued by the CA for other.example and 10.9.9.9
#   revoked   a client certificate of the CA, revoked in crl.pem
tls_certs() {
	(
		cd "$T" || exit 1
		mkdir -p db/new
		: >db/index.txt
		echo 1000 >db/serial
		echo 1000 >db/crlnumber
		cat >ca.cnf <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = $T/db/index.txt
new_certs_dir = $T/db/new
serial = $T/db/serial
crlnumber = $T/db/crlnumber
certificate = $T/ca.pem
private_key = $T/ca.key
default_md = sha256
default_days = 30
default_crl_days = 30
policy = any
unique_subject = no
[any]
commonName = supplied
[local]
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
[other]
subjectAltName = DNS:other.example,IP:10.9.9.9
CNF
		csr() { # name subject
			o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
				-keyout "$1.key" -out "$1.csr" -subj "$2"
		}
		csr expired "/CN=expired.test"
		o ca -batch -config ca.cnf -extensions local -notext \
			-startdate 20200101000000Z -enddate 20200102000000Z \
			-in expired.csr -out expired.pem
		csr other "/CN=other.test"
		o ca -batch -config ca.cnf -extensions other -notext \
			-in other.csr -out other.pem
		csr revoked "/CN=revoked.test"
		o ca -batch -config ca.cnf -extensions local -notext \
			-in revoked.csr -out revoked.pem
		o ca -config ca.cnf -revoke revoked.pem
		o ca -config ca.cnf -gencrl -out crl.pem
		mkdir capath
		cp ca.pem capath/
		o rehash capath
	) || { fail "making the extra certificates"; exit 1; }
}
tls_certs

# echo_client NAME ARGS...: the seed's echo client against port 8443.
echo_client() {
	name=$1
	shift
	"$BIN" -c -h 127.0.0.1 -p 8443 -m "$name" -i 2 "$@" \
		>"$T/$name.out" 2>"$T/$name.err"
}

# --- Certificates, in flag mode -------------------------------------------

# Expired server certificate: the client refuses it.
start_echo_server expsrv 8443 -h 127.0.0.1 -k "$T/expired.key" \
	-l "$T/expired.pem" --ca "$T/ca.pem"
echo_client expired -k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem"
check "expired server certificate: refused (exit 1)" [ $? -eq 1 ]
check "expired server certificate: logged with peer, subject and reason" \
	grep -q "peer 127.0.0.1:8443: certificate CN=expired.test (depth 0) rejected: certificate has expired" "$T/expired.err"
stop expsrv

# A server certificate for another name: check_host refuses it; the right
# name and the right address pass; check_ip refuses another address.
start_echo_server othersrv 8443 -h 127.0.0.1 -k "$T/other.key" \
	-l "$T/other.pem" --ca "$T/ca.pem"
echo_client wrongname -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" --check-host localhost
check "check_host: a certificate for another name is refused" [ $? -eq 1 ]
check "check_host: logged with peer, subject and reason" \
	grep -q "peer 127.0.0.1:8443: certificate CN=other.test (depth 0) rejected: hostname mismatch (check_host localhost)" "$T/wrongname.err"
echo_client rightname -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" --check-host other.example
check "check_host: the certificate's own name passes" [ $? -eq 0 ]
echo_client otherip -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" --check-ip 10.9.9.9
check "check_ip: the certificate's address passes" [ $? -eq 0 ]
stop othersrv

start_echo_server srv 8443 -h 127.0.0.1 -k "$T/server.key" \
	-l "$T/server.pem" --ca "$T/ca.pem" --crl "$T/crl.pem"
echo_client ipok -k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem" \
	--check-ip 127.0.0.1
check "check_ip 127.0.0.1: accepted" [ $? -eq 0 ]
echo_client ipbad -k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem" \
	--check-ip 10.1.2.3
check "check_ip 10.1.2.3: refused" [ $? -eq 1 ]
check "check_ip: logged with peer, subject and reason" \
	grep -q "peer 127.0.0.1:8443: certificate CN=server.test (depth 0) rejected: IP address mismatch (check_ip 10.1.2.3)" "$T/ipbad.err"
echo_client capath -k "$T/client.key" -l "$T/client.pem" \
	--capath "$T/capath" --check-host localhost
check "capath: a hashed CA directory verifies the server" [ $? -eq 0 ]

# A revoked client certificate: the server (--crl) refuses it.
echo_client revoked -k "$T/revoked.key" -l "$T/revoked.pem" --ca "$T/ca.pem"
check "revoked client certificate: refused (exit 1)" [ $? -eq 1 ]
wait_log srv "certificate CN=revoked.test (depth 0) rejected"
check "revoked client certificate: the server logs peer, subject and reason" \
	grep -q "echo: 127.0.0.1:[0-9]*: peer 127.0.0.1:[0-9]*: certificate CN=revoked.test (depth 0) rejected: certificate revoked" "$T/srv.err"
echo_client notrevoked -k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem"
check "a client certificate not in the CRL still passes" [ $? -eq 0 ]
stop srv

# --- Pre-shared keys, in flag mode -----------------------------------------

printf '# test keys\n\nalice:%s\nbob : %s\n' \
	000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
	f0e0d0c0b0a090807060504030201000 >"$T/psk.txt"
printf 'alice:%s\n' 00112233445566778899aabbccddeeff >"$T/psk-wrong.txt"
chmod 600 "$T/psk.txt" "$T/psk-wrong.txt"
start_echo_server psksrv 8443 -h 127.0.0.1 --psk-secrets "$T/psk.txt"
echo_client pskok --psk-secrets "$T/psk.txt" --psk-identity bob
check "PSK echo: no certificates at all" [ $? -eq 0 ]
check "PSK echo: an ECDHE-PSK AEAD suite" \
	grep -q "Cipher: ECDHE-PSK-CHACHA20-POLY1305" "$T/pskok.out"
echo_client pskdhe --psk-secrets "$T/psk.txt" --psk-identity alice \
	--ciphers DHE-PSK-AES256-GCM-SHA384
check "PSK echo: DHE-PSK-AES256-GCM-SHA384" \
	grep -q "Cipher: DHE-PSK-AES256-GCM-SHA384" "$T/pskdhe.out"
stop psksrv

# --- Tunnels from INI files ------------------------------------------------

cat >"$T/b.conf" <<CONF
log_level = debug

[tls-in]
accept  = dtls+sctp://127.0.0.1:5801
connect = tcp://127.0.0.1:7310
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
crl  = $T/crl.pem
groups = P-256
session_timeout = 600

[psk-in]
accept  = dtls+sctp://127.0.0.1:5802
connect = tcp://127.0.0.1:7310
psk_secrets = $T/psk.txt
handshake_timeout = 3
sctp_hmac = sha1

[nocache-in]
accept  = dtls+sctp://127.0.0.1:5803
connect = tcp://127.0.0.1:7310
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
options = ServerPreference,PrioritizeChaCha
session_cache = no
CONF

cat >"$T/a.conf" <<CONF
log_level = debug

[tls-out]
accept  = tcp://127.0.0.1:7301
connect = dtls+sctp://127.0.0.1:5801
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
check_host = localhost
check_ip = 127.0.0.1
verify_depth = 1
groups = P-256
min_version = DTLSv1.2
max_version = dtls1.2

[badname-out]
accept  = tcp://127.0.0.1:7302
connect = dtls+sctp://127.0.0.1:5801
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
check_host = peer.example.net

[p384-out]
accept  = tcp://127.0.0.1:7303
connect = dtls+sctp://127.0.0.1:5801
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
groups = P-384

[psk-out]
accept  = tcp://127.0.0.1:7304
connect = dtls+sctp://127.0.0.1:5802
psk_secrets = $T/psk.txt
psk_identity = alice

[wrongpsk-out]
accept  = tcp://127.0.0.1:7305
connect = dtls+sctp://127.0.0.1:5802
psk_secrets = $T/psk-wrong.txt
psk_identity = alice
handshake_timeout = 3

[slowpsk-out]
accept  = tcp://127.0.0.1:7307
connect = dtls+sctp://127.0.0.1:5802
psk_secrets = $T/psk-wrong.txt
psk_identity = alice
handshake_timeout = 20

[nocache-out]
accept  = tcp://127.0.0.1:7306
connect = dtls+sctp://127.0.0.1:5803
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF

check "config A passes --test-config" sh -c "'$BIN' -t -f '$T/a.conf' | grep -qx 'configuration OK'"
check "config B passes --test-config" sh -c "'$BIN' -t -f '$T/b.conf' | grep -qx 'configuration OK'"

# DTLS 1.0 is refused when the file is checked.
cat >"$T/dtls10.conf" <<CONF
[old]
accept  = tcp://127.0.0.1:7399
connect = dtls+sctp://127.0.0.1:5899
ca = $T/ca.pem
min_version = DTLSv1
CONF
"$BIN" -t -f "$T/dtls10.conf" >"$T/dtls10.out" 2>&1
check "min_version = DTLSv1: refused by -t (exit 2)" [ $? -eq 2 ]
check "min_version = DTLSv1: FILE:LINE and RFC 8996" \
	grep -q "dtls10.conf:5: bad value 'DTLSv1' for 'min_version' in \[old\]: DTLS 1.0 is not allowed (RFC 8996" "$T/dtls10.out"

start echo "$NP" tcp-echo 7310
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 7 service" && wait_log b "started 3 service"
check "both tunnels started" [ $? -eq 0 ]
check "sctp_hmac = sha1: SHA-1 only (debug log)" \
	grep -q "psk-in: SCTP-AUTH HMACs: SHA-1$" "$T/b.err"
check "sctp_hmac = sha256 (default): SHA-256 first, SHA-1 as the fallback" \
	grep -q "tls-in: SCTP-AUTH HMACs: SHA-256, then SHA-1$" "$T/b.err"

# Certificates with check_host, check_ip, verify_depth, groups = P-256 and
# a CRL on the server; then the session is resumed, SCTP-AUTH key 1 on
# both sides, and data flows.
"$NP" tcp-client 127.0.0.1 7301 100000 1 >"$T/full.out" 2>&1
check "tunnel with check_host/check_ip/crl/groups = P-256: data intact" grep -q "^ok" "$T/full.out"
check "client side: SCTP-AUTH HMACs SHA-256, then SHA-1 (debug log)" \
	grep -q "tls-out: 127.0.0.1:[0-9]*: SCTP-AUTH HMACs: SHA-256, then SHA-1$" "$T/a.err"
check "first association: full handshake" \
	grep -q "tls-out: .*DTLS handshake complete: .*full handshake, SCTP-AUTH key 1 active" "$T/a.err"
"$NP" tcp-client 127.0.0.1 7301 100000 1 >"$T/resumed.out" 2>&1
check "resumed association: data intact" grep -q "^ok" "$T/resumed.out"
check "resumed association: client side logs session resumed, key 1" \
	grep -q "tls-out: .*DTLS handshake complete: .*session resumed, SCTP-AUTH key 1 active" "$T/a.err"
check "resumed association: server side logs session resumed, key 1" \
	grep -q "tls-in: .*DTLS handshake complete: .*session resumed, SCTP-AUTH key 1 active" "$T/b.err"
"$NP" tcp-client 127.0.0.1 7301 1000 3 >"$T/resumed3.out" 2>&1
check "three more resumed associations at once: data intact" grep -q "^ok: 3 connection" "$T/resumed3.out"
check "every later association was resumed on both sides" \
	[ "$(grep -c 'tls-out: .*session resumed, SCTP-AUTH key 1 active' "$T/a.err")" -ge 4 ] &&
	[ "$(grep -c 'tls-in: .*session resumed, SCTP-AUTH key 1 active' "$T/b.err")" -ge 4 ]

# session_cache = no on the server: no resumption.
"$NP" tcp-client 127.0.0.1 7306 1000 1 >"$T/nocache1.out" 2>&1
"$NP" tcp-client 127.0.0.1 7306 1000 1 >"$T/nocache2.out" 2>&1
check "session_cache = no: data intact" grep -q "^ok" "$T/nocache2.out"
check "session_cache = no: every handshake is a full one" \
	[ "$(grep -c 'nocache-in: .*DTLS handshake complete: .*full handshake' "$T/b.err")" -eq 2 ] &&
	! grep -q "nocache-in: .*session resumed" "$T/b.err"

# The server's certificate is not for the name the client wants.
"$NP" tcp-client 127.0.0.1 7302 1000 1 >"$T/badname.out" 2>&1
check "check_host mismatch: no data through" no_data "$T/badname.out"
check "check_host mismatch: logged with the server's address and the reason" \
	grep -q "badname-out: 127.0.0.1:[0-9]*: peer 127.0.0.1:5801: certificate CN=server.test (depth 0) rejected: hostname mismatch (check_host peer.example.net)" "$T/a.err"

# groups: a client that allows only P-384 gets nothing from a P-256 server.
"$NP" tcp-client 127.0.0.1 7303 1000 1 >"$T/p384.out" 2>&1
check "groups = P-384 against a P-256-only server: refused" no_data "$T/p384.out"
check "groups mismatch: logged" grep -q "p384-out: .*DTLS handshake failed" "$T/a.err"

# Pre-shared keys through the tunnel, without any certificate.
"$NP" tcp-client 127.0.0.1 7304 1000000 2 >"$T/psk.out" 2>&1
check "PSK tunnel: data intact both ways" grep -q "^ok: 2 connection" "$T/psk.out"
check "PSK tunnel: (EC)DHE-PSK suite on the server side" \
	grep -q "psk-in: .*DTLS handshake complete: ECDHE-PSK-CHACHA20-POLY1305, peer -" "$T/b.err"
check "PSK tunnel: the server saw identity alice (debug log)" \
	grep -q "psk-in: .*PSK identity 'alice'" "$T/b.err"

# The same identity with another key: the client's Finished does not
# verify (DTLS drops it without an alert) and the handshake times out.
"$NP" tcp-client 127.0.0.1 7305 1000 1 >"$T/wrongpsk.out" 2>&1
check "wrong PSK: no data through" no_data "$T/wrongpsk.out"
wait_log b "psk-in: .*wrong pre-shared key"
# Both sides give up after handshake_timeout; the one whose timer runs
# out first aborts the association, and the other learns of it before its
# own timer: either way each side says what its handshake waited for.
gaveup="(DTLS handshake timed out|association aborted by the peer during the DTLS handshake)"
check "wrong PSK: the server names the peer, the identity and the reason" \
	grep -Eq "psk-in: 127.0.0.1:[0-9]*: $gaveup: the client's Finished did not verify: wrong pre-shared key for PSK identity 'alice'" "$T/b.err"
check "wrong PSK: the client says why it gave up" \
	wait_log a "wrongpsk-out: .*no answer to our Finished: the server may have another pre-shared key for PSK identity 'alice'"
check "wrong PSK: the client's summary names the server" \
	wait_log a "wrongpsk-out: .*closed (handshake [a-z]*): client 127.0.0.1:[0-9]*, server 127.0.0.1:5802"
check "wrong PSK: both sides say why (timeout or the other's abort)" \
	grep -Eq "wrongpsk-out: .*$gaveup: no answer to our Finished" "$T/a.err"

# A client that waits longer than the server: the server's abort ends
# its handshake, and it still says what it was waiting for.
"$NP" tcp-client 127.0.0.1 7307 1000 1 >"$T/slowpsk.out" 2>&1
check "wrong PSK, server gives up first: no data through" no_data "$T/slowpsk.out"
check "wrong PSK, server gives up first: the client says why" \
	wait_log a "slowpsk-out: .*association aborted by the peer during the DTLS handshake: no answer to our Finished: the server may have another pre-shared key for PSK identity 'alice'"
check "wrong PSK, server gives up first: closed (handshake failed)" \
	wait_log a "slowpsk-out: .*closed (handshake failed): client 127.0.0.1:[0-9]*, server 127.0.0.1:5802"

# An identity the server does not know: refused at once, with an alert,
# which the client reads even while its flight waits for sender-dry.
printf 'mallory:%s\n' 00112233445566778899aabbccddeeff >"$T/psk-mallory.txt"
"$BIN" -c -h 127.0.0.1 -p 5802 --psk-secrets "$T/psk-mallory.txt" \
	--psk-identity mallory --timeout 5 >"$T/mallory.out" 2>"$T/mallory.err"
check "unknown PSK identity: refused (exit 1)" [ $? -eq 1 ]
check "unknown PSK identity: the server names peer and identity" \
	grep -q "psk-in: 127.0.0.1:[0-9]*: peer 127.0.0.1:[0-9]*: unknown PSK identity 'mallory': refused" "$T/b.err"
check "unknown PSK identity: the client names the alert at once" \
	grep -Eiq "DTLS handshake failed.*unknown psk identity" "$T/mallory.err"

check "tunnel A still running" kill -0 "$(pid_of a)"
check "tunnel B still running" kill -0 "$(pid_of b)"
stop a
stop b
finish
