#!/bin/sh
# SCTP multi-homing on the gateway's plaintext SCTP end, and a peer that
# goes away: host A (this namespace) and host B (a test namespace) joined
# by two veth pairs on two subnets.
#   1. Gateway: sctppeer -> tunnel A (sctp://) -> DTLS/SCTP over both
#      paths -> tunnel B -> sctp:// to a sink on host A, over both paths
#      too; path 1 goes down while messages flow: both associations fail
#      over, the plaintext one with the service's tuning, and every
#      message arrives whole.
#   2. The peer tunnel is killed during traffic (its kernel aborts the
#      association): the client tunnel says so and closes the connection;
#      with the peer started again, the next connection works.
#   3. The peer tunnel is killed while both paths are down (no ABORT can
#      reach us): the association is declared lost after
#      association_max_retransmits, the connection closed; with the paths
#      back and the peer started again, the next connection works.
. "$(dirname "$0")/lib.sh"
certs
load_module veth drivers/net/veth.ko
SP=$HELPERS/sctppeer

ns=mr${T##*.} # unique: /run/netns is shared by UML machines running at once
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
ip addr add 10.1.0.1/24 dev a1
ip addr add 10.2.0.1/24 dev a2
ip link set a1 up
ip link set a2 up
$B ip link set lo up
$B ip addr add 10.1.0.2/24 dev b1
$B ip addr add 10.2.0.2/24 dev b2
$B ip link set b1 up
$B ip link set b2 up

TUNE="rto_min = 200ms
rto_max = 1s
path_max_retransmits = 2
association_max_retransmits = 4
heartbeat_interval = 1s"
cat >"$T/b.conf" <<CONF
log_level = debug
[gw]
accept  = dtls+sctp://10.1.0.2,10.2.0.2:5668
connect = sctp://10.1.0.1,10.2.0.1:3869
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
$TUNE
[rs]
accept  = dtls+sctp://10.1.0.2,10.2.0.2:5670
connect = tcp://127.0.0.1:7103
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
$TUNE
CONF
cat >"$T/a.conf" <<CONF
log_level = info
[gw]
accept  = sctp://127.0.0.1:3868
connect = dtls+sctp://10.1.0.2,10.2.0.2:5668
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
$TUNE
[rs]
accept  = tcp://127.0.0.1:7003
connect = dtls+sctp://10.1.0.2,10.2.0.2:5670
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
$TUNE
CONF
start b $B "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 2 service" && wait_log b "started 2 service"
check "both tunnels started" [ $? -eq 0 ]

# 1. The gateway's plaintext association across both paths.
start sink "$SP" sink 3869 6000 11
start send "$SP" send 127.0.0.1 3868 6000 11
wait_log b "gw: .*association up: .*; peer 10.1.0.1:3869, 10.2.0.1:3869;"
check "gateway: the plaintext association has both paths of the backend" [ $? -eq 0 ]
check "gateway: the tuning reached the plaintext association too" \
	grep -q "gw: .*SCTP parameters: rto_initial [0-9]* ms, rto_min 200 ms, rto_max 1000 ms, .* association_max_retransmits 4, path_max_retransmits 2, heartbeat yes, heartbeat_interval 1000 ms," "$T/b.err"
sleep 1
ip link set a1 down
wait_log b "gw: .*path 10.1.0.1:3869 unreachable"
check "gateway: the plaintext association's path failure logged" [ $? -eq 0 ]
ip link set a1 up
wait_exit send 120
wait_exit sink 60
check "gateway: every message whole, on its stream, with its PPID, in order" \
	grep -q "^ok: 6000 messages" "$T/sink.out"
check "gateway: the DTLS/SCTP association failed over too" \
	grep -q "gw: .*path 10.1.0.2:5668 unreachable" "$T/a.err"
wait_log b "gw: .*closed ("
check "gateway: the summary line lists the plaintext backend's addresses" \
	grep -q "gw: .*closed (.*, server 10.1.0.1,10.2.0.1:3869, " "$T/b.err"

# transfer BYTES: BYTES through [rs]; the checksums compare.
transfer() {
	head -c "$1" /dev/urandom >"$T/small"
	start rsink $B socat -u TCP-LISTEN:7103,bind=127.0.0.1,reuseaddr \
		CREATE:"$T/small.out"
	sleep 0.5
	socat -u OPEN:"$T/small" TCP:127.0.0.1:7003
	wait_exit rsink 30
	cmp -s "$T/small" "$T/small.out"
}
# kill_peer: SIGKILL tunnel B.
kill_peer() {
	kill -KILL "$(pid_of b)"
	wait "$(pid_of b)" 2>/dev/null
	eval "PID_b="
}
# restart_peer: tunnel B again.
restart_peer() {
	start b $B "$BIN" -f "$T/b.conf"
	wait_log b "started 2 service"
}
# traffic: a long transfer through [rs], reading on B into /dev/null.
traffic() {
	start rsink $B socat -u TCP-LISTEN:7103,bind=127.0.0.1,reuseaddr \
		OPEN:/dev/null
	sleep 0.5
	start rsend socat -u OPEN:/dev/zero TCP:127.0.0.1:7003
	sleep 2
}

# 2. The peer killed during traffic: its kernel aborts the association.
traffic
kill_peer
wait_log a "rs: .*closed (\\(DTLS/SCTP peer aborted\\|DTLS read failed\\))"
check "peer killed: the abort logged and the connection closed" [ $? -eq 0 ]
stop rsend
restart_peer
transfer 1000000
check "peer killed: after its restart the next connection works" [ $? -eq 0 ]

# 3. The peer killed while no path works: the association is lost.
traffic
ip link set a1 down
ip link set a2 down
kill_peer
wait_log a "rs: .*association lost: the peer stopped answering on every path"
check "peer unreachable: the loss logged (association_max_retransmits)" [ $? -eq 0 ]
check "peer unreachable: the connection closed with that reason" \
	grep -q "rs: .*closed (DTLS/SCTP association lost)" "$T/a.err"
stop rsend
ip link set a1 up
ip link set a2 up
restart_peer
transfer 1000000
check "peer unreachable: after its restart the next connection works" [ $? -eq 0 ]
finish
