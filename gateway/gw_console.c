/*
 * gw_console.c: the console's pages, rendered into a buffer.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_console.h"
#include "ijw_embedded.h"
#include "ijw_registry.h"

#define PUSHES_MAX 200 /* pushes listed per table */
#define CHART_DAYS 400 /* the longest period a chart draws */
#define CHART_H 200    /* the bars' height, in pixels */
#define BAR_W 14
#define LABEL_W 24 /* room after the last bar for its day's label */
#define COLOURS 8  /* classes c0..c7 of console.css */

/* gateway/console/, compiled in (gw_console_data.c). */
extern const struct ijw_embedded gw_console_files[];

static const char *const status_names[] = {"any",      "unacked",  "acked",    "pending",
                                           "given_up", "answered", "generated"};

/* ---- pieces ---- */

static void
text(struct ijw_buf *out, const char *s)
{
	ijw_buf_add_xml(out, s ? s : "");
}

static void
when(struct ijw_buf *out, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[32];

	if (!t || !gmtime_r(&tt, &tm)) {
		ijw_buf_addstr(out, "-");
		return;
	}
	strftime(s, sizeof s, "%Y-%m-%d %H:%M:%SZ", &tm);
	ijw_buf_addstr(out, s);
}

static void
day_of(int64_t t, char out[IJW_DATE_SIZE])
{
	if (t)
		ijw_date_format((ijw_day)(t / 86400), out);
	else
		out[0] = '\0';
}

/* A form that changes something: POST to action, with the session's CSRF token. */
static void
button(struct ijw_buf *out, const struct gw_console_page *p, const char *action, int64_t id,
       const char *label, const char *confirm)
{
	ijw_buf_addf(out, "<form method=\"post\" action=\"/console/messages/%" PRId64 "/%s\"", id,
	             action);
	if (confirm) {
		ijw_buf_addstr(out, " data-confirm=\"");
		text(out, confirm);
		ijw_buf_addstr(out, "\"");
	}
	ijw_buf_addf(out, " class=\"%s\"><input type=\"hidden\" name=\"csrf\" value=\"", action);
	text(out, p->csrf);
	ijw_buf_addstr(out, "\"><button type=\"submit\">");
	text(out, label);
	ijw_buf_addstr(out, "</button></form>");
}

/* What became of a message, in a word. */
static const char *
state_word(const struct gw_state *st)
{
	if (st->delivery[0])
		return st->delivery;
	return st->acked ? "acknowledged" : "unacknowledged";
}

static void
message_link(struct ijw_buf *out, int64_t id)
{
	ijw_buf_addf(out, "<a href=\"/console/messages/%" PRId64 "\">%" PRId64 "</a>", id, id);
}

/* ---- the frame ---- */

const void *
gw_console_asset(const char *name, size_t *len, const char **type)
{
	for (const struct ijw_embedded *e = gw_console_files; e->name; e++) {
		const char *dot = strrchr(e->name, '.');

		if (strcmp(e->name, name) != 0)
			continue;
		*len = e->len;
		*type = dot && strcmp(dot, ".css") == 0 ? "text/css; charset=utf-8"
		                                        : "text/javascript; charset=utf-8";
		return e->data;
	}
	return NULL;
}

static void
head(struct ijw_buf *out, const char *title)
{
	ijw_buf_addstr(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	                    "<title>");
	text(out, title);
	ijw_buf_addstr(out, " - ijw-gateway</title>"
	                    "<link rel=\"stylesheet\" href=\"/console/console.css\">"
	                    "<script src=\"/console/console.js\"></script></head>\n<body>");
}

void
gw_console_login(const char *error, struct ijw_buf *out)
{
	head(out, "Log in");
	ijw_buf_addstr(out, "<main><form class=\"login\" method=\"post\" action=\"/console/login\">"
	                    "<h1>ijw-gateway console</h1>");
	if (error) {
		ijw_buf_addstr(out, "<p class=\"error\" id=\"login-error\">");
		text(out, error);
		ijw_buf_addstr(out, "</p>");
	}
	ijw_buf_addstr(out, "<label>The operators' token (admin_token_file)"
	                    "<input type=\"password\" name=\"token\" id=\"token\" "
	                    "autocomplete=\"off\" required></label>"
	                    "<button type=\"submit\" id=\"login\">Log in</button></form></main>"
	                    "</body></html>\n");
}

