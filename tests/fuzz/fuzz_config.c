/*
 * fuzz_config.c: libFuzzer target for the configuration file: the input is
 * an INI file for config_load(), and each of its lines an endpoint for
 * endpoint_parse(). Checked: a file is refused if and only if a message
 * says why, every message names the file, and what is accepted or parsed is
 * whole.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #c);                                     \
			abort();                                               \
		}                                                              \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file config_load() reads: a memfd, rewritten for each input. */
static int fd = -1;
static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	CHECK((fd = memfd_create("fuzz.conf", MFD_CLOEXEC)) >= 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

/* A string field of ${n} bytes ends within them. */
static int
terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

/* What endpoint_parse() made of ${s}. */
static void
check_endpoint(const char *s)
{
	struct endpoint ep;
	const char *why = NULL;
	unsigned long port;
	char *end;

	memset(&ep, 0xa5, sizeof(ep));
	if (endpoint_parse(s, &ep, &why) != 0) {
		CHECK(why != NULL);
		CHECK(ep.kind == EP_NONE && ep.host[0] == '\0' &&
		    ep.port[0] == '\0');
		return;
	}
	CHECK(terminated(ep.host, sizeof(ep.host)));
	CHECK(terminated(ep.port, sizeof(ep.port)));
	if (ep.kind == EP_ECHO) {
		CHECK(strcmp(s, "echo") == 0);
		CHECK(ep.host[0] == '\0' && ep.port[0] == '\0');
		return;
	}
	CHECK(ep.kind == EP_TCP || ep.kind == EP_UDP || ep.kind == EP_SCTP ||
	    ep.kind == EP_DTLS_SCTP);
	CHECK(strchr(ep.host, '[') == NULL && strchr(ep.host, ']') == NULL);
	CHECK(ep.port[0] >= '0' && ep.port[0] <= '9');
	port = strtoul(ep.port, &end, 10);
	CHECK(*end == '\0' && port >= 1 && port <= 65535);
}

/* A file config_load() accepted is whole. */
static void
check_config(const struct config *c)
{
	const struct svc_conf *s;
	int n = 0;

	CHECK(c->file != NULL && strcmp(c->file, path) == 0);
	CHECK(c->log != NULL);
	CHECK(c->nsvcs > 0);
	for (s = c->svcs; s != NULL; s = s->next) {
		n++;
		CHECK(s->name[0] != '\0');
		CHECK(terminated(s->name, sizeof(s->name)));
		CHECK(s->accept.kind != EP_NONE && s->accept.kind != EP_ECHO);
		CHECK(s->connect.kind != EP_NONE);
		/* One side is DTLS/SCTP, never both; echo answers it. */
		CHECK((s->accept.kind == EP_DTLS_SCTP) !=
		    (s->connect.kind == EP_DTLS_SCTP));
		CHECK(s->connect.kind != EP_ECHO ||
		    s->accept.kind == EP_DTLS_SCTP);
		CHECK(s->connect.kind == EP_ECHO || s->connect.host[0] != '\0');
		CHECK((s->cert == NULL) == (s->key == NULL));
		CHECK(s->connect_timeout > 0 && s->handshake_timeout > 0 &&
		    s->idle_timeout >= 0 && s->close_timeout > 0);
		CHECK(s->max_conns >= 0);
	}
	CHECK(n == c->nsvcs);
}

/* The input as a file. */
static void
fuzz_load(const uint8_t *data, size_t size)
{
	struct config *c;
	char *out = NULL, *line, *nl;
	size_t outlen = 0;
	FILE *err;

	CHECK(ftruncate(fd, 0) == 0);
	CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
	CHECK((err = open_memstream(&out, &outlen)) != NULL);
	c = config_load(path, err);
	CHECK(fclose(err) == 0);
	/* Refused if and only if told why, one "FILE: ..." line each. */
	CHECK((c == NULL) == (outlen > 0));
	for (line = out; *line != '\0'; line = nl + 1) {
		CHECK(strncmp(line, path, strlen(path)) == 0);
		CHECK(line[strlen(path)] == ':');
		CHECK((nl = strchr(line, '\n')) != NULL);
	}
	if (c != NULL)
		check_config(c);
	config_free(c);
	free(out);
}

/* Each line of the input as an endpoint. */
static void
fuzz_endpoints(const uint8_t *data, size_t size)
{
	char *s, *line, *nl;

	CHECK((s = malloc(size + 1)) != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	for (line = s; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		check_endpoint(line);
	}
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load(data, size);
	fuzz_endpoints(data, size);
	return 0;
}
