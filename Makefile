# sctp-dtls: RFC 6083 DTLS over SCTP tunnel.
#   make            build ./sctp-dtls
#   make check      unit and integration tests (integration inside UML)
#   make demo       echo server + client over DTLS/SCTP on loopback
#   make interop    tests against OpenSSL's own enable-sctp s_server/s_client
#   make install    PREFIX=/usr/local DESTDIR= UNITDIR=  (make uninstall: the same)
#   make deps       install the Debian packages all of the above need

VERSION  := 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
# The GNU convention: /etc for PREFIX=/usr, else PREFIX/etc.
SYSCONFDIR ?= $(if $(filter /usr /usr/,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR  ?= $(PREFIX)/lib/systemd/system

CC       ?= cc
PKG_CONFIG ?= pkg-config
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS   ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) -DVERSION='"$(VERSION)"'
PKGS     := openssl inih libsctp libcares libmicrohttpd libsystemd
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# Debian's libev ships no pkg-config file.
LIBEV    = $(shell $(PKG_CONFIG) --libs libev 2>/dev/null || echo -lev)
LDLIBS  += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(LIBEV)

BUILD    ?= build
PROG     ?= sctp-dtls
SRCS     := $(wildcard src/*.c)
OBJS     := $(SRCS:src/%.c=$(BUILD)/%.o)
LIBOBJS  := $(filter-out $(BUILD)/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/%)
HELPERS  := $(BUILD)/sctpraw $(BUILD)/netpeer $(BUILD)/dtlspeer \
	$(BUILD)/sctppeer $(BUILD)/sctpbench
# OpenSSL's own enable-sctp build (static libraries and headers), made by
# scripts/openssl-sctp.sh; tests/helpers/osslpeer.c is linked against it.
OSSL_SCTP_DIR ?= $(or $(CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/sctp-dtls)/openssl-sctp

# Debian packages the build, the tests and the demo need.
DEPS_PKGS := build-essential pkg-config libssl-dev libev-dev libinih-dev \
	libsctp-dev libc-ares-dev lksctp-tools libcmocka-dev user-mode-linux iproute2 \
	openssl ca-certificates perl python3-yaml man-db groff-base valgrind \
	clang libclang-rt-14-dev socat stunnel4 strace freediameterd \
	freediameter-extensions dnsmasq-base libmicrohttpd-dev libsystemd-dev \
	prometheus curl systemd python3

.PHONY: all deps check check-unit check-integration demo interop install \
	uninstall clean format lint bench bench-profile

all: $(PROG)

$(PROG): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD):
	mkdir -p $@

-include $(OBJS:.o=.d)

$(BUILD)/test_%: tests/unit/test_%.c $(LIBOBJS) | $(BUILD)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIBOBJS) $(LDLIBS) \
		$(shell $(PKG_CONFIG) --libs cmocka)

$(BUILD)/sctpraw: tests/helpers/sctpraw.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --libs libsctp)

# Plaintext SCTP peers for the gateway tests and benchmarks.
$(BUILD)/sctppeer $(BUILD)/sctpbench: $(BUILD)/%: tests/helpers/%.c \
		tests/helpers/sctputil.c tests/helpers/sctputil.h | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $< tests/helpers/sctputil.c \
		$(shell $(PKG_CONFIG) --libs libsctp)

deps:
	@missing=$$(for p in $(DEPS_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$(echo ' '$$missing)"; \
		if [ "$$(id -u)" != 0 ]; then SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi

# The suite three times: as built; under UBSan (end-to-end, inside UML)
# and ASan+UBSan+LeakSanitizer (unit tests, natively); under valgrind's
# memcheck (the echo and refusal tests). See tests/check-all.
check: deps
	$(MAKE) all $(UNIT_BINS) $(HELPERS) osslpeer
	$(MAKE) BUILD=$(BUILD)/ubsan PROG=$(BUILD)/ubsan/sctp-dtls \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=undefined" $(BUILD)/ubsan/sctp-dtls
	$(MAKE) BUILD=$(BUILD)/asan PROG=$(BUILD)/asan/sctp-dtls \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" \
		$(UNIT_SRCS:tests/unit/%.c=$(BUILD)/asan/%)
	@BUILD=$(BUILD) tests/check-all $(UNIT_BINS)

check-unit: all $(UNIT_BINS)
	@tests/run-all --unit-only $(UNIT_BINS)

demo: deps
	$(MAKE) all
	@tests/demo

interop: deps
	$(MAKE) all $(HELPERS)
	@OPENSSL_SCTP=$$(scripts/openssl-sctp.sh) && $(MAKE) osslpeer && \
		OPENSSL_SCTP=$$OPENSSL_SCTP tests/run-all --only 'interop'

# Throughput, latency, handshakes/s, memory and CPU per GiB, messages per
# second against OpenSSL's own DTLS/SCTP, each as a ratio against a
# baseline run in the same invocation (bench/run). OpenSSL's enable-sctp
# build is made once (scripts/openssl-sctp.sh, cached) for osslpeer; without
# it the OpenSSL rows say n/a.
bench: deps
	$(MAKE) all $(HELPERS)
	@scripts/openssl-sctp.sh >/dev/null && $(MAKE) --no-print-directory osslpeer || \
		echo "bench: no OpenSSL enable-sctp build, no comparison with it"
	@bench/run

# Where the time goes: callgrind and strace of both tunnels during a short
# bulk transfer, in $(BUILD)/bench-profile/.
bench-profile: deps
	$(MAKE) all $(HELPERS) osslpeer
	@bench/profile

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/sctp-dtls
	install -m 755 sctp-dtls $(DESTDIR)$(BINDIR)/sctp-dtls
	install -m 644 man/sctp-dtls.8 $(DESTDIR)$(MANDIR)/man8/sctp-dtls.8
	install -m 644 man/sctp-dtls.conf.5 $(DESTDIR)$(MANDIR)/man5/sctp-dtls.conf.5
	install -m 644 etc/sctp-dtls.conf $(DESTDIR)$(SYSCONFDIR)/sctp-dtls/sctp-dtls.conf.example
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@BINDIR@|$(BINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		etc/sctp-dtls.service.in >$(DESTDIR)$(UNITDIR)/sctp-dtls.service
	chmod 644 $(DESTDIR)$(UNITDIR)/sctp-dtls.service

# What install put there; the configuration directory goes if empty (a
# sctp-dtls.conf of the administrator's stays).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sctp-dtls \
		$(DESTDIR)$(MANDIR)/man8/sctp-dtls.8 \
		$(DESTDIR)$(MANDIR)/man5/sctp-dtls.conf.5 \
		$(DESTDIR)$(SYSCONFDIR)/sctp-dtls/sctp-dtls.conf.example \
		$(DESTDIR)$(UNITDIR)/sctp-dtls.service
	rmdir $(DESTDIR)$(SYSCONFDIR)/sctp-dtls 2>/dev/null || true

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/helpers/*.c

clean:
	rm -rf $(BUILD) sctp-dtls tests/uml/umlhelper

$(BUILD)/netpeer: tests/helpers/netpeer.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $<

# A peer on the project's own engine (per-record streams and flags).
$(BUILD)/dtlspeer: tests/helpers/dtlspeer.c $(LIBOBJS) | $(BUILD)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIBOBJS) $(LDLIBS)

# DTLS/SCTP peers on OpenSSL's own SCTP BIO, to compare with it. Built only
# once scripts/openssl-sctp.sh has made the static OpenSSL.
.PHONY: osslpeer
osslpeer:
	@if [ -f "$(OSSL_SCTP_DIR)/lib/libssl.a" ]; then \
		$(MAKE) --no-print-directory $(BUILD)/osslpeer; \
	else \
		echo "osslpeer: skipped, no $(OSSL_SCTP_DIR)/lib/libssl.a (scripts/openssl-sctp.sh builds it)"; \
	fi

$(BUILD)/osslpeer: tests/helpers/osslpeer.c $(OSSL_SCTP_DIR)/lib/libssl.a \
		$(OSSL_SCTP_DIR)/lib/libcrypto.a | $(BUILD)
	$(CC) $(CFLAGS) -I$(OSSL_SCTP_DIR)/include $(LDFLAGS) -o $@ $< \
		$(OSSL_SCTP_DIR)/lib/libssl.a $(OSSL_SCTP_DIR)/lib/libcrypto.a \
		-lsctp -lpthread -ldl

# Container image and cluster deployment (as the seed had).
IMAGE     ?= quay.io/example/sctp-dtls:latest
CONTAINER ?= $(shell command -v podman >/dev/null 2>&1 && echo podman || echo docker)
KUBECTL   ?= $(shell command -v oc >/dev/null 2>&1 && echo oc || echo kubectl)
NAMESPACE := sctp-dtls
TLS_SECRET := sctp-dtls-tls

.PHONY: build-container-image push-container-image deploy deploy-render undeploy

build-container-image:
	$(CONTAINER) build -t $(IMAGE) -f Containerfile .

push-container-image:
	$(CONTAINER) push $(IMAGE)

# deploy/ names the image "sctp-dtls"; a generated overlay in $(BUILD)
# points it at $(IMAGE).
deploy-render:
	@mkdir -p $(BUILD)/deploy
	@printf '%s\n' 'apiVersion: kustomize.config.k8s.io/v1beta1' \
		'kind: Kustomization' 'resources:' \
		"- $$(realpath --relative-to=$(BUILD)/deploy deploy)" \
		'images:' '- name: sctp-dtls' '  newName: $(IMAGE)' \
		>$(BUILD)/deploy/kustomization.yaml

# The TLS Secret gets a throw-away self-signed certificate when it has no
# tls.crt yet (deploy/secret.yaml carries no keys, so apply leaves them).
deploy: deploy-render
	$(KUBECTL) apply -f deploy/namespace.yaml
	@if [ -z "$$($(KUBECTL) -n $(NAMESPACE) get secret $(TLS_SECRET) \
			-o jsonpath='{.data.tls\.crt}' 2>/dev/null)" ]; then \
		echo "deploy: creating secret $(TLS_SECRET) with a self-signed certificate"; \
		d=$$(mktemp -d) && \
		openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
			-subj /CN=sctp-dtls-server -keyout $$d/tls.key \
			-out $$d/tls.crt 2>/dev/null && \
		$(KUBECTL) -n $(NAMESPACE) create secret generic $(TLS_SECRET) \
			--from-file=tls.crt=$$d/tls.crt \
			--from-file=tls.key=$$d/tls.key \
			--from-file=ca.crt=$$d/tls.crt \
			--dry-run=client -o yaml >$$d/secret.yaml && \
		{ $(KUBECTL) replace -f $$d/secret.yaml 2>/dev/null || \
		  $(KUBECTL) create -f $$d/secret.yaml; }; \
		rc=$$?; rm -rf $$d; exit $$rc; \
	fi
	$(KUBECTL) apply -k $(BUILD)/deploy

undeploy:
	$(KUBECTL) delete -k deploy/ --ignore-not-found

# libFuzzer targets, built with clang into $(BUILD)/fuzz/ and run on a copy
# of the seed corpora: make fuzz [FUZZ_SECONDS=60] [FUZZ_FLAGS=...]. Fails
# if a target crashes, leaks, hangs or breaks one of its checks; the input
# is left in $(BUILD)/fuzz/crash/TARGET/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := address,undefined
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all \
	-std=c11 -D_GNU_SOURCE $(WARN) -DVERSION='"$(VERSION)"' $(PKG_CFLAGS)
FUZZ_OBJS    := $(LIBOBJS:$(BUILD)/%.o=$(FUZZ_DIR)/obj/%.o)
FUZZ_TARGETS := config record
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_RUNS    := $(FUZZ_TARGETS:%=fuzz-%)
# Per target: the key words of the INI syntax; messages up to REC_MAX + 1.
FUZZ_FLAGS_config := -dict=tests/fuzz/config.dict
FUZZ_FLAGS_record := -max_len=18446

.PHONY: fuzz fuzz-build $(FUZZ_RUNS)

fuzz: deps $(FUZZ_RUNS)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/obj/%.o: src/%.c | $(FUZZ_DIR)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
		-MMD -MP -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -Isrc \
		-o $@ $< $(FUZZ_OBJS) $(LDLIBS)

$(FUZZ_DIR)/obj:
	mkdir -p $@

.SECONDARY: $(FUZZ_OBJS)

-include $(FUZZ_OBJS:.o=.d)

# The corpus copy grows from run to run (make clean starts afresh).
$(FUZZ_RUNS): fuzz-%: $(FUZZ_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/crash/$*
	@cp tests/fuzz/corpus/$*/* $(FUZZ_DIR)/corpus/$*/
	@rm -f $(FUZZ_DIR)/crash/$*/*
	@echo "fuzz: $* for $(FUZZ_SECONDS)s, log in $(FUZZ_DIR)/$*.log"
	@$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash/$*/ \
		$(FUZZ_FLAGS_$*) $(FUZZ_FLAGS) $(FUZZ_DIR)/corpus/$* \
		>$(FUZZ_DIR)/$*.log 2>&1; rc=$$?; \
	grep -E '^#[0-9]+[[:space:]]' $(FUZZ_DIR)/$*.log | tail -n 1; \
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' \
		$(FUZZ_DIR)/$*.log; \
	if [ $$rc -ne 0 ] || [ -n "$$(ls $(FUZZ_DIR)/crash/$*)" ]; then \
		tail -n 40 $(FUZZ_DIR)/$*.log; \
		echo "fuzz: $* FAILED (exit $$rc): $$(ls $(FUZZ_DIR)/crash/$*)"; \
		exit 1; \
	fi; \
	echo "fuzz: $* passed"