void
gw_console_begin(const struct gw_console_page *p, const char *title, struct ijw_buf *out)
{
	static const char *const menu[][2] = {
	        {"messages", "Messages"}, {"pushes", "Pushes"}, {"rejections", "Rejections"},
	        {"parties", "Parties"},   {"report", "Report"},
	};

	head(out, title);
	ijw_buf_addstr(out, "<header><strong>ijw-gateway</strong>");
	for (size_t i = 0; i < sizeof menu / sizeof menu[0]; i++)
		ijw_buf_addf(out, "<a href=\"/console/%s\"%s>%s</a>", menu[i][0],
		             strcmp(p->here, menu[i][0]) == 0 ? " class=\"here\"" : "", menu[i][1]);
	ijw_buf_addstr(out, "<span class=\"who\">");
	text(out, p->who);
	ijw_buf_addstr(out, "</span><form method=\"post\" action=\"/console/logout\">"
	                    "<input type=\"hidden\" name=\"csrf\" value=\"");
	text(out, p->csrf);
	ijw_buf_addstr(out, "\"><button type=\"submit\">Log out</button></form></header>\n"
	                    "<main><h1>");
	text(out, title);
	ijw_buf_addstr(out, "</h1>\n");
}

void
gw_console_end(struct ijw_buf *out)
{
	ijw_buf_addstr(out, "</main></body></html>\n");
}

void
gw_console_problem(const struct gw_console_page *p, const char *title, const char *what,
                   struct ijw_buf *out)
{
	gw_console_begin(p, title, out);
	ijw_buf_addstr(out, "<p class=\"error\" id=\"problem\">");
	text(out, what);
	ijw_buf_addstr(out, "</p>");
	gw_console_end(out);
}

/* ---- messages ---- */

struct rows {
	struct ijw_buf *out;
	size_t n;
	int64_t last;
};

static void
message_row(void *ctx, const struct gw_msg *m, const struct gw_state *st)
{
	struct rows *r = ctx;
	struct ijw_buf *out = r->out;

	ijw_buf_addf(out, "<tr data-id=\"%" PRId64 "\"><td>", m->id);
	message_link(out, m->id);
	ijw_buf_addstr(out, "</td><td>");
	text(out, m->type);
	ijw_buf_addstr(out, "</td><td>");
	text(out, m->sender);
	ijw_buf_addstr(out, "</td><td>");
	text(out, m->receiver);
	ijw_buf_addstr(out, "</td><td>");
	when(out, m->received);
	ijw_buf_addf(out, "</td><td class=\"state-%s\">", state_word(st));
	text(out, state_word(st));
	ijw_buf_addstr(out, "</td><td>");
	if (st->answered_by)
		message_link(out, st->answered_by);
	ijw_buf_addstr(out, "</td><td>");
	text(out, m->advice);
	ijw_buf_addstr(out, "</td></tr>\n");
	r->n++;
	r->last = m->id;
}

/* The filters of f as a query, for the next page's link. */
static void
filter_query(struct ijw_buf *out, const struct gw_filter *f)
{
	char day[IJW_DATE_SIZE];

	ijw_buf_addstr(out, "party=");
	text(out, f->party);
	ijw_buf_addstr(out, "&amp;type=");
	text(out, f->type);
	ijw_buf_addf(out, "&amp;status=%s", status_names[f->status]);
	day_of(f->from, day);
	ijw_buf_addf(out, "&amp;from=%s", day);
	day_of(f->to ? f->to - 86400 : 0, day);
	ijw_buf_addf(out, "&amp;to=%s", day);
}

