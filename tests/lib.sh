# tests/lib.sh: sourced by the end-to-end tests (tests/NN-*.sh), which run
# inside a kernel with SCTP (tests/uml/run). Gives each test its own temp
# dir, cleans up on exit, dumps logs on failure and counts checks. KEEP=1
# dumps the logs and keeps the temp dir.
#
#   check NAME CMD...     run CMD; print "ok NAME" or "FAIL NAME"
#   fail NAME [WHY]       record a failed check
#   pass NAME             record a passed check
#   certs                 make $T/ca.pem, server/client certs and keys,
#                         a self-signed seed.pem/seed.key, a rogue CA
#   start_echo_server NAME PORT ARGS...   sctp-dtls echo server in the
#                         background; logs in $T/NAME.out / $T/NAME.err
#   wait_listen NAME      wait until server NAME listens
#   stop NAME             SIGTERM the background process NAME and wait
#   wait_log NAME PATTERN wait until NAME's stderr has PATTERN
#   finish                print the verdict, exit 0 or 1

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${SCTP_DTLS:-$TOP/sctp-dtls}
HELPERS=${HELPERS:-$TOP/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/sctp-dtls-test.XXXXXX")
TEST_NAME=${RUN_LABEL:+[$RUN_LABEL] }$(basename "$0")
FAILED=0
PASSED=0
PIDS=""

dump_logs() {
	for f in "$T"/*.out "$T"/*.err "$T"/*.log; do
		[ -s "$f" ] || continue
		echo "----- $f (last 40 lines)"
		tail -n 40 "$f"
	done
}

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	if [ "$FAILED" -gt 0 ] || [ "${KEEP:-0}" = 1 ]; then
		dump_logs
	fi
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { PASSED=$((PASSED + 1)); echo "ok $TEST_NAME: $1"; }
fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL $TEST_NAME: $1${2:+ ($2)}"
}
check() {
	name=$1
	shift
	if "$@" >>"$T/check.log" 2>&1; then pass "$name"; else fail "$name"; fi
}
finish() {
	# UBSan and valgrind reports fail the test that provoked them.
	if grep -l "runtime error:" "$T"/*.err "$T"/*.old.log >/dev/null 2>&1; then
		fail "no UndefinedBehaviorSanitizer report" \
			"$(grep -h -m 3 "runtime error:" "$T"/*.err "$T"/*.old.log 2>/dev/null)"
	fi
	for v in "$T"/vg.*.log; do
		[ -f "$v" ] || continue
		if grep -qE "ERROR SUMMARY: [1-9]|definitely lost: [1-9]" "$v"; then
			fail "valgrind clean ($(basename "$v"))"
			cat "$v"
		fi
	done
	[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
	exit $?
}

# With VALGRIND=1 the daemons started with start() run under memcheck.
if [ "${VALGRIND:-0}" = 1 ]; then
	cat >"$T/sctp-dtls.vg" <<VG
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
	--show-leak-kinds=definite --errors-for-leak-kinds=definite \\
	--log-file="$T/vg.%p.log" "$BIN" "\$@"
VG
	chmod +x "$T/sctp-dtls.vg"
fi
# daemon: how start() runs the binary.
daemon_bin() {
	if [ "${VALGRIND:-0}" = 1 ]; then echo "$T/sctp-dtls.vg"; else echo "$BIN"; fi
}

# o ARGS...: openssl ARGS in the current directory; on failure print its
# output and exit (the subshell that makes certificates).
o() {
	openssl "$@" >openssl.log 2>&1 && return 0
	echo "openssl $* failed:" >&2
	cat openssl.log >&2
	exit 1
}

# Certificates: EC P-256 for speed; the seed-like one is RSA as the seed's.
certs() {
	(
		cd "$T" || exit 1
		mkca() { # name subject
			o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
				-keyout "$1.key" -out "$1.pem" -days 30 -subj "$2" \
				-addext basicConstraints=critical,CA:TRUE \
				-addext keyUsage=critical,keyCertSign,cRLSign
		}
		mkleaf() { # name subject ca
			o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
				-keyout "$1.key" -out "$1.csr" -subj "$2"
			printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' >"$1.ext"
			o x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" \
				-CAcreateserial -out "$1.pem" -days 30 -extfile "$1.ext"
		}
		mkca ca "/CN=sctp-dtls test CA"
		mkca rogue "/CN=rogue CA"
		mkleaf server "/CN=server.test" ca
		mkleaf client "/CN=client.test" ca
		mkleaf mallory "/CN=mallory.test" rogue
		o req -x509 -newkey rsa:2048 -nodes -keyout seed.key -out seed.pem \
			-days 30 -subj "/C=XX/L=Default City/O=Default Company Ltd"
	) || { fail "making test certificates"; exit 1; }
}

# start NAME CMD...: run CMD in the background, output to $T/NAME.{out,err}.
start() {
	name=$1
	shift
	# Keep an earlier run's logs; the new ones start empty, now.
	[ -s "$T/$name.err" ] && cat "$T/$name.err" >>"$T/$name.old.log"
	: >"$T/$name.out"
	: >"$T/$name.err"
	cmd=$1
	shift
	[ "$cmd" = "$BIN" ] && cmd=$(daemon_bin)
	"$cmd" "$@" >>"$T/$name.out" 2>>"$T/$name.err" &
	eval "PID_$name=$!"
	PIDS="$PIDS $!"
}

start_echo_server() {
	name=$1
	port=$2
	shift 2
	start "$name" "$BIN" -p "$port" "$@"
	wait_listen "$name"
}

wait_listen() {
	i=0
	while ! grep -q "^Listening on" "$T/$1.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			fail "$1 listens" "no 'Listening on' after 30s"
			return 1
		fi
		sleep 0.1
	done
}

pid_of() { eval "echo \${PID_$1:-}"; }

# wait_for FILE ERE: wait up to 30s until a line of FILE matches ERE.
wait_for() {
	i=0
	while ! grep -qE -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
}

# wait_log NAME PATTERN: wait up to 30s until $T/NAME.err has PATTERN.
wait_log() {
	i=0
	while ! grep -q "$2" "$T/$1.err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
}

stop() {
	p=$(pid_of "$1")
	[ -n "$p" ] || return 0
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rc=$?
	eval "PID_$1="
	return $rc
}

# load_module NAME PATH: load kernel module NAME (PATH below kernel/ in
# the module tree): inside the UML kernel with umlhelper, else modprobe.
load_module() {
	if [ -d "/usr/lib/uml/modules/$(uname -r)" ] &&
		[ -x "$TOP/tests/uml/umlhelper" ]; then
		grep -q "^$1 " /proc/modules 2>/dev/null ||
			"$TOP/tests/uml/umlhelper" insmod \
				"/usr/lib/uml/modules/$(uname -r)/kernel/$2"
	else
		modprobe "$1"
	fi
	grep -q "^$1 " /proc/modules 2>/dev/null ||
		{ fail "kernel module $1 loaded"; finish; }
}

# Wait up to $2 seconds for background process NAME to exit; its status.
wait_exit() {
	p=$(pid_of "$1")
	i=0
	while kill -0 "$p" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($2 * 10)) ] && return 124
		sleep 0.1
	done
	wait "$p"
}
