#!/bin/sh
# The process model as systemd, a terminal and an operator use it: signals
# sent to the whole process group are acted on once (a drain completes, a
# second stop means now, no worker restarted while stopping), a second
# daemon on the same endpoints fails at start, workers end when their
# master dies, SIGUSR2 lists the connections, foreground = no returns only
# once the services are up, max_conns holds across workers, session tickets
# resume on any worker after a reload, and a reload happens once.
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer

cat >"$T/a.conf" <<CONF
workers = 1
[out]
accept  = tcp://127.0.0.1:7400
connect = dtls+sctp://127.0.0.1:5700
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF

# conf_b WORKERS [GLOBALS [IN-KEYS]]: the server side.
conf_b() {
	cat >"$T/b.conf" <<CONF
workers = $1
log_level = info
${2:-}

[in]
accept  = dtls+sctp://127.0.0.1:5700
connect = tcp://127.0.0.1:7410
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
${3:-}

[selftest]
accept  = dtls+sctp://127.0.0.1:5701
connect = echo
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
}

# start_b: the server side in a process group of its own, as systemd and
# a terminal start it; PG is that group.
start_b() {
	start b setsid "$BIN" -f "$T/b.conf"
	PG=$(pid_of b)
	wait_log b "$1 workers running" || fail "server side started"
}
group() { ps -o pid= -g "$PG" 2>/dev/null | wc -l; }
echo_client() { # PORT [ARGS...]
	port=$1
	shift
	"$BIN" -c -h 127.0.0.1 -p "$port" -i 1 -k "$T/client.key" \
		-l "$T/client.pem" --ca "$T/ca.pem" "$@"
}
hold() { start "$1" socat -u EXEC:"sleep 30" TCP:127.0.0.1:7400; }
count() { grep -c "$2" "$T/$1.err"; }

start echo "$NP" tcp-echo 7410
start a "$BIN" -f "$T/a.conf"
wait_log a "started 1 service"

# 1. Reload once, ticket keys shared, counters carried on, globals said.
conf_b 3
start_b 3
echo_client 5701 --sess-out "$T/sess.pem" >/dev/null 2>&1
for i in 1 2 3 4 5 6; do
	echo_client 5701 --sess-in "$T/sess.pem" >/dev/null 2>&1
done
check "6 resumptions before the reload" [ "$(count b 'session resumed')" -eq 6 ]
conf_b 4 "drain_timeout = 5" "max_conns = 2"
kill -HUP "-$PG"
i=0
while [ "$(count b 'reloaded')" -lt 3 ] && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
sleep 1
check "SIGHUP to the group: each of the 3 workers reloads once" \
	[ "$(count b 'reloaded')" -eq 3 ]
check "SIGHUP: a changed 'workers' is said to need a restart" \
	grep -q "'workers' changed; it takes effect when the daemon is restarted" "$T/b.err"
check "SIGHUP: unchanged services do not log 'stopped'" \
	[ "$(count b 'selftest: stopped')" -eq 0 ]
for i in 1 2 3 4 5 6; do
	echo_client 5701 --sess-in "$T/sess.pem" >/dev/null 2>&1
done
check "after the reload, every worker resumes the session (12)" \
	[ "$(count b 'session resumed')" -eq 12 ]

# 4. SIGUSR2 lists the connections; 6. max_conns = 2 in all workers.
hold h1
wait_log b "in: .*DTLS handshake complete"
kill -USR2 "-$PG"
check "SIGUSR2: a connection listed with its age and bytes" \
	wait_log b "in: 127.0.0.1:[0-9]*: open [0-9.]*s, [0-9]* bytes up, [0-9]* bytes down, relaying"
check "SIGUSR2: per-service counters" \
	wait_log b "selftest: dtls+sctp://127.0.0.1:5701 -> echo: 0 open .* 13 accepted"
sleep 0.5
check "SIGUSR2: the daemon lives on" [ "$(group)" -eq 4 ]
hold h2
sleep 1
hold h3
sleep 1
hold h4
sleep 1
check "max_conns = 2 across 3 workers: 2 refused of 4" \
	[ "$(count b 'in: .*refused, 2 connections already (max_conns)')" -eq 2 ]
stop h1; stop h2; stop h3; stop h4
kill -TERM "-$PG"
wait_exit b 40
check "SIGTERM to the group: exits 0" [ $? -eq 0 ]
check "counters carried over the reload: 13 echo connections in all" \
	[ "$(sed -n 's/.*selftest: stopped: \([0-9]*\) connection.*/\1/p' \
		"$T/b.err" | awk '{ n += $1 } END { print n }')" -eq 13 ]