static void
filters_form(struct ijw_buf *out, const struct gw_filter *f)
{
	char day[IJW_DATE_SIZE];

	ijw_buf_addstr(out, "<form class=\"filters\" method=\"get\" action=\"/console/messages\">"
	                    "<label>Party<input name=\"party\" size=\"8\" value=\"");
	text(out, f->party);
	ijw_buf_addstr(out, "\"></label><label>Type<select name=\"type\"><option value=\"\">any"
	                    "</option>");
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		const char *name = ijw_msgdef(t)->name;

		ijw_buf_addf(out, "<option%s>%s</option>",
		             f->type && strcmp(f->type, name) == 0 ? " selected" : "", name);
	}
	ijw_buf_addstr(out, "</select></label><label>Status<select name=\"status\">");
	for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
		ijw_buf_addf(out, "<option%s>%s</option>", f->status == i ? " selected" : "",
		             status_names[i]);
	day_of(f->from, day);
	ijw_buf_addf(out,
	             "</select></label><label>From<input type=\"date\" name=\"from\" "
	             "value=\"%s\"></label>",
	             day);
	day_of(f->to ? f->to - 86400 : 0, day);
	ijw_buf_addf(out,
	             "<label>To<input type=\"date\" name=\"to\" value=\"%s\"></label>"
	             "<button type=\"submit\">Filter</button></form>\n",
	             day);
}

enum gw_store_rc
gw_console_messages(gw_store *s, const struct gw_console_page *p, const struct gw_filter *f,
                    struct ijw_buf *out)
{
	struct rows r = {.out = out};
	enum gw_store_rc rc;

	gw_console_begin(p, "Messages", out);
	filters_form(out, f);
	ijw_buf_addstr(out, "<table id=\"messages\"><thead><tr><th>Id</th><th>Type</th>"
	                    "<th>From</th><th>To</th><th>Received</th><th>State</th>"
	                    "<th>Answered by</th><th>Advice</th></tr></thead><tbody>\n");
	if ((rc = gw_store_browse(s, f, message_row, &r)))
		return rc;
	ijw_buf_addf(out, "</tbody></table><p id=\"count\">%zu message%s</p>", r.n,
	             r.n == 1 ? "" : "s");
	if (r.n && r.n == f->limit) {
		ijw_buf_addstr(out, "<p><a rel=\"next\" id=\"older\" href=\"/console/messages?");
		filter_query(out, f);
		ijw_buf_addf(out, "&amp;before=%" PRId64 "\">Older messages</a></p>", r.last);
	}
	gw_console_end(out);
	return GW_STORE_OK;
}

/* ---- a message ---- */

void
gw_console_mask(const char *xml, size_t len, struct ijw_buf *out)
{
	const char *p = xml, *end = xml + len;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p)), *name, *gt, *colon;
		size_t n;

		if (!lt) {
			ijw_buf_add(out, p, (size_t)(end - p));
			return;
		}
		if (!(gt = memchr(lt, '>', (size_t)(end - lt)))) {
			ijw_buf_add(out, p, (size_t)(end - p));
			return;
		}
		ijw_buf_add(out, p, (size_t)(gt + 1 - p));
		p = gt + 1;
		/* a start tag: its name, and after a prefix its local name */
		name = lt + 1;
		n = strcspn(name, " \t\r\n/>");
		if (name + n > gt || gt[-1] == '/' || strchr("/?!", *name))
			continue;
		colon = memchr(name, ':', n);
		if (colon) {
			n -= (size_t)(colon + 1 - name);
			name = colon + 1;
		}
		if (n != 3 || memcmp(name, "Bsn", 3) != 0)
			continue;
		/* its content up to its end tag: CDATA and comments in it too */
		for (gt = p; gt < end && !(gt[0] == '<' && gt + 1 < end && gt[1] == '/'); gt++)
			;
		p = gt;
		ijw_buf_addstr(out, "*********");
	}
}

static void
life_item(struct ijw_buf *out, const char *what, int64_t at)
{
	ijw_buf_addstr(out, "<li><span class=\"step\">");
	text(out, what);
	ijw_buf_addstr(out, "</span> <time>");
	when(out, at);
	ijw_buf_addstr(out, "</time></li>\n");
}

