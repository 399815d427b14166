/*
 * fuzz_http.c: libFuzzer target over the request path of the server. The
 * input is what a client sends on one connection: libevent's evhttp, set up
 * as the server sets it up, reads request lines, headers and bodies from it
 * (pipelined requests too); each request is routed by the gateway's own
 * gw_route, a listing's query read (gw_route_listing), and a posted body judged
 * and routed by its sender and receiver as the server does. A plain
 * bufferevent on loopback carries the bytes in place of TLS.
 */
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "gw_route.h"
#include "ijw_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BODY (64u << 10)

static struct event_base *base;
static struct sockaddr_in addr;
static ijw_schemas *schemas;
static struct ijw_validate_opts opts;

/* A posted message, judged and routed by its sender and receiver. */
static int
post(struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	const unsigned char *body = evbuffer_pullup(in, -1);
	ijw_findings *findings = ijw_findings_new();
	struct ijw_route route;
	ijw_doc *doc = NULL;
	int status = 422;

	if (!findings || (len && !body))
		abort();
	if (ijw_validate(schemas, body ? body : (const unsigned char *)"", len, &opts, &doc,
	                 findings) != IJW_OK)
		abort();
	if (doc) {
		ijw_doc_route(doc, &route);
		if (route.from[0] && route.to[0])
			status = 201;
		ijw_doc_free(doc);
	}
	ijw_findings_free(findings);
	return status;
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	struct evbuffer *out = evbuffer_new();
	struct gw_listing listing;
	int64_t id = 0;
	int status;

	(void)arg;
	if (!out)
		abort();
	switch (gw_route_parse(evhttp_request_get_command(req), path ? path : "", &id)) {
	case GW_ROUTE_NONE:
		status = 404;
		break;
	case GW_ROUTE_METHOD:
		status = 405;
		break;
	case GW_ROUTE_INBOX:
		status = gw_route_listing(uri ? evhttp_uri_get_query(uri) : NULL, 100, 1000,
		                          &listing) < 0
		                 ? 400
		                 : 200;
		if (status == 400 && !listing.error[0])
			abort();
		break;
	case GW_ROUTE_POST:
		status = post(req);
		break;
	case GW_ROUTE_GET:
	case GW_ROUTE_ACK:
	case GW_ROUTE_STATUS:
		if (id < 1)
			abort();
		evbuffer_add_printf(out, "%lld\n", (long long)id);
		status = 200;
		break;
	default:
		status = 200;
		break;
	}
	evhttp_send_reply(req, status, NULL, out);
	evbuffer_free(out);
}

static void
quiet(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
}

static void
setup(void)
{
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	socklen_t len = sizeof addr;

	event_set_log_callback(quiet);
	if (!(base = event_base_new()) || !(http = evhttp_new(base)))
		abort();
	evhttp_set_gencb(http, on_request, NULL);
	/* As gw_server_new() sets its evhttp up, with a smaller body. */
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
	                                         EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	                                         EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
	                                         EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_max_body_size(http, MAX_BODY);
	evhttp_set_max_headers_size(http, 16384);
	evhttp_set_timeout(http, 5);
	if (!(sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ||
	    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&addr, &len) != 0)
		abort();
	if (ijw_schemas_new(NULL, &schemas) || ijw_schemas_load_all(schemas))
		abort();
	ijw_validate_opts_init(&opts);
	opts.limits.max_bytes = MAX_BODY;
	/* A fixed day, so that a crash replays the same way later. */
	opts.today = ijw_date_from_ymd(2026, 11, 23);
}

/* The request is written: the client says it has no more. */
static void
client_written(struct bufferevent *bev, void *arg)
{
	(void)arg;
	shutdown(bufferevent_getfd(bev), SHUT_WR);
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
}

/* The server has closed the connection (or reset it): the input is done. */
static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		event_base_loopbreak(base);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bufferevent *bev;
	int fd;

	if (!base)
		setup();
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
	    evutil_make_socket_nonblocking(fd) != 0 ||
	    !(bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE)))
		abort();
	bufferevent_setcb(bev, client_read, client_written, client_event, NULL);
	if (size)
		bufferevent_write(bev, data, size);
	else
		shutdown(fd, SHUT_WR);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	event_base_dispatch(base);
	bufferevent_free(bev);
	/* The server frees a closed connection's state in a callback of its own. */
	event_base_loop(base, EVLOOP_NONBLOCK);
	return 0;
}
