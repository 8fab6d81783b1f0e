#!/bin/sh
# Least privilege: setuid/setgid after the listeners are bound and the
# keys loaded, chroot, and refusal to go on as root when that fails; a
# warning for private keys others can read.
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer
mkdir -p "$T/jail"
chmod 600 "$T"/*.key

conf() { # extra global lines
	cat >"$T/p.conf" <<CONF
$1

[in]
accept  = dtls+sctp://127.0.0.1:5800
connect = echo
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem

[out]
accept  = tcp://127.0.0.1:7800
connect = dtls+sctp://127.0.0.1:5800
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
}

# Files a reload reads again must be readable after the privilege drop:
# -t and start say so, and how to fix it.
conf "setuid = nobody
setgid = nogroup"
chmod 711 "$T"
"$BIN" -t -f "$T/p.conf" >"$T/t1.out" 2>"$T/t1.err"
check "-t: a key only root reads, with setuid: exit 2" [ $? -eq 2 ]
check "-t: ... naming the file, its line and the fix" \
	grep -q "p.conf:8: \[in\]: key '$T/server.key' will not be readable after the privilege drop (uid 65534, gid 65534), .*chmod 0640" "$T/t1.err"
start pr "$BIN" -f "$T/p.conf"
wait_exit pr 10
check "start refuses it too" [ $? -eq 2 ]
# Readable by the group it runs in.
chgrp nogroup "$T"/*.key
chmod 640 "$T"/*.key
check "-t: group-readable keys pass" sh -c "'$BIN' -t -f '$T/p.conf' | grep -qx 'configuration OK'"
start pr "$BIN" -f "$T/p.conf"
wait_log pr "started 2 service"
kill -HUP "$(pid_of pr)"
check "after the drop, a reload reads the keys again" wait_log pr "reloaded $T/p.conf: 2 service(s), 2 carried on, 0 new$"
check "... with no error" sh -c "! grep -q 'error' '$T/pr.err'"
stop pr
chmod 700 "$T"
chgrp root "$T"/*.key
chmod 600 "$T"/*.key

# With a chroot a reload reads them inside it: copies there.
mkdir -p "$T/jail$T"
cp "$T"/*.pem "$T"/*.key "$T/jail$T/"
chgrp nogroup "$T/jail$T"/*.key
chmod 640 "$T/jail$T"/*.key
conf "setuid = nobody
setgid = nogroup
chroot = $T/jail"
start p "$BIN" -f "$T/p.conf"
sleep 1
check "logs the identity it dropped to" grep -q "running as uid 65534, gid 65534, chroot $T/jail" "$T/p.err"
check "the process has no root uid left" \
	sh -c "grep -E '^Uid:' /proc/$(pid_of p)/status | grep -qE '^Uid:[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534'"
check "the process has no root gid left" \
	sh -c "grep -E '^Gid:' /proc/$(pid_of p)/status | grep -qE '^Gid:[[:space:]]+65534[[:space:]]+65534'"
check "its root is the chroot" [ "$(readlink /proc/$(pid_of p)/root)" = "$T/jail" ]
"$NP" tcp-client 127.0.0.1 7800 1000000 2 >"$T/xfer.out" 2>&1
check "still relays after dropping privileges" grep -q "^ok" "$T/xfer.out"
stop p

# Started as a non-root user with no capabilities at all (as in the
# container): ports above 1024, per-socket SCTP-AUTH, everything works.
conf ""
chmod 755 "$T"
chmod 644 "$T"/*.pem
chown 65534 "$T"/*.key
start np setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$BIN" -f "$T/p.conf"
wait_log np "started 2 service"
check "starts as nobody without capabilities" [ $? -eq 0 ]
check "runs as nobody" \
	sh -c "grep -E '^Uid:' /proc/$(pid_of np)/status | grep -qE '^Uid:[[:space:]]+65534[[:space:]]+65534'"
check "no capabilities" \
	sh -c "grep -E '^CapEff:' /proc/$(pid_of np)/status | grep -q '0000000000000000'"
"$NP" tcp-client 127.0.0.1 7800 1000000 2 >"$T/xfer2.out" 2>&1
check "relays as nobody" grep -q "^ok" "$T/xfer2.out"
stop np
chown 0 "$T"/*.key

conf "setuid = no-such-user-here"
"$BIN" -t -f "$T/p.conf" >/dev/null 2>"$T/nouser.err"
check "unknown user: a configuration error with its line" grep -q "p.conf:1: .*no such user" "$T/nouser.err"

chmod 644 "$T/server.key"
conf ""
start p2 "$BIN" -f "$T/p.conf"
sleep 1
check "warns about a private key others can read" \
	grep -q "in: private key $T/server.key is readable by others (mode 644)" "$T/p2.err"
stop p2
finish