static void
life_list(struct ijw_buf *out, const struct gw_life *l)
{
	const struct gw_msg *m = &l->msg;

	ijw_buf_addstr(out, "<h2>Life</h2><ol id=\"life\">\n");
	life_item(out, m->generated ? "made by the gateway" : "received", m->received);
	ijw_buf_addstr(out, "<li><span class=\"step\">judged: accepted</span>");
	if (m->advice[0]) {
		ijw_buf_addstr(out, ", advice <span class=\"advice\">");
		text(out, m->advice);
		ijw_buf_addstr(out, "</span>");
	}
	ijw_buf_addstr(out, "</li>\n");
	ijw_buf_addf(out, "<li><span class=\"step\">stored</span> as %" PRId64 "%s</li>\n", m->id,
	             m->translated ? ", with a copy in the receiver's product codes" : "");
	for (size_t i = 0; i < l->n_attempts; i++) {
		const struct gw_attempt *a = &l->attempts[i];

		ijw_buf_addstr(out,
		               "<li class=\"attempt\"><span class=\"step\">push attempt</span> "
		               "<time>");
		when(out, a->at);
		ijw_buf_addstr(out, "</time>: ");
		if (a->http_status)
			ijw_buf_addf(out, "HTTP %d", a->http_status);
		else
			ijw_buf_addstr(out, "no answer");
		if (a->error[0]) {
			ijw_buf_addstr(out, ", <span class=\"error\">");
			text(out, a->error);
			ijw_buf_addstr(out, "</span>");
		}
		ijw_buf_addstr(out, a->delivered ? ", delivered</li>\n" : "</li>\n");
	}
	if (!strcmp(l->state.delivery, "pending")) {
		ijw_buf_addstr(out, "<li class=\"state-pending\"><span class=\"step\">next push "
		                    "attempt</span> <time>");
		when(out, l->state.next_attempt);
		ijw_buf_addstr(out, "</time></li>\n");
	}
	if (!strcmp(l->state.delivery, "given_up"))
		ijw_buf_addstr(out, "<li class=\"state-given_up\"><span class=\"step\">given up"
		                    "</span></li>\n");
	if (l->state.delivered)
		life_item(out, "delivered", l->state.delivered);
	if (l->state.acked)
		life_item(out, "acknowledged", l->state.acked);
	if (l->state.purged)
		life_item(out, "its bytes removed by retention", l->state.purged);
	ijw_buf_addstr(out, "</ol>\n");
}

static void
fact(struct ijw_buf *out, const char *name, const char *value)
{
	ijw_buf_addf(out, "<tr><th>%s</th><td>", name);
	text(out, value);
	ijw_buf_addstr(out, "</td></tr>");
}

enum gw_store_rc
gw_console_message(gw_store *s, const struct gw_console_page *p, int64_t id, bool unmask,
                   struct ijw_buf *out)
{
	struct gw_life l;
	struct gw_msg m;
	struct ijw_buf body;
	enum gw_store_rc rc;
	char title[64];

	if ((rc = gw_store_life(s, id, NULL, &l)))
		return rc;
	snprintf(title, sizeof title, "Message %" PRId64 ": %s", id, l.msg.type);
	gw_console_begin(p, title, out);
	ijw_buf_addstr(out, "<table id=\"facts\">");
	fact(out, "Type", l.msg.type);
	fact(out, "From", l.msg.sender);
	fact(out, "To", l.msg.receiver);
	fact(out, "Identification", l.msg.identificatie);
	fact(out, "State", state_word(&l.state));
	if (l.msg.answers) {
		ijw_buf_addstr(out, "<tr><th>Answers</th><td id=\"answers\">");
		message_link(out, l.msg.answers);
		ijw_buf_addstr(out, "</td></tr>");
	}
	ijw_buf_addstr(out, "</table>\n");
	if (!strcmp(l.state.delivery, "given_up"))
		button(out, p, "redeliver", id, "Deliver again", "Push this message again?");
	life_list(out, &l);
	ijw_buf_addstr(out, "<h2>Retours</h2><ul id=\"retours\">");
	for (size_t i = 0; i < l.n_answers; i++) {
		ijw_buf_addstr(out, "<li>");
		message_link(out, l.answers[i].id);
		ijw_buf_addstr(out, " ");
		text(out, l.answers[i].type);
		ijw_buf_addstr(out, "</li>");
	}
	ijw_buf_addstr(out, l.n_answers ? "</ul>\n" : "<li>none</li></ul>\n");
	gw_life_free(&l);
	ijw_buf_addstr(out, "<h2>XML</h2>");
	ijw_buf_init(&body, 1u << 30);
	rc = gw_store_body(s, id, false, &m, &body);
	if (rc == GW_STORE_OK && !unmask) {
		struct ijw_buf masked;

		button(out, p, "unmask", id, "Show the BSN",
		       "Show the BSN? This is recorded in the audit log.");
		ijw_buf_init(&masked, 1u << 30);
		gw_console_mask(ijw_buf_str(&body), body.len, &masked);
		ijw_buf_addstr(out, "<pre class=\"xml\" id=\"xml\">");
		text(out, ijw_buf_str(&masked));
		ijw_buf_free(&masked);
	} else if (rc == GW_STORE_OK) {
		ijw_buf_addstr(out, "<p id=\"unmasked\">Shown unmasked for this request only; "
		                    "recorded in the audit log.</p><pre class=\"xml\" id=\"xml\">");
		text(out, ijw_buf_str(&body));
	} else {
		ijw_buf_addstr(out, "<pre class=\"xml\" id=\"xml\">(its bytes are no longer "
		                    "stored)");
	}
	ijw_buf_free(&body);
	ijw_buf_addstr(out, "</pre>\n");
	gw_console_end(out);
	return rc == GW_STORE_ERROR ? rc : GW_STORE_OK;
}

