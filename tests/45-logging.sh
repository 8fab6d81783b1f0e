#!/bin/sh
# Logging as configured: a log file at the configured level, one summary
# line per connection, SIGUSR1 reopens the file after rotation; the pid
# file exists while the daemon runs.
. "$(dirname "$0")/lib.sh"
certs
cat >"$T/l.conf" <<CONF
log = $T/daemon.log
log_level = info
pid = $T/daemon.pid

[selftest]
accept  = dtls+sctp://127.0.0.1:8090
connect = echo
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
start d "$BIN" -f "$T/l.conf"
i=0
until grep -q "started 1 service" "$T/daemon.log" 2>/dev/null || [ $i -gt 300 ]; do
	i=$((i + 1)); sleep 0.1
done
check "logs to the configured file" grep -q "notice: started 1 service" "$T/daemon.log"
check "nothing on stderr" [ ! -s "$T/d.err" ]
check "pid file names the daemon" [ "$(cat "$T/daemon.pid")" = "$(pid_of d)" ]
check "no debug lines at log_level = info" sh -c "! grep -q ' debug: ' '$T/daemon.log'"

ping_echo() { "$BIN" -c -h 127.0.0.1 -p 8090 -i 2 -k "$T/client.key" -l "$T/client.pem" --ca "$T/ca.pem" >/dev/null 2>&1; }
ping_echo
check "one summary line per connection, at info" \
	grep -q " info: selftest: 127.0.0.1:[0-9]*: closed (closed): client 127.0.0.1:[0-9]*, server -, local -, peer CN=client.test, " "$T/daemon.log"

mv "$T/daemon.log" "$T/daemon.log.1"
kill -USR1 "$(pid_of d)"
sleep 0.5
ping_echo
sleep 0.5
check "SIGUSR1: a new log file after rotation" grep -q "closed (closed)" "$T/daemon.log"
check "SIGUSR1: the rotated file is left alone" [ "$(grep -c 'closed (closed)' "$T/daemon.log.1")" -eq 1 ]
stop d
check "pid file removed at exit" [ ! -e "$T/daemon.pid" ]
finish
