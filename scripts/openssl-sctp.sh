#!/bin/sh
# openssl-sctp.sh: build OpenSSL's `openssl` program with enable-sctp from
# Debian's openssl source package, once, into a cache outside the repository.
# Prints the path of the binary. Used as the reference peer for interop tests.
# Next to the binary it keeps the static libraries (libssl.a, libcrypto.a)
# and headers (include/) of the same build, so that test helpers and the
# bench baselines can be linked against OpenSSL's own DTLS/SCTP.
#
#   CACHE   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/sctp-dtls)
set -eu

CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sctp-dtls}
OUT=$CACHE/openssl-sctp
BIN=$OUT/openssl

if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1 &&
	[ -f "$OUT/lib/libssl.a" ] && [ -f "$OUT/lib/libcrypto.a" ] &&
	[ -f "$OUT/include/openssl/ssl.h" ]; then
	echo "$BIN"
	exit 0
fi

mkdir -p "$CACHE/apt/lists/partial" "$CACHE/src"
SL=$CACHE/apt/sources.list

# deb-src lines for the archives apt already uses (deb822 and one-line).
{
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (types ~ /deb/ && uris != "" && suites != "") {
				n = split(uris, u, " "); m = split(suites, s, " ")
				for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
					printf "deb-src%s %s %s %s\n", opt, u[i], s[j], comps
			}
			types = uris = suites = comps = opt = ""
		}
		/^[ \t]*$/ { flush(); next }
		/^#/ { next }
		/^Types:/ { types = $0 }
		/^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
		/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
		/^Components:/ { sub(/^Components:[ \t]*/, ""); comps = $0 }
		/^Signed-By:/ { sub(/^Signed-By:[ \t]*/, ""); opt = " [signed-by=" $0 "]" }
		END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[ \t]*deb[ \t]/deb-src /p' "$f"
	done
} | sort -u >"$SL"

APT="-o Dir::Etc::SourceList=$SL -o Dir::Etc::SourceParts=- -o Dir::State::Lists=$CACHE/apt/lists -o APT::Get::List-Cleanup=0"
# shellcheck disable=SC2086
apt-get $APT update >&2

# Newest 3.x version first; some versions' .dsc may be missing, the
# .orig.tar.gz alone is enough.
# shellcheck disable=SC2086
versions=$(apt-cache $APT showsrc openssl | sed -n 's/^Version: //p' |
	grep '^3\.' | sort -rV | uniq)
[ -n "$versions" ] || { echo "openssl-sctp: no openssl 3 source package found" >&2; exit 1; }

tarball=
for v in $versions; do
	# shellcheck disable=SC2086
	uri=$(cd "$CACHE/src" && apt-get $APT source --print-uris "openssl=$v" 2>/dev/null |
		sed -n "s/^'\([^']*\.orig\.tar\.gz\)'.*/\1/p" | head -n 1)
	[ -n "$uri" ] || continue
	name=$(basename "$uri")
	if [ -s "$CACHE/src/$name" ] ||
		/usr/lib/apt/apt-helper download-file "$uri" "$CACHE/src/$name" >&2; then
		tarball=$CACHE/src/$name
		break
	fi
done
[ -n "$tarball" ] || { echo "openssl-sctp: could not download an openssl source tarball" >&2; exit 1; }

build=$CACHE/build
rm -rf "$build"
mkdir -p "$build"
tar -xzf "$tarball" -C "$build" --strip-components=1
(
	cd "$build"
	./Configure enable-sctp no-shared no-tests >&2
	make -j"$(nproc)" build_programs >&2
)
rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp/lib" "$OUT.tmp/include"
cp "$build/apps/openssl" "$OUT.tmp/openssl"
cp "$build/libssl.a" "$build/libcrypto.a" "$OUT.tmp/lib/"
cp -R "$build/include/openssl" "$OUT.tmp/include/"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
rm -rf "$build"
echo "$BIN"
