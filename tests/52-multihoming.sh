#!/bin/sh
# SCTP multi-homing: a tunnel pair across two paths (two veth pairs on two
# subnets between this namespace, host A, and a test namespace, host B)
# carries a 64 MiB TCP transfer while the primary path fails halfway:
#   1. its link goes down (ip link set down), and comes back with
#      primary_return = yes: data returns to it (the veth's counters);
#      local = source addresses as the server sees them; every tuning key
#      read back from the kernel (getsockopt, logged at debug);
#   2. 100% netem loss both ways, the second path on IPv6, primary_return
#      = no: the data stays on the path it moved to.
# Each time the transfer completes with identical checksums and the path
# change is logged; the stall (longest time the receiver got nothing
# after the failure) is measured and printed, not asserted.
. "$(dirname "$0")/lib.sh"
certs
load_module veth drivers/net/veth.ko
load_module sch_netem net/sched/sch_netem.ko

ns=mh${T##*.} # unique: /run/netns is shared by UML machines running at once
B="ip netns exec $ns"
ip netns add "$ns"
# The daemons go first: a device their routes use is not freed before.
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; wait
ip netns del "$ns" 2>/dev/null; ip link del a1 2>/dev/null
ip link del a2 2>/dev/null; cleanup' EXIT
ip link add a1 type veth peer name b1
ip link add a2 type veth peer name b2
ip link set b1 netns "$ns"
ip link set b2 netns "$ns"
# No duplicate address detection: no address (link-local ones included)
# is tentative when an association starts.
for d in a1 a2; do echo 0 >"/proc/sys/net/ipv6/conf/$d/accept_dad"; done
for d in b1 b2; do $B sh -c "echo 0 >/proc/sys/net/ipv6/conf/$d/accept_dad"; done
ip addr add 10.1.0.1/24 dev a1
ip addr add 10.1.0.11/24 dev a1
ip addr add 10.2.0.1/24 dev a2
ip -6 addr add fd00:2::1/64 dev a2 nodad
ip link set a1 up
ip link set a2 up
$B ip link set lo up
$B ip addr add 10.1.0.2/24 dev b1
$B ip addr add 10.2.0.2/24 dev b2
$B ip -6 addr add fd00:2::2/64 dev b2 nodad
$B ip link set b1 up
$B ip link set b2 up
check "no tentative IPv6 address on the paths" \
	sh -c "[ -z \"\$(ip -6 addr show tentative; $B ip -6 addr show tentative)\" ]"

TUNE="rto_initial = 500ms
rto_min = 200ms
rto_max = 1s
path_max_retransmits = 2
association_max_retransmits = 8
heartbeat_interval = 1s
max_init_retransmits = 5
init_timeout = 900
sack_delay = 50ms
sack_frequency = 2
sndbuf = 200000
rcvbuf = 150000"
cat >"$T/b.conf" <<CONF
log_level = info
[mh1]
accept  = dtls+sctp://10.1.0.2,10.2.0.2:5658
connect = tcp://127.0.0.1:7101
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
$TUNE
[mh2]
accept  = dtls+sctp://10.1.0.2,[fd00:2::2]:5659
connect = tcp://127.0.0.1:7102
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
$TUNE
CONF
cat >"$T/a.conf" <<CONF
log_level = debug
[mh1]
accept  = tcp://127.0.0.1:7001
connect = dtls+sctp://10.1.0.2,10.2.0.2:5658
local   = 10.1.0.11, 10.2.0.1
primary = 10.1.0.2
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
$TUNE
[mh2]
accept  = tcp://127.0.0.1:7002
connect = dtls+sctp://10.1.0.2,[fd00:2::2]:5659
primary = 10.1.0.2
primary_return = no
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
$TUNE
CONF
start b $B "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 2 service" && wait_log b "started 2 service"
check "both tunnels started" [ $? -eq 0 ]
check "server: listening on both addresses of each service" \
	grep -q "mh2: listening on dtls+sctp://10.1.0.2,\[fd00:2::2\]:5659" "$T/b.err"
head -c 64M /dev/urandom >"$T/src"
want=$(sha256sum <"$T/src" | cut -d' ' -f1)

# size FILE: its size in bytes (0 if absent).
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# tx DEV: bytes sent through DEV.
tx() { cat "/sys/class/net/$1/statistics/tx_bytes"; }
# wait_size FILE BYTES: until FILE has BYTES (120 s at most).
wait_size() {
	i=0
	while [ "$(size "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -gt 1200 ] && return 1
		sleep 0.1
	done
}
# sampler FILE OUT: "TIME SIZE" of FILE every 0.1 s into OUT.
sampler() {
	while :; do
		echo "$(date +%s.%N) $(size "$1")"
		sleep 0.1
	done >"$2"
}
# stall SAMPLES T0: the longest time after T0 the size did not grow.
stall() {
	awk -v t0="$2" '$1 >= t0 { if ($2 > last) { if ($1 - tl > m) m = $1 - tl; tl = $1; last = $2 } }
		$1 < t0 { last = $2 } BEGIN { tl = t0 } END { printf "%.1f", m }' "$1"
}

# run_case N FAIL RESTORE: transfer through service mhN; FAIL at 32 MiB,
# RESTORE once the failure was logged.
run_case() {
	n=$1
	port=$((7100 + n))
	rm -f "$T/recv$n"
	start sink$n $B socat -u TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr \
		CREATE:"$T/recv$n"
	sleep 0.5
	start send$n socat -u OPEN:"$T/src" TCP:127.0.0.1:700$n
	sampler "$T/recv$n" "$T/samples$n" &
	spid=$!
	wait_size "$T/recv$n" 33554432
	t0=$(date +%s.%N)
	eval "$2"
	wait_log a "mh$n: .*path 10.1.0.2:565[89] unreachable"
	check "case $n: the primary path's failure logged (notice)" [ $? -eq 0 ]
	eval "$3"
	wait_log a "mh$n: .*path 10.1.0.2:565[89] available"
	check "case $n: the path logged available again" [ $? -eq 0 ]
	tx1=$(tx a1)
	tx2=$(tx a2)
	wait_exit send$n 300
	wait_exit sink$n 60
	kill $spid 2>/dev/null
	check "case $n: 64 MiB through, identical checksums" \
		[ "$(sha256sum <"$T/recv$n" | cut -d' ' -f1)" = "$want" ]
	echo "case $n: stall after the failure $(stall "$T/samples$n" "$t0") s;" \
		"after the path came back: $(($(tx a1) - tx1)) bytes on path 1," \
		"$(($(tx a2) - tx2)) on path 2"
	d1=$(($(tx a1) - tx1))
	d2=$(($(tx a2) - tx2))
}

# 1. Link down; back with primary_return = yes.
run_case 1 "ip link set a1 down" "ip link set a1 up"
check "case 1: data back on the primary path (> 4 MB on path 1)" [ "$d1" -gt 4000000 ]
check "case 1: the summary counts the path changes" \
	grep -q "mh1: .*closed (closed): .* [1-9][0-9]* path changes" "$T/a.err"
check "case 1: local = seen by the server (10.1.0.11 and 10.2.0.1, not 10.1.0.1)" \
	sh -c "grep 'mh1: .*association up: local .*; peer 10.1.0.11:[0-9]*, 10.2.0.1:[0-9]*;' '$T/b.err' | grep -vq '10.1.0.1:'"
check "case 1: the primary path as configured" \
	grep -q "mh1: .*association up: .*; primary 10.1.0.2:5658" "$T/a.err"
wait_log b "mh1: .*closed ("
check "case 1: the summary lines list both addresses of each side" \
	sh -c "grep -Eq 'mh1: .*closed \\(closed\\): client 127.0.0.1:[0-9]*, server 10.1.0.2,10.2.0.2:5658, local (10.1.0.11,10.2.0.1|10.2.0.1,10.1.0.11):[0-9]*, ' '$T/a.err' &&
		grep -q 'mh1: .*closed (closed): client 10.1.0.11,10.2.0.1:[0-9]*, server 127.0.0.1:7101, ' '$T/b.err'"
check "case 1: the handshake lines list the local and remote addresses" \
	sh -c "grep -q 'mh1: .*DTLS handshake complete: .*, local 10.1.0.11,10.2.0.1:[0-9]*, remote 10.1.0.2,10.2.0.2:5658\$' '$T/a.err' &&
		grep -q 'mh1: .*DTLS handshake complete: .*, local 10.1.0.2,10.2.0.2:5658, remote 10.1.0.11,10.2.0.1:[0-9]*\$' '$T/b.err'"
check "tuning: every key read back from the kernel" \
	grep -q "mh1: .*SCTP parameters: rto_initial 500 ms, rto_min 200 ms, rto_max 1000 ms, max_init_retransmits 5, init_timeout 900 ms, association_max_retransmits 8, path_max_retransmits 2, heartbeat yes, heartbeat_interval 1000 ms, sack_delay 50 ms, sack_frequency 2, sndbuf 400000," "$T/a.err"

# 2. 100% loss both ways on path 1, path 2 on IPv6, primary_return = no.
run_case 2 "tc qdisc add dev a1 root netem loss 100%; $B tc qdisc add dev b1 root netem loss 100%" \
	"tc qdisc del dev a1 root; $B tc qdisc del dev b1 root"
check "case 2: the primary moved to the IPv6 path (primary_return = no)" \
	grep -q "mh2: .*primary path: \[fd00:2::2\]:5659" "$T/a.err"
check "case 2: the primary never went back to path 1" \
	sh -c "! grep -q 'mh2: .*path 10.1.0.2:5659 made primary' '$T/a.err'"
# Not an absolute limit on path 1: a retransmission timeout on path 2
# (a loaded machine answers late) sends that data over path 1 once.
check "case 2: the data stayed on path 2 (> 4 MB, more than on path 1)" \
	sh -c "[ $d2 -gt 4000000 ] && [ $d2 -gt $d1 ]"
check "case 2: the summary line lists the IPv4 and IPv6 server addresses, the primary at close (IPv6) first" \
	grep -q "mh2: .*closed (closed): client 127.0.0.1:[0-9]*, server \[fd00:2::2\],10.1.0.2:5659, local " "$T/a.err"
check "nothing dropped or discarded" \
	sh -c "! grep -Eq '[1-9][0-9]* (datagrams dropped|records discarded)' '$T/a.err' '$T/b.err'"
finish
