/*
 * gw_history.c: earlier messages in the order they were sent.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/rand.h>

#include "gw_history.h"

struct list {
	struct gw_history_msg *v;
	size_t n, cap;
};

static int
add(struct list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct gw_history_msg *v = realloc(l->v, cap * sizeof *v);

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	if (!(l->v[l->n].path = strdup(path)))
		return -1;
	l->n++;
	return 0;
}

static bool
is_xml(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

static int
walk(struct list *l, const char *path, char *err, size_t errlen)
{
	struct stat st;
	struct dirent **names;
	int n, rc = 0;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (add(l, path))
			goto oom;
		return 0;
	}
	if ((n = scandir(path, &names, NULL, alphasort)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t size = strlen(path) + strlen(name) + 2;
		char *sub = name[0] == '.' ? NULL : malloc(size);
		struct stat sst;

		if (sub && !rc) {
			snprintf(sub, size, "%s/%s", path, name);
			if (stat(sub, &sst) == 0 && S_ISDIR(sst.st_mode))
				rc = walk(l, sub, err, errlen);
			else if (is_xml(name) && add(l, sub))
				rc = -1, snprintf(err, errlen, "%s: out of memory", path);
		}
		free(sub);
		free(names[i]);
	}
	free(names);
	return rc;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
	return -1;
}

/*
 * The Dagtekening of a message, read cheaply: the text of the first
 * Dagtekening element in the first HEAD_BYTES of the file, where the header
 * is. The file is judged in full when its turn comes.
 */
#define HEAD_BYTES 65536

static void
dagtekening(struct gw_history_msg *m)
{
	char *head = malloc(HEAD_BYTES + 1);
	FILE *f = head ? fopen(m->path, "rbe") : NULL;
	const char *p;
	size_t n;

	if (f) {
		n = fread(head, 1, HEAD_BYTES, f);
		head[n] = '\0';
		if ((p = strstr(head, "Dagtekening>"))) {
			ijw_day d;

			p += strlen("Dagtekening>");
			n = strcspn(p, "<");
			if (n < sizeof m->dagtekening) {
				snprintf(m->dagtekening, sizeof m->dagtekening, "%.*s", (int)n, p);
				if (!ijw_date_parse(m->dagtekening, &d))
					m->dagtekening[0] = '\0';
			}
		}
		fclose(f);
	}
	free(head);
}

static int
by_date(const void *x, const void *y)
{
	const struct gw_history_msg *a = x, *b = y;
	ijw_day da = 0, db = 0;

	ijw_date_parse(a->dagtekening, &da);
	ijw_date_parse(b->dagtekening, &db);
	if (da != db)
		return da < db ? -1 : 1;
	return strcmp(a->path, b->path);
}

int
gw_history_list(const char *const *paths, size_t npaths, struct gw_history_msg **out, size_t *n,
                char *err, size_t errlen)
{
	struct list l = {0};

	for (size_t i = 0; i < npaths; i++)
		if (walk(&l, paths[i], err, errlen)) {
			gw_history_free(l.v, l.n);
			return -1;
		}
	for (size_t i = 0; i < l.n; i++)
		dagtekening(&l.v[i]);
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, by_date);
	*out = l.v;
	*n = l.n;
	return 0;
}

void
gw_history_free(struct gw_history_msg *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].path);
	free(list);
}

gw_store *
gw_history_store(const ijw_products *products, char *err, size_t errlen)
{
	unsigned char key[32];
	gw_store *s = gw_store_open(":memory:", NULL, err, errlen);

	if (!s)
		return NULL;
	if (RAND_bytes(key, sizeof key) != 1 || gw_store_set_ledger_key(s, key, sizeof key)) {
		snprintf(err, errlen, "no random key for the ledger");
		gw_store_close(s);
		return NULL;
	}
	gw_store_set_products(s, products);
	return s;
}
