#!/bin/sh
# What ships beside the binary: the Kubernetes manifests parse and the
# ConfigMap's INI file passes --test-config; the example configuration is
# valid; the man pages render without warnings; make install installs it
# all; --test-config reports errors as FILE:LINE.
. "$(dirname "$0")/lib.sh"
certs

for f in "$TOP"/deploy/*.yaml; do
	check "manifest $(basename "$f") parses" python3 -c '
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]
assert docs and all("kind" in d and "apiVersion" in d for d in docs), docs
' "$f"
done
check "kustomization lists every manifest" python3 -c '
import os, sys, yaml
k = yaml.safe_load(open(sys.argv[1] + "/kustomization.yaml"))
have = {f for f in os.listdir(sys.argv[1]) if f.endswith(".yaml") and f != "kustomization.yaml"}
assert set(k["resources"]) == have, (k["resources"], have)
' "$TOP/deploy"
check "no unsafe sysctl, no privilege in the manifests" sh -c "! grep -h -v '^ *#' '$TOP'/deploy/*.yaml | grep -n -E 'sysctls|privileged: *true|allowPrivilegeEscalation: *true'"
check "the Service speaks SCTP" grep -q "protocol: SCTP" "$TOP/deploy/service.yaml"
check "the server probes /healthz and /livez on the status port, key 0440" python3 -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1] + "/server.yaml"))
pod = d["spec"]["template"]["spec"]
c = pod["containers"][0]
port = [p for p in c["ports"] if p["name"] == "status"][0]["containerPort"]
assert c["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "status"}, c
assert c["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "status"}, c
conf = yaml.safe_load(open(sys.argv[1] + "/configmap.yaml"))["data"]["sctp-dtls.conf"]
assert "status = 0.0.0.0:%d" % port in conf, conf
items = [i for v in pod["volumes"] for s in v["projected"]["sources"] if "secret" in s for i in s["secret"]["items"]]
assert [i.get("mode") for i in items if i["key"] == "tls.key"] == [0o440], items
assert pod["securityContext"]["fsGroup"], pod
' "$TOP/deploy"
# The private key: group-readable for the pod's fsGroup, not world-readable
# (the daemon warns about that at every start).
check "manifests mount the key with mode 0440 and set fsGroup" python3 -c '
import sys, yaml
for f in sys.argv[1:]:
    d = yaml.safe_load(open(f))
    spec = d["spec"]["template"]["spec"]
    assert spec["securityContext"].get("fsGroup"), (f, "no fsGroup")
    keys = []
    def walk(o):
        if isinstance(o, dict):
            if str(o.get("path", "")).endswith("tls.key"):
                keys.append(o.get("mode"))
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(spec["volumes"])
    assert keys == [0o440], (f, keys)
' "$TOP/deploy/server.yaml" "$TOP/deploy/client.yaml"

# The ConfigMap's sctp-dtls.conf, with the Secret's files made here.
python3 -c '
import sys, yaml
cm = yaml.safe_load(open(sys.argv[1]))
sys.stdout.write(cm["data"]["sctp-dtls.conf"])
' "$TOP/deploy/configmap.yaml" | sed "s|/etc/sctp-dtls/tls/tls.crt|$T/server.pem|; s|/etc/sctp-dtls/tls/tls.key|$T/server.key|; s|/etc/sctp-dtls/tls/ca.crt|$T/ca.pem|" >"$T/cm.conf"
check "the ConfigMap's INI file passes --test-config" sh -c "'$BIN' -t -f '$T/cm.conf' | grep -qx 'configuration OK'"
check "the ConfigMap's INI file is the image's default" python3 -c '
import sys, yaml
cm = yaml.safe_load(open(sys.argv[1]))
assert cm["data"]["sctp-dtls.conf"] == open(sys.argv[2]).read()
' "$TOP/deploy/configmap.yaml" "$TOP/etc/sctp-dtls.container.conf"

# The image's default command: it runs once tls/ is mounted, as a user
# that owns nothing, writing nothing; without the mount it names what is
# missing where a comment says what to mount.
check "the image runs -f /etc/sctp-dtls/sctp-dtls.conf, its default file" sh -c "
	grep -qx 'CMD \[\"-f\", \"/etc/sctp-dtls/sctp-dtls.conf\"\]' '$TOP/Containerfile' &&
	grep -qx 'COPY etc/sctp-dtls.container.conf /etc/sctp-dtls/sctp-dtls.conf' '$TOP/Containerfile'"
"$BIN" -t -f "$TOP/etc/sctp-dtls.container.conf" >"$T/img.out" 2>"$T/img.err"
check "image default without tls/: a configuration error" [ $? -eq 2 ]
line=$(sed -n 's/.*sctp-dtls.container.conf:\([0-9]*\): cannot read cert file .\/etc\/sctp-dtls\/tls\/tls.crt.*/\1/p' "$T/img.err")
check "... naming the file to mount and its line" [ -n "$line" ]
check "... where a comment says what to mount" sh -c "sed -n '${line:-0}p' '$TOP/etc/sctp-dtls.container.conf' | grep -q 'mount the tls/ directory'"
mkdir -p "$T/img/tls"
cp "$T/server.pem" "$T/img/tls/tls.crt"
cp "$T/server.key" "$T/img/tls/tls.key"
cp "$T/ca.pem" "$T/img/tls/ca.crt"
chmod 755 "$T" "$T/img" "$T/img/tls"
chmod 644 "$T/img/tls/tls.crt" "$T/img/tls/ca.crt"
chown 0:1001 "$T/img/tls/tls.key"
chmod 440 "$T/img/tls/tls.key"
sed "s|/etc/sctp-dtls/tls/|$T/img/tls/|" "$TOP/etc/sctp-dtls.container.conf" >"$T/img/sctp-dtls.conf"
start img setpriv --reuid=1001 --regid=1001 --groups=1001 --inh-caps=-all \
	--bounding-set=-all "$BIN" -f "$T/img/sctp-dtls.conf"