/* ---- pushes ---- */

struct ids {
	int64_t id[PUSHES_MAX];
	size_t n;
};

static void
collect_id(void *ctx, const struct gw_msg *m, const struct gw_state *st)
{
	struct ids *ids = ctx;

	(void)st;
	ids->id[ids->n++] = m->id;
}

/* The table of the pushes of one state, oldest first. */
static enum gw_store_rc
push_table(gw_store *s, const struct gw_console_page *p, enum gw_filter_status status,
           const char *table_id, struct ijw_buf *out)
{
	struct gw_filter f = {.status = status, .limit = PUSHES_MAX};
	struct ids *ids = calloc(1, sizeof *ids);
	enum gw_store_rc rc;

	if (!ids)
		return GW_STORE_ERROR;
	if ((rc = gw_store_browse(s, &f, collect_id, ids))) {
		free(ids);
		return rc;
	}
	ijw_buf_addf(out,
	             "<table id=\"%s\"><thead><tr><th>Id</th><th>Type</th><th>From</th>"
	             "<th>To</th><th>Received</th><th>Attempts</th><th>Last attempt</th>"
	             "<th>Last error</th><th></th></tr></thead><tbody>\n",
	             table_id);
	for (size_t i = ids->n; !rc && i-- > 0;) {
		struct gw_life l;
		const struct gw_attempt *last;

		if ((rc = gw_store_life(s, ids->id[i], NULL, &l)) == GW_STORE_NOTFOUND) {
			rc = GW_STORE_OK;
			continue;
		}
		if (rc)
			break;
		last = l.n_attempts ? &l.attempts[l.n_attempts - 1] : NULL;
		ijw_buf_addf(out, "<tr data-id=\"%" PRId64 "\"><td>", l.msg.id);
		message_link(out, l.msg.id);
		ijw_buf_addstr(out, "</td><td>");
		text(out, l.msg.type);
		ijw_buf_addstr(out, "</td><td>");
		text(out, l.msg.sender);
		ijw_buf_addstr(out, "</td><td>");
		text(out, l.msg.receiver);
		ijw_buf_addstr(out, "</td><td>");
		when(out, l.msg.received);
		ijw_buf_addf(out, "</td><td class=\"n attempts\">%u</td><td>", l.state.attempts);
		when(out, last ? last->at : 0);
		ijw_buf_addstr(out, "</td><td class=\"error\">");
		if (last && last->error[0])
			text(out, last->error);
		else if (last && last->http_status)
			ijw_buf_addf(out, "HTTP %d", last->http_status);
		ijw_buf_addstr(out, "</td><td>");
		if (status == GW_FILTER_GIVEN_UP)
			button(out, p, "redeliver", l.msg.id, "Deliver again",
			       "Push this message again?");
		ijw_buf_addstr(out, "</td></tr>\n");
		gw_life_free(&l);
	}
	ijw_buf_addf(out, "</tbody></table>\n");
	free(ids);
	return rc;
}