# 1. A drain survives SIGTERM sent to the process group.
conf_b 2 "drain_timeout = 60"
start_b 2
start xfer "$NP" tcp-client 127.0.0.1 7400 16777216 1
sleep 1
kill -TERM "-$PG"
wait_exit xfer 120
check "SIGTERM to the group: the transfer completes" [ $? -eq 0 ]
wait_exit b 40
check "SIGTERM to the group: exits 0 after draining" [ $? -eq 0 ]
check "SIGTERM to the group: no stop at once" \
	[ "$(count b 'stopping at once')" -eq 0 ]

# 1. SIGINT to the group: a drain, no restart; a second SIGINT: now.
start_b 2
hold h1
wait_log b "in: .*DTLS handshake complete"
kill -INT "-$PG"
wait_log b "stopped accepting"
sleep 2
check "SIGINT to the group: still draining 2s later" kill -0 "$PG"
check "SIGINT to the group: no worker restarted" \
	[ "$(count b 'restarted')" -eq 0 ]
kill -INT "-$PG"
wait_exit b 10
check "a second SIGINT stops at once, status 0" [ $? -eq 0 ]
check "a second SIGINT: said" grep -q "stopping at once" "$T/b.err"
stop h1

# 3. Workers end, gracefully, when the master dies.
start_b 2
start xfer "$NP" tcp-client 127.0.0.1 7400 16777216 1
sleep 1
kill -KILL "$PG"
wait_exit xfer 120
check "master killed: the open transfer completes" [ $? -eq 0 ]
i=0
while [ "$(group)" -gt 0 ] && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "master killed: no worker left" [ "$(group)" -eq 0 ]
check "master killed: the workers said why they stop" \
	grep -q "the master is gone: stopped accepting" "$T/b.err"

# 2. A second daemon on the same endpoints fails at start; -t sees
# overlapping services in one file.
start_b 2
timeout 20 "$BIN" -f "$T/b.conf" >"$T/second.out" 2>"$T/second.err"
check "a second daemon on the same endpoints: exit status 1" [ $? -eq 1 ]
check "a second daemon: says the address is in use" \
	grep -Eq "in: cannot listen on dtls\+sctp://127.0.0.1:5700: (Address already in use|another sctp-dtls listens there)" "$T/second.err"
check "the first daemon still serves" echo_client 5701
# ... with log = FILE in the foreground: the error on the terminal too.
sed "s|^log_level = info|log_level = info\\nlog = $T/second.log\\nforeground = yes|" \
	"$T/b.conf" >"$T/second.conf"
timeout 20 "$BIN" -f "$T/second.conf" >"$T/second2.out" 2>"$T/second2.err"
check "a second daemon with log = FILE, foreground: exit status 1" [ $? -eq 1 ]
check "... the start-up error on its stderr" \
	grep -Eq "in: cannot listen on dtls\+sctp://127.0.0.1:5700: (Address already in use|another sctp-dtls listens there)" "$T/second2.err"
check "... and in its log file" grep -q "in: cannot listen on" "$T/second.log"
cat "$T/b.conf" >"$T/dup.conf"
cat >>"$T/dup.conf" <<CONF
[again]
accept  = dtls+sctp://*:5701
connect = echo
cert = $T/server.pem
key  = $T/server.key
CONF
"$BIN" -t -f "$T/dup.conf" >"$T/dup.out" 2>&1
check "-t: overlapping accept endpoints refused" [ $? -eq 2 ]
check "-t: the overlap named" \
	grep -q "\[again\]: accept = dtls+sctp://\*:5701 overlaps accept = dtls+sctp://127.0.0.1:5701 of \[selftest\]" "$T/dup.out"
kill -TERM "-$PG"
wait_exit b 40

