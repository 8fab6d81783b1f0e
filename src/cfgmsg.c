/*
 * cfgmsg.c: the problems found in a configuration file, printed once the
 * whole file has been read, in line order (cfgmsg.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cfgmsg.h"

/* One problem found. */
struct msg {
	int line;
	size_t seq; /* keeps messages of one line in the order found */
	int warning; /* not an error: printed on request alone */
	char *text;
};

struct cfgmsg {
	const char *path;
	int warnings; /* print them */
	struct msg *msgs;
	size_t n;
	size_t nwarnings; /* of them */
	int nomem; /* messages lost for want of memory */
};

/**
 * cfgmsg_new(path, warnings): an empty list for the file ${path} (which
 * must outlive it); warnings are printed too if ${warnings}. NULL if out
 * of memory.
 */
struct cfgmsg *
cfgmsg_new(const char *path, int warnings)
{
	struct cfgmsg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->path = path;
	m->warnings = warnings;
	return m;
}

/** cfgmsg_free(m): free ${m} and its messages; a no-op for NULL. */
void
cfgmsg_free(struct cfgmsg *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->msgs[i].text);
	free(m->msgs);
	free(m);
}

/**
 * cfgmsg_add(m, line, warning, text): note ${text} (now owned; NULL: a
 * message lost for want of memory) at ${line}, a warning if ${warning}.
 */
void
cfgmsg_add(struct cfgmsg *m, int line, int warning, char *text)
{
	struct msg *p = NULL;

	if (text != NULL)
		p = realloc(m->msgs, (m->n + 1) * sizeof(*p));
	if (p == NULL) {
		free(text);
		m->nomem++;
		return;
	}
	m->msgs = p;
	p[m->n].line = line;
	p[m->n].seq = m->n;
	p[m->n].warning = warning;
	p[m->n].text = text;
	m->n++;
	m->nwarnings += warning != 0;
}

/**
 * cfgmsg_vadd(m, line, warning, fmt, ap): cfgmsg_add() of the text that
 * ${fmt} and ${ap} make.
 */
void
cfgmsg_vadd(
    struct cfgmsg *m, int line, int warning, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	cfgmsg_add(m, line, warning, text);
}

/** cfgmsg_lost(m): count one message lost for want of memory. */
void
cfgmsg_lost(struct cfgmsg *m)
{
	m->nomem++;
}

/** cfgmsg_nomem(m): how many messages were lost for want of memory. */
int
cfgmsg_nomem(const struct cfgmsg *m)
{
	return m->nomem;
}

/** cfgmsg_has(m, line): non-zero if a message was noted for ${line}. */
int
cfgmsg_has(const struct cfgmsg *m, int line)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->msgs[i].line == line)
			return 1;
	return 0;
}

static int
msg_cmp(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;

	return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
	                          : (x->seq > y->seq) - (x->seq < y->seq);
}

/**
 * cfgmsg_flush(m, err): print the errors (and the warnings, if asked for)
 * to ${err} in line order; returns how many errors (lost ones included).
 */
size_t
cfgmsg_flush(struct cfgmsg *m, FILE *err)
{
	size_t i;

	if (m->n > 0)
		qsort(m->msgs, m->n, sizeof(*m->msgs), msg_cmp);
	for (i = 0; i < m->n; i++)
		if (!m->msgs[i].warning || m->warnings)
			fprintf(err, "%s:%d: %s%s\n", m->path, m->msgs[i].line,
			    m->msgs[i].warning ? "warning: " : "",
			    m->msgs[i].text);
	if (m->nomem > 0)
		fprintf(err, "%s: out of memory (%d messages lost)\n", m->path,
		    m->nomem);
	return m->n - m->nwarnings + (size_t)m->nomem;
}