enum gw_store_rc
gw_console_pushes(gw_store *s, const struct gw_console_page *p, struct ijw_buf *out)
{
	enum gw_store_rc rc;

	gw_console_begin(p, "Pushes", out);
	ijw_buf_addstr(out, "<h2>Pending, oldest first</h2>");
	if ((rc = push_table(s, p, GW_FILTER_PENDING, "pending", out)))
		return rc;
	ijw_buf_addstr(out, "<h2>Given up</h2>");
	if ((rc = push_table(s, p, GW_FILTER_GIVEN_UP, "given-up", out)))
		return rc;
	gw_console_end(out);
	return GW_STORE_OK;
}

/* ---- rejections ---- */

struct counts {
	struct gw_rejections *r;
	size_t n, alloc;
	bool failed;
};

static void
collect_rejections(void *ctx, const struct gw_rejections *r)
{
	struct counts *c = ctx;

	if (c->n == c->alloc) {
		size_t alloc = c->alloc ? 2 * c->alloc : 64;
		struct gw_rejections *more = realloc(c->r, alloc * sizeof *more);

		if (!more) {
			c->failed = true;
			return;
		}
		c->r = more;
		c->alloc = alloc;
	}
	c->r[c->n++] = *r;
}

/* The index of rule among the first n rules of rules, added when it is not there. */
static size_t
rule_index(char (*rules)[16], size_t *n, const char *rule)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(rules[i], rule) == 0)
			return i;
	snprintf(rules[*n], sizeof rules[*n], "%s", rule);
	return (*n)++;
}

void
gw_console_chart(const struct gw_rejections *r, size_t n, struct ijw_buf *out)
{
	char(*rules)[16] = calloc(n ? n : 1, sizeof *rules);
	size_t nrules = 0, days = 0, max = 0, total = 0;
	int64_t first = n ? r[0].day : 0;

	if (!rules)
		return;
	/* the days from the first to the last with a rejection, each day's total */
	for (size_t i = 0; i < n; i++) {
		rule_index(rules, &nrules, r[i].rule);
		days = (size_t)((r[i].day - first) / 86400) + 1;
		total = i && r[i].day == r[i - 1].day ? total + r[i].n : r[i].n;
		max = total > max ? total : max;
	}
	if (days > CHART_DAYS)
		days = CHART_DAYS;
	ijw_buf_addf(out,
	             "<svg class=\"chart\" id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	             "width=\"%zu\" height=\"%d\" role=\"img\"><title>Rejections per day, by "
	             "rule</title>",
	             40 + days * (BAR_W + 2) + LABEL_W, CHART_H + 40);
	ijw_buf_addf(out, "<text x=\"2\" y=\"12\">%zu</text><text x=\"2\" y=\"%d\">0</text>", max,
	             CHART_H + 10);
	for (size_t i = 0, base = 0; i < n; i++) {
		size_t day = (size_t)((r[i].day - first) / 86400);
		size_t h = max ? (r[i].n * CHART_H + max - 1) / max : 0;
		char date[IJW_DATE_SIZE];

		if (day >= days)
			break;
		if (i && r[i].day != r[i - 1].day)
			base = 0;
		ijw_date_format((ijw_day)(r[i].day / 86400), date);
		ijw_buf_addf(out,
		             "<rect class=\"bar c%zu\" x=\"%zu\" y=\"%zu\" width=\"%d\" "
		             "height=\"%zu\" data-day=\"%s\" data-rule=\"",
		             rule_index(rules, &nrules, r[i].rule) % COLOURS,
		             40 + day * (BAR_W + 2), CHART_H + 10 - base - h, BAR_W, h, date);
		text(out, r[i].rule);
		ijw_buf_addf(out, "\" data-n=\"%zu\"><title>%s ", r[i].n, date);
		text(out, r[i].rule);
		ijw_buf_addf(out, ": %zu</title></rect>", r[i].n);
		base += h;
		/* the day's label under its first bar, alternating in height */
		if (!i || r[i].day != r[i - 1].day)
			ijw_buf_addf(out, "<text x=\"%zu\" y=\"%d\" font-size=\"9\">%s</text>",
			             40 + day * (BAR_W + 2), CHART_H + 24 + (int)(day % 2) * 10,
			             date + 5);
	}
	ijw_buf_addstr(out, "</svg>\n<p class=\"legend\">");
	for (size_t i = 0; i < nrules; i++) {
		ijw_buf_addf(out, "<span class=\"c%zu\"></span>", i % COLOURS);
		text(out, rules[i]);
	}
	ijw_buf_addstr(out, "</p>\n");
	free(rules);
}