wait_log img "started 1 service"
check "image default with tls/ mounted (key 0440, fsGroup): starts as 1001" [ $? -eq 0 ]
check "... without the warning about the key" sh -c "! grep -q 'readable by others' '$T/img.err'"
stop img
sed "s|/etc/sctp-dtls/[a-z]*\.pem|$T/server.pem|; s|/etc/sctp-dtls/[a-z]*\.key|$T/server.key|" "$TOP/etc/sctp-dtls.conf" |
	sed "s|^ca *=.*|ca = $T/ca.pem|; s|^cert *=.*|cert = $T/server.pem|; s|^key *=.*|key = $T/server.key|" >"$T/example.conf"
check "etc/sctp-dtls.conf passes --test-config" sh -c "'$BIN' -t -f '$T/example.conf' | grep -qx 'configuration OK'"

# --test-config on a broken file: every error, FILE:LINE, exit status 2.
cat >"$T/bad.conf" <<CONF
log_level = chatty

[a]
accept = tcp://127.0.0.1:1
connect = dtls+sctp://127.0.0.1:2
ca = $T/nonexistent.pem
colour = blue

[b]
accept = tcp://127.0.0.1:3
connect = udp://127.0.0.1:4
CONF
"$BIN" -t -f "$T/bad.conf" >"$T/bad.out" 2>"$T/bad.err"
check "--test-config: exit status 2 on errors" [ $? -eq 2 ]
check "--test-config: bad value, with its line" grep -q "^$T/bad.conf:1: " "$T/bad.err"
check "--test-config: missing file, with its line" grep -q "^$T/bad.conf:6: .*nonexistent.pem" "$T/bad.err"
check "--test-config: unknown key, with its line" grep -q "^$T/bad.conf:7: .*colour" "$T/bad.err"
check "--test-config: impossible combination, with its line" grep -q "^$T/bad.conf:11: " "$T/bad.err"
check "--test-config: nothing on stdout" [ ! -s "$T/bad.out" ]

# Man pages.
for m in "$TOP/man/sctp-dtls.8" "$TOP/man/sctp-dtls.conf.5"; do
	check "$(basename "$m") renders without warnings" sh -c "
		out=\$(LC_ALL=C MANWIDTH=80 man --warnings -l -E UTF-8 '$m' 2>&1 >/dev/null)
		[ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
done

# make install with DESTDIR.
make -s -C "$TOP" install DESTDIR="$T/root" PREFIX=/usr >"$T/install.log" 2>&1
check "make install" [ $? -eq 0 ]
for f in usr/bin/sctp-dtls usr/share/man/man8/sctp-dtls.8 \
	usr/share/man/man5/sctp-dtls.conf.5; do
	check "installed $f" [ -f "$T/root/$f" ]
done
check "installed the example configuration under /etc (PREFIX=/usr)" [ -f "$T/root/etc/sctp-dtls/sctp-dtls.conf.example" ]
check "nothing under /usr/etc" [ ! -e "$T/root/usr/etc" ]
check "installed the systemd unit" [ -f "$T/root/usr/lib/systemd/system/sctp-dtls.service" ]
make -s -C "$TOP" install DESTDIR="$T/local" PREFIX=/usr/local >>"$T/install.log" 2>&1
check "PREFIX=/usr/local: the example under /usr/local/etc" [ -f "$T/local/usr/local/etc/sctp-dtls/sctp-dtls.conf.example" ]
make -s -C "$TOP" uninstall DESTDIR="$T/root" PREFIX=/usr >>"$T/install.log" 2>&1
check "make uninstall" [ $? -eq 0 ]
check "make uninstall removes every file it installed" sh -c "[ -z \"\$(find '$T/root' -type f)\" ]"
check "... and the empty configuration directory" [ ! -e "$T/root/etc/sctp-dtls" ]
# The unit where it can be checked as it is: installed under $T itself.
make -s -C "$TOP" install PREFIX="$T/u/usr" >>"$T/install.log" 2>&1
check "systemd-analyze verify accepts the unit" sh -c \
	"MANPATH='$T/u/usr/share/man' SYSTEMD_LOG_LEVEL=warning systemd-analyze verify '$T/u/usr/lib/systemd/system/sctp-dtls.service'"
check "the unit: Type=notify, KillMode=mixed, hardened" sh -c "
	u='$T/u/usr/lib/systemd/system/sctp-dtls.service'
	grep -qx 'Type=notify' \$u && grep -qx 'KillMode=mixed' \$u &&
	grep -qx 'NoNewPrivileges=yes' \$u && grep -q '^RestrictAddressFamilies=.*AF_UNIX' \$u"
finish
