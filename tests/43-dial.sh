#!/bin/sh
# A name with several addresses (RFC 8305, Happy Eyeballs): every address
# is tried until one works. bh.test is an IPv6 address that never answers
# (a veth into a network namespace, 100% netem loss), then 127.0.0.1;
# rf.test is ::1, where nothing listens (refused at once), then 127.0.0.1.
# Both shapes for DTLS/SCTP connects (tunnel A) and TCP backends (tunnel
# B). The names come from a private hosts file, bind-mounted in a mount
# namespace of this test's own.
if [ -z "${DIAL_NS:-}" ]; then
	DIAL_NS=1 exec unshare -m sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
certs
load_module veth drivers/net/veth.ko
load_module sch_netem net/sched/sch_netem.ko
NP=$HELPERS/netpeer

ns=dial${T##*.} # unique: /run/netns is shared by UML machines running at once
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null; ip link del v0 2>/dev/null; cleanup' EXIT
ip link add v0 type veth peer name v1
ip link set v1 netns "$ns"
# An IPv4 address that is not loopback too: getaddrinfo's AI_ADDRCONFIG
# would otherwise leave out every IPv4 address.
ip addr add 10.77.0.2/24 dev v0
ip -6 addr add 2001:db8::2/64 dev v0 nodad
ip link set v0 up
ip netns exec "$ns" ip -6 addr add 2001:db8::1/64 dev v1 nodad
ip netns exec "$ns" ip link set v1 up
tc qdisc add dev v0 root netem loss 100%
printf '%s\n' '2001:db8::1 bh.test' '127.0.0.1 bh.test' '::1 rf.test' \
	'127.0.0.1 rf.test' >"$T/hosts"
mount --bind "$T/hosts" /etc/hosts
check "bh.test resolves to IPv6 first, then IPv4" \
	sh -c "getent ahosts bh.test | awk '/STREAM/ {print \$1}' | tr '\n' ' ' | grep -qx '2001:db8::1 127.0.0.1 '"

cat >"$T/b.conf" <<CONF
log_level = info
[in-bh]
accept  = dtls+sctp://127.0.0.1:5658
connect = tcp://bh.test:7100
connect_timeout = 20
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
[in-rf]
accept  = dtls+sctp://127.0.0.1:5659
connect = tcp://rf.test:7200
connect_timeout = 20
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
cat >"$T/a.conf" <<CONF
log_level = info
[out-bh]
accept  = tcp://127.0.0.1:7000
connect = dtls+sctp://bh.test:5658
connect_timeout = 20
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
[out-rf]
accept  = tcp://127.0.0.1:7001
connect = dtls+sctp://rf.test:5659
connect_timeout = 20
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
start echo "$NP" tcp-echo 7100
# A backend on IPv4 only: [::1]:7200 refuses.
start echo4 socat TCP4-LISTEN:7200,bind=127.0.0.1,reuseaddr,fork EXEC:cat
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 2 service" && wait_log b "started 2 service"
check "both tunnels started" [ $? -eq 0 ]

"$NP" tcp-client 127.0.0.1 7000 100000 2 >"$T/bh.out" 2>&1
check "silent IPv6 first: data through, both hops" grep -q "^ok" "$T/bh.out"
check "DTLS/SCTP connect: the next address tried while the first is silent" \
	grep -q "out-bh: .*trying 127.0.0.1:5658 as well" "$T/a.err"
check "DTLS/SCTP connect: the summary names the address used" \
	grep -q "out-bh: .*closed (closed): .* server 127.0.0.1:5658," "$T/a.err"
check "TCP backend: the next address tried while the first is silent" \
	grep -q "in-bh: .*trying 127.0.0.1:7100 as well" "$T/b.err"
check "TCP backend: the summary names the address used" \
	grep -q "in-bh: .*closed (closed): .* server 127.0.0.1:7100," "$T/b.err"

"$NP" tcp-client 127.0.0.1 7001 100000 2 >"$T/rf.out" 2>&1
check "refusing IPv6 first: data through, both hops" grep -q "^ok" "$T/rf.out"
check "DTLS/SCTP connect: the refusal logged, the next address used" \
	grep -q "out-rf: .*connect to \[::1\]:5659: Connection refused" "$T/a.err"
check "DTLS/SCTP connect: the summary names the address used" \
	grep -q "out-rf: .*closed (closed): .* server 127.0.0.1:5659," "$T/a.err"
check "TCP backend: the refusal logged, the next address used" \
	grep -q "in-rf: .*connect to \[::1\]:7200: Connection refused" "$T/b.err"
check "TCP backend: the summary names the address used" \
	grep -q "in-rf: .*closed (closed): .* server 127.0.0.1:7200," "$T/b.err"
check "no connection gave up" \
	sh -c "! grep -q 'unreachable\|unavailable\|timed out' '$T/a.err' '$T/b.err'"
finish
