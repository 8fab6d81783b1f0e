#!/bin/sh
# A real SCTP application through the gateway: Debian's freeDiameterd as
# two Diameter peers, a.test connecting over plaintext SCTP to tunnel A,
# tunnel B connecting over plaintext SCTP to b.test; between the tunnels
# DTLS/SCTP. No TLS between the peers: the tunnels are the security. They
# must reach the open state (CER/CEA) and keep exchanging watchdogs
# (DWR/DWA), on every stream freeDiameter spreads its messages over.
. "$(dirname "$0")/lib.sh"
FREEDIAMETERD=${FREEDIAMETERD:-/usr/bin/freeDiameterd}
[ -x "$FREEDIAMETERD" ] || { fail "freeDiameterd installed (make deps)"; finish; }
certs

# diameter_confs A_PORT B_PORT B_CONNECT_PORT: $T/a.conf, $T/b.conf for
# freeDiameter 1.2.1, plain SCTP, no TLS (SecPort = 0). a.test listens on
# A_PORT and connects to B_CONNECT_PORT; b.test listens on B_PORT and
# accepts a.test (acl_wl). ListenOn is the IPv4-mapped loopback address:
# freeDiameter ignores a plain loopback ListenOn. Tw = 6 s, the least it
# takes (it adds up to 2 s of jitter either way).
diameter_confs() {
	for p in a b; do
		if [ $p = a ]; then id=a.test port=$1; else id=b.test port=$2; fi
		cat >"$T/$p.conf" <<CONF
Identity = "$id";
Realm = "test";
Port = $port;
SecPort = 0;
No_TCP;
ListenOn = "::ffff:127.0.0.1";
TcTimer = 1;
TwTimer = 6;
CONF
	done
	cat >>"$T/a.conf" <<CONF
ConnectPeer = "b.test" { ConnectTo = "127.0.0.1"; Port = $3; No_TLS; No_TCP; No_IPv6; };
CONF
	cat >>"$T/b.conf" <<CONF
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$T/b.acl";
CONF
	echo "ALLOW_IPSEC a.test" >"$T/b.acl"
}

# fd_start NAME CONF: freeDiameterd, its log (stdout, -dd for watchdogs)
# in $T/NAME.err.
fd_start() {
	start "$1" sh -c 'exec "$1" -dd -c "$2" 1>&2' sh "$FREEDIAMETERD" "$2"
}

# wait_count NAME PATTERN N SECONDS: until NAME's log has N lines of PATTERN.
wait_count() {
	i=0
	while [ "$(grep -c "$2" "$T/$1.err" 2>/dev/null)" -lt "$3" ]; do
		i=$((i + 1))
		[ $i -gt $(($4 * 10)) ] && return 1
		sleep 0.1
	done
}

cat >"$T/ta.conf" <<CONF
log_level = debug
[diameter-out]
accept  = sctp://127.0.0.1:3872
connect = dtls+sctp://127.0.0.1:5672
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
ppid_map = diameter
CONF
cat >"$T/tb.conf" <<CONF
log_level = debug
[diameter-in]
accept  = dtls+sctp://127.0.0.1:5672
connect = sctp://127.0.0.1:3871
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
ppid_map = diameter
CONF
diameter_confs 3870 3871 3872

start tb "$BIN" -f "$T/tb.conf"
start ta "$BIN" -f "$T/ta.conf"
wait_log ta "started 1 service" && wait_log tb "started 1 service"
check "both tunnels started" [ $? -eq 0 ]
fd_start b "$T/b.conf"
wait_log b "freeDiameterd daemon initialized"
fd_start a "$T/a.conf"

wait_log a "> 'STATE_OPEN'.'b.test'"
check "a.test reaches the open state with b.test through the tunnels (CER/CEA)" [ $? -eq 0 ]
wait_log b "> 'STATE_OPEN'.'a.test'"
check "b.test reaches the open state with a.test" [ $? -eq 0 ]
check "a.test: Connected to b.test over SCTP" grep -q "Connected to 'b.test' (SCTP" "$T/a.err"

# Watchdogs: three rounds, whichever side starts them (each 4 to 8 s).
dw="SENT to '[ab].test': 'Device-Watchdog-"
wait_count a "$dw" 3 40
ra=$?
wait_count b "$dw" 3 30
check "watchdogs (DWR/DWA) keep going through the tunnels, both ways" \
	[ $ra -eq 0 ] && [ $? -eq 0 ]
check "the peers stayed open (no SUSPECT, no reconnection)" \
	sh -c "! grep -q \"'STATE_OPEN'.-> \" '$T/a.err' '$T/b.err'"
check "one association through the tunnels" \
	[ "$(grep -c 'diameter-out: .*DTLS handshake complete' "$T/ta.err")" -eq 1 ]
check "the tunnels refused nothing" \
	sh -c "! grep -qi 'no such stream\|too large\|abort' '$T/ta.err' '$T/tb.err'"

# a.test leaves first (so that it does not reconnect), then b.test.
stop a
wait_log ta "diameter-out: .*closed (" && wait_log tb "diameter-in: .*closed ("
check "a.test leaving closes both associations" [ $? -eq 0 ]
stop b
check "client tunnel: messages both ways in its closing line" \
	grep -q "diameter-out: .*closed (.*[1-9][0-9]* messages up, [1-9][0-9]* messages down" "$T/ta.err"
check "server tunnel: messages both ways in its closing line" \
	grep -q "diameter-in: .*closed (.*[1-9][0-9]* messages up, [1-9][0-9]* messages down" "$T/tb.err"
stop ta
stop tb
finish