# 2b. Overlaps of every kind, in one file (-t and start-up refuse it) and
# across daemons (the second fails at start, though its endpoint is written
# differently, so only the bind can tell): tcp://, udp://, sctp://,
# dtls+sctp://, and multi-homed SCTP address lists that share an address.
CLIENT_KEYS="cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem"
SERVER_KEYS="cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem"
svc_conf() { # NAME ACCEPT: a service on ACCEPT (dtls+sctp:// ones echo)
	case $2 in
	dtls+sctp://*) printf '[%s]\naccept = %s\nconnect = echo\n%s\n' \
		"$1" "$2" "$SERVER_KEYS" ;;
	*) printf '[%s]\naccept = %s\nconnect = dtls+sctp://127.0.0.1:5701\n%s\n' \
		"$1" "$2" "$CLIENT_KEYS" ;;
	esac
}
for pair in "tcp://127.0.0.1:7420 tcp://127.0.0.1:7420" \
	"udp://127.0.0.1:7420 udp://*:7420" \
	"sctp://127.0.0.1:7420 dtls+sctp://127.0.0.1:7420" \
	"dtls+sctp://127.0.0.1:5720 dtls+sctp://127.0.0.1:5720" \
	"sctp://127.0.0.1,127.0.0.2:5721 sctp://127.0.0.3,127.0.0.2:5721"; do
	set -- $pair
	{
		echo "workers = 2"
		svc_conf one "$1"
		svc_conf two "$2"
	} >"$T/ov.conf"
	"$BIN" -t -f "$T/ov.conf" >"$T/ov.out" 2>&1
	check "-t refuses $1 with $2" [ $? -eq 2 ]
	check "-t names the overlap of $1 with $2" \
		grep -qF "[two]: accept = $2 overlaps accept = $1 of [one]" "$T/ov.out"
	timeout 20 "$BIN" -f "$T/ov.conf" >"$T/ov.out" 2>&1
	check "start-up refuses $1 with $2" [ $? -eq 2 ]
	check "start-up names the overlap of $1 with $2" \
		grep -qF "[two]: accept = $2 overlaps accept = $1 of [one]" "$T/ov.out"
done
{
	echo "workers = 2"
	svc_conf t tcp://127.0.0.1:7421
	svc_conf u udp://127.0.0.1:7421
	svc_conf m sctp://127.0.0.1,127.0.0.2:5722
} >"$T/x.conf"
start x "$BIN" -f "$T/x.conf"
wait_log x "2 workers running" || fail "daemon with tcp, udp, multi-homed sctp started"
for ep in tcp://*:7421 udp://127.0.0.1:7421 sctp://127.0.0.3,127.0.0.2:5722 \
	sctp://127.0.0.1,127.0.0.2:5722; do
	for w in 1 2; do
		{
			echo "workers = $w"
			svc_conf y "$ep"
		} >"$T/y.conf"
		timeout 20 "$BIN" -f "$T/y.conf" >"$T/y.out" 2>&1
		check "a second daemon on $ep (workers = $w): exit status 1" [ $? -eq 1 ]
		check "a second daemon on $ep (workers = $w): in use" \
			grep -Eq "Address already in use|another sctp-dtls listens there" "$T/y.out"
	done
done
check "the first daemon still runs" kill -0 "$(pid_of x)"
stop x

# 5. foreground = no: the command returns once the services are up.
cat >"$T/d.conf" <<CONF
foreground = no
workers = 2
log = $T/d.log
pid = $T/d.pid

[selftest]
accept  = dtls+sctp://127.0.0.1:5702
connect = echo
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
"$BIN" -f "$T/d.conf" >"$T/d1.out" 2>"$T/d1.err"
check "foreground = no: exit status 0" [ $? -eq 0 ]
dpid=$(cat "$T/d.pid" 2>/dev/null)
PIDS="$PIDS $dpid"
check "foreground = no: the daemon runs" kill -0 "$dpid"
check "foreground = no: it serves at once" echo_client 5702
"$BIN" -f "$T/d.conf" >"$T/d2.out" 2>"$T/d2.err"
check "foreground = no, endpoints taken: exit status 1" [ $? -eq 1 ]
check "foreground = no, endpoints taken: the error on stderr" \
	grep -Eq "cannot listen on .*(Address already in use|another sctp-dtls listens there)" "$T/d2.err"
check "foreground = no, endpoints taken: the first daemon's pid file stays" \
	[ "$(cat "$T/d.pid")" = "$dpid" ]
sed 's|^log = .*|log = stderr|' "$T/d.conf" >"$T/e.conf"
"$BIN" -t -f "$T/e.conf" >"$T/e.out" 2>&1
check "foreground = no with log = stderr: refused" [ $? -eq 2 ]
kill -TERM "$dpid"
i=0
while kill -0 "$dpid" 2>/dev/null && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "foreground = no: stops on SIGTERM, pid file removed" [ ! -e "$T/d.pid" ]

stop a
finish
