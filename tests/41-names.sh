#!/bin/sh
# Connect names are looked up when connecting (c-ares on the event loop),
# from a real name server the test changes as it goes: Debian's dnsmasq
# answers for *.test from a hosts file of the test's own (TTL 0), and
# /etc/resolv.conf and /etc/hosts are bind-mounted in a mount namespace of
# this test's own. A name that does not resolve at start only warns; the
# other services run; the name works once it is there, follows its moves,
# and its last addresses serve while the name server is away.
if [ -z "${NAMES_NS:-}" ]; then
	NAMES_NS=1 exec unshare -m sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)

# SCTP answers only on addresses an interface has.
ip addr add 127.0.0.2/8 dev lo
ip addr add 127.0.0.3/8 dev lo
printf '%s\n' '127.0.0.1 localhost' >"$T/hosts"
printf '%s\n' 'nameserver 127.0.0.53' 'options attempts:1' >"$T/resolv.conf"
mount --bind "$T/hosts" /etc/hosts
mount --bind "$T/resolv.conf" /etc/resolv.conf
printf '%s\n' '127.0.0.2 peer.test' >"$T/dns.hosts"
start dns "$DNSMASQ" -k -C /dev/null --user=root --no-resolv --no-hosts \
	--local=/test/ --addn-hosts="$T/dns.hosts" --local-ttl=0 \
	--listen-address=127.0.0.53 --bind-interfaces --port=53 \
	--pid-file="$T/dnsmasq.pid" --log-facility=- --log-queries
i=0
until getent ahosts peer.test >/dev/null 2>&1 || [ $i -gt 50 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "dnsmasq answers for peer.test" getent ahosts peer.test
# dns NAME... : the hosts file of the name server, then read again.
dns() {
	printf '%s\n' "$@" >"$T/dns.hosts"
	kill -HUP "$(pid_of dns)"
	sleep 0.5
}

cat >"$T/s.conf" <<CONF
log_level = info
[in]
accept  = dtls+sctp://*:5700
connect = tcp://backend.test:7100
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
[in-udp]
accept  = dtls+sctp://*:5701
connect = udp://backend.test:7200
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
cat >"$T/c.conf" <<CONF
log_level = info
[out]
accept  = tcp://127.0.0.1:7000
connect = dtls+sctp://peer.test:5700
connect_timeout = 20
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
[later]
accept  = tcp://127.0.0.1:7001
connect = dtls+sctp://later.test:5700
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
[out-udp]
accept  = udp://127.0.0.1:7002
connect = dtls+sctp://peer.test:5701
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF

"$BIN" -t -f "$T/c.conf" >"$T/t.out" 2>"$T/t.err"
check "-t: a name that does not resolve only warns (exit 0)" [ $? -eq 0 ]
check "-t: configuration OK" grep -qx "configuration OK" "$T/t.out"
check "-t: the warning names it" grep -q "warning: later: later.test does not resolve" "$T/t.err"

start echo "$NP" tcp-echo 7100
# Bound to its address: a wildcard UDP server may answer from another.
start uecho socat UDP4-LISTEN:7200,bind=127.0.0.2,reuseaddr,fork PIPE
start s "$BIN" -f "$T/s.conf"
start c "$BIN" -f "$T/c.conf"
wait_log s "started 2 service" && wait_log c "started 3 service"
check "both start though names do not resolve" [ $? -eq 0 ]
check "start warns: backend.test" grep -q "warning: in: backend.test does not resolve" "$T/s.err"
check "start warns: later.test" grep -q "warning: later: later.test does not resolve" "$T/c.err"

"$NP" tcp-client 127.0.0.1 7000 1000 1 >"$T/x1.out" 2>&1
check "no backend address: the connection is closed, saying why" \
	wait_log s "in: .*no address to connect to: Domain name not found"
check "... and its summary says backend unavailable" \
	wait_log s "in: .*closed (backend unavailable)"

dns '127.0.0.2 peer.test' '127.0.0.2 backend.test'
"$NP" tcp-client 127.0.0.1 7000 100000 2 >"$T/x2.out" 2>&1
check "the backend name added: data through, no restart" grep -q "^ok" "$T/x2.out"
check "... the server side used 127.0.0.2" \
	grep -q "in: .*closed (closed): .* server 127.0.0.2:7100," "$T/s.err"
check "... the client side used 127.0.0.2" \
	grep -Eq "out: .*closed \\(closed\\): .* server 127\\.0\\.0\\.2(,[0-9.]+)*:5700," "$T/c.err"
"$NP" udp-client 127.0.0.1 7002 1 1000 999 >"$T/u1.out" 2>&1
check "UDP backend by name" grep -q "^ok" "$T/u1.out"

dns '127.0.0.3 peer.test' '127.0.0.3 backend.test' '127.0.0.2 later.test'
"$NP" tcp-client 127.0.0.1 7000 100000 2 >"$T/x3.out" 2>&1
check "both names moved: data through" grep -q "^ok" "$T/x3.out"
check "... the server side followed to 127.0.0.3" \
	grep -q "in: .*closed (closed): .* server 127.0.0.3:7100," "$T/s.err"
check "... the client side followed to 127.0.0.3" \
	grep -Eq "out: .*closed \\(closed\\): .* server 127\\.0\\.0\\.3(,[0-9.]+)*:5700," "$T/c.err"
check "... and said so" grep -q "out: peer.test has new addresses: 127.0.0.3:5700 first" "$T/c.err"
"$NP" tcp-client 127.0.0.1 7001 1000 1 >"$T/x4.out" 2>&1
check "a name missing at start works once it is there" grep -q "^ok" "$T/x4.out"
check "... and says it resolves again" grep -q "later: later.test resolves again" "$T/c.err"

stop dns
"$NP" tcp-client 127.0.0.1 7000 1000 1 >"$T/x5.out" 2>&1
check "name server away: the last addresses serve" grep -q "^ok" "$T/x5.out"
check "... with a warning" grep -q "out: peer.test: the name servers do not answer" "$T/c.err"
check "no service stopped" sh -c "! grep -q 'stopped' '$T/s.err' '$T/c.err'"
finish