enum gw_store_rc
gw_console_rejections(gw_store *s, const struct gw_console_page *p, int64_t from, int64_t to,
                      struct ijw_buf *out)
{
	struct counts c = {0};
	enum gw_store_rc rc;
	char day[IJW_DATE_SIZE];

	if ((rc = gw_store_rejections(s, from, to, collect_rejections, &c)) || c.failed) {
		free(c.r);
		return rc ? rc : GW_STORE_ERROR;
	}
	gw_console_begin(p, "Rejections", out);
	day_of(from, day);
	ijw_buf_addf(out,
	             "<form class=\"filters\" method=\"get\" action=\"/console/rejections\">"
	             "<label>From<input type=\"date\" name=\"from\" value=\"%s\"></label>",
	             day);
	day_of(to - 86400, day);
	ijw_buf_addf(out,
	             "<label>To<input type=\"date\" name=\"to\" value=\"%s\"></label>"
	             "<button type=\"submit\">Show</button></form>\n",
	             day);
	if (c.n)
		gw_console_chart(c.r, c.n, out);
	else
		ijw_buf_addstr(out, "<p id=\"none\">No rejections in this period.</p>");
	ijw_buf_addstr(out, "<table id=\"rejections\"><thead><tr><th>Day</th><th>Rule</th>"
	                    "<th>Rejected</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < c.n; i++) {
		day_of(c.r[i].day, day);
		ijw_buf_addf(out, "<tr><td>%s</td><td>", day);
		text(out, c.r[i].rule);
		ijw_buf_addf(out, "</td><td class=\"n\">%zu</td></tr>\n", c.r[i].n);
	}
	ijw_buf_addstr(out, "</tbody></table>\n");
	free(c.r);
	gw_console_end(out);
	return GW_STORE_OK;
}

/* ---- parties ---- */

void
gw_console_parties(const struct gw_console_page *p, const struct gw_party *parties,
                   const struct gw_queue *queues, size_t n, int64_t now, struct ijw_buf *out)
{
	static const char *const delivery[] = {"inbox", "push"};
	static const char *const retour[] = {"relay", "auto"};
	static const char *const kind[] = {"gemeente", "aanbieder"};

	gw_console_begin(p, "Parties", out);
	ijw_buf_addstr(out, "<table id=\"parties\"><thead><tr><th>Code</th><th>Kind</th>"
	                    "<th>Name</th><th>Delivery</th><th>Push URL</th><th>Retour</th>"
	                    "<th>Unacknowledged</th><th>Oldest</th><th>Pushes due</th>"
	                    "<th>Given up</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct gw_party *y = &parties[i];
		const struct gw_queue *q = &queues[i];

		ijw_buf_addstr(out, "<tr data-party=\"");
		text(out, y->code);
		ijw_buf_addstr(out, "\"><td>");
		text(out, y->code);
		ijw_buf_addf(out, "</td><td>%s</td><td>", kind[y->kind == IJW_AANBIEDER]);
		text(out, y->name);
		ijw_buf_addf(out, "</td><td>%s</td><td>", delivery[y->delivery]);
		text(out, y->push_url);
		ijw_buf_addf(out, "</td><td>%s</td><td class=\"n unacked\">%zu</td><td>",
		             retour[y->retour], q->unacked);
		if (q->oldest)
			ijw_buf_addf(out, "%lld s ago", (long long)(now - q->oldest));
		ijw_buf_addf(out,
		             "</td><td class=\"n due\">%zu</td><td class=\"n given_up\">%zu</td>"
		             "</tr>\n",
		             q->due, q->given_up);
	}
	ijw_buf_addstr(out, "</tbody></table>\n");
	gw_console_end(out);
}
