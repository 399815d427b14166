/*
 * bench_relay.c: how many messages a second the gateway takes in, and how
 * fast it answers, against nginx answering the same requests without doing
 * anything with them.
 *
 * The benchmark makes a fresh PKI and configuration with `ijw-gateway pki
 * init` in a temporary folder under /var/tmp (a disk, not tmpfs, so that the
 * store's fsyncs cost what they cost), starts the real daemon on it (`serve`
 * with port 0: it reads the port from the daemon's log) and starts Debian's
 * nginx (/usr/sbin/nginx) beside it with a configuration of its own: one
 * process (master_process off), the gateway's server certificate and key,
 * ssl_verify_client on with the same CA, and `return 202 '{"id":"1"}'` for
 * every request. Both run for the whole benchmark, idle while the other one is
 * measured.
 *
 * The requests are POST /v1/berichten with a JW301 from gemeente 0384 to
 * aanbieder 42420001, made in advance with ijw_generate_opts() from seeds
 * 1, 2, 3, ..., so that each has its own BerichtIdentificatie: the gateway
 * judges every one, stores it durably and, as aanbieder 42420001 lets the
 * gateway answer for it (`retour = auto` in the configuration pki init writes),
 * stores the JW302 it makes in the same transaction. Every message goes to the
 * gateway once; nginx gets the same messages again.
 *
 * The load generator is this process: one thread, epoll and OpenSSL, one
 * keep-alive TLS connection per client, each with 0384's client certificate,
 * each sending its next request as soon as the answer to the last one is in.
 * For each number of clients (1, 16, 64) and each server in turn, the clients
 * connect (full handshakes, untimed), send for WARMUP_SECONDS (not counted),
 * then for MEASURE_SECONDS (counted), then wait for the answers in flight.
 *
 * How to read the output:
 *   msgs/s   2xx answers that arrived within the measured seconds, per second
 *            (higher is better); anything else is listed under "answers"
 *   p50 p99  latency of those answers in milliseconds, from writing the
 *            request to having read the whole answer (lower is better)
 *   gw/nginx the gateway's rate as a share of nginx's (1.00: as fast): what
 *            judging, storing and answering a message costs over TLS and HTTP
 *   cpu      CPU seconds per second of wall time in the measured seconds, of
 *            the server, of the gateway's event loop (its first thread, which
 *            does TLS, HTTP and answering, while the judging threads judge;
 *            near 1.00 it is the limit), of the load generator (on this 2-core machine, near
 *            1.00 it is itself the limit of the rate) and of every other
 *            process of the machine (others: work that was not ours took
 *            cores from both sides, and the figures of that level are low);
 *            and the server's CPU microseconds per 2xx answer
 *   store    from the gateway's /metrics, over the whole level: transactions
 *            (one fsync each), messages per transaction (a JW301 and its
 *            JW302 count two), milliseconds per transaction, and the share of
 *            the time the store's thread was in a transaction (busy)
 *   peak RSS VmHWM of the gateway and of nginx after the last level
 * The targets are printed under the table, with what was measured against them.
 *
 * Usage: bench_relay [IJW_GATEWAY]; the default is the ijw-gateway of the same
 * build. Progress goes to standard error. Without /usr/sbin/nginx it says so
 * and exits 0. It exits 1 when the servers cannot be started or a level cannot
 * be run; the servers and the temporary folder are removed in any case.
 */
#define _XOPEN_SOURCE 700 /* nftw() */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "ijw_gen.h"
#include "tu.h"

#define WARMUP_SECONDS 1.0
#define MEASURE_SECONDS 5.0
#define DRAIN_SECONDS 30.0 /* the longest wait for the answers in flight */
#define START_SECONDS 20.0 /* the longest wait for a server to listen */
#define STOP_SECONDS 20.0  /* the longest wait for a server to stop */
/*
 * The pool holds enough messages for the gateway to take this many a second
 * through every level; a level that runs out says so.
 */
#define RATE_CEILING 6000.0
#define RESP_MAX 65536
#define MSG_MAX (1u << 20)
#define MAX_STATUSES 8
#define PATH_LEN 256 /* the paths in the temporary folder */

#define TARGET_CLIENTS 16
#define TARGET_RATE 2000.0
#define TARGET_P99_MS 50.0

#define NGINX "/usr/sbin/nginx"
#define GEMEENTE "0384"
#define AANBIEDER "42420001"

#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif
#ifndef BENCH_GATEWAY
#define BENCH_GATEWAY "ijw-gateway"
#endif

static const unsigned levels[] = {1, 16, 64};
#define NLEVELS (sizeof levels / sizeof levels[0])

enum { GATEWAY, NGINX_BASE, NSERVERS };
static const char *const server_name[NSERVERS] = {"gateway", "nginx"};

static volatile sig_atomic_t interrupted;

/* A whole HTTP request, head and body. */
struct request {
	char *data;
	size_t len;
};

struct pool {
	struct request *req;
	size_t n;
	size_t body_bytes;
	size_t next_new; /* the gateway's next message: each is sent to it once */
};

struct server {
	pid_t pid;
	unsigned port;
	char log[PATH_LEN];
	char label[PATH_LEN]; /* the gateway's path, nginx's version */
	char tls[128];        /* the protocol and cipher a client got */
	long hwm_kib;         /* VmHWM before it was stopped */
};

/* What one server did with one number of clients. */
struct run {
	unsigned clients;
	size_t done;         /* 2xx answers within the measured seconds */
	double seconds;      /* the measured seconds, as they were */
	uint32_t *lat;       /* the latencies of those, in microseconds */
	size_t nlat, caplat; /* their number and the room for them */
	double cpu_seconds;  /* the wall time over which the CPU seconds were taken */
	double client_cpu;   /* CPU seconds of this process in the measured seconds */
	double server_cpu;   /* ... of the server */
	double main_cpu;     /* ... of its first thread: the gateway's event loop */
	double other_cpu;    /* ... of all other processes of the machine */
	struct {
		int status;
		size_t n;
	} statuses[MAX_STATUSES]; /* every answer of the level, by status */
	size_t nstatuses;
	size_t other_statuses;    /* answers of statuses beyond MAX_STATUSES */
	size_t broken;            /* connections that broke and were made anew */
	size_t handshakes;        /* connections made, at the start included */
	bool exhausted;           /* the gateway got every message of the pool */
	char sample[240];         /* the start of the first non-2xx answer */
	double tx, msgs, store_s; /* the store's counters over the level (gateway) */
	double level_seconds;     /* the level, from the first request to the last answer */
	bool have_store;
	char error[512]; /* why the level could not be run, "" when it was */
};

/* A client's connection. */
struct conn {
	int fd;
	SSL *ssl;
	const struct request *req; /* the request in flight, NULL when none */
	double sent;               /* when it began to be written */
	bool writing;              /* it is not all written yet */
	uint32_t events;           /* what epoll waits for */
	size_t inlen;
	char in[RESP_MAX];
};

/* An answer, parsed. */
struct answer {
	int status;
	size_t head; /* bytes of the status line and headers */
	size_t body;
	bool close;
};

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* ---- processes and files ---- */

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/*
 * User and system CPU seconds of process pid: of all its threads, or of its
 * first thread only when first is true; -1 when unknown.
 */
static double
proc_cpu(pid_t pid, bool first)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime;
	size_t n;
	FILE *f;

	if (first)
		snprintf(path, sizeof path, "/proc/%ld/task/%ld/stat", (long)pid, (long)pid);
	else
		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the fields after the name, which may hold spaces: state is field 3 */
	if (!(p = strrchr(buf, ')')) ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
	           &stime) != 2)
		return -1;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds that all processes of the machine have used since it started. */
static double
machine_cpu(void)
{
	unsigned long long user, nice, system, irq, softirq;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	/* user nice system idle iowait irq softirq, in clock ticks */
	n = fscanf(f, "cpu %llu %llu %llu %*s %*s %llu %llu", &user, &nice, &system, &irq,
	           &softirq);
	fclose(f);
	if (n != 5)
		return 0;
	return (double)(user + nice + system + irq + softirq) / (double)sysconf(_SC_CLK_TCK);
}

/* A field of /proc/PID/status in KiB, -1 when unknown. */
static long
proc_status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, len) == 0 && line[len] == ':') {
			kib = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kib;
}

static const char *
fs_name(const char *path)
{
	static const struct {
		long magic;
		const char *name;
	} known[] = {
	        {0xEF53, "ext2/3/4"},  {0x58465342, "xfs"},     {0x9123683E, "btrfs"},
	        {0x01021994, "tmpfs"}, {0x794C7630, "overlay"}, {0x2FC12FC1, "zfs"},
	        {0x6969, "nfs"},       {0x65735546, "fuse"},
	};
	struct statfs st;

	if (statfs(path, &st) != 0)
		return "unknown";
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if ((long)st.f_type == known[i].magic)
			return known[i].name;
	return "other";
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

/* The last bytes of a log file, for an error message. */
static void
log_tail(const char *path, char *out, size_t size)
{
	size_t len = 0;
	char *all = tu_read(path, &len);
	size_t from = len > size - 1 ? len - (size - 1) : 0;

	snprintf(out, size, "%s", !all ? "(no log)" : len ? all + from : "(nothing in the log)");
	free(all);
}

/*
 * Starts argv[0] with standard output and error to log, stopped by SIGTERM if
 * this process dies. The pid, or -1.
 */
static pid_t
spawn(char *const argv[], const char *log)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) != 0)
		return pid;
	{
		int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (out < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
		    dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
			_exit(127);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], argv);
		_exit(127);
	}
}

/* Runs argv to its end: true when it exits 0. */
static bool
run_tool(char *const argv[], const char *log)
{
	pid_t pid = spawn(argv, log);
	int status;

	if (pid < 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Stops a server: SIGTERM, then SIGKILL after STOP_SECONDS. Keeps its VmHWM. */
static void
stop_server(struct server *s)
{
	double until = tu_now() + STOP_SECONDS;
	int status;

	if (s->pid <= 0)
		return;
	if (waitpid(s->pid, &status, WNOHANG) == 0) {
		s->hwm_kib = proc_status_kib(s->pid, "VmHWM");
		kill(s->pid, SIGTERM);
		while (waitpid(s->pid, &status, WNOHANG) == 0) {
			if (tu_now() > until) {
				kill(s->pid, SIGKILL);
				waitpid(s->pid, &status, 0);
				break;
			}
			usleep(10000);
		}
	}
	s->pid = -1;
}

static bool
alive(const struct server *s)
{
	int status;

	return s->pid > 0 && waitpid(s->pid, &status, WNOHANG) == 0;
}

/* ---- the gateway ---- */

/* The "port = N" line of an INI file. */
static bool
port_line(const char *line)
{
	if (strncmp(line, "port", 4) != 0)
		return false;
	line += 4;
	return line[strspn(line, " \t")] == '=';
}

/* pki init in dir/gw, then its gateway.ini with port = 0. */
static bool
make_pki(const char *gateway, const char *dir, char *err, size_t errlen)
{
	char pki[PATH_LEN], ini[PATH_LEN], log[PATH_LEN], *text, *line;
	char *argv[] = {(char *)gateway,
	                "pki",
	                "init",
	                pki,
	                "--party",
	                "gemeente:" GEMEENTE,
	                "--party",
	                "aanbieder:" AANBIEDER,
	                NULL};
	struct ijw_buf out;
	bool ok;

	snprintf(pki, sizeof pki, "%s/gw", dir);
	snprintf(ini, sizeof ini, "%s/gw/gateway.ini", dir);
	snprintf(log, sizeof log, "%s/pki.log", dir);
	if (!run_tool(argv, log)) {
		char tail[400];

		log_tail(log, tail, sizeof tail);
		snprintf(err, errlen, "%s pki init failed: %s", gateway, tail);
		return false;
	}
	if (!(text = tu_read(ini, NULL))) {
		snprintf(err, errlen, "%.200s: %s", ini, strerror(errno));
		return false;
	}
	ijw_buf_init(&out, 1u << 20);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		ijw_buf_addf(&out, "%s\n", port_line(line) ? "port = 0" : line);
	ok = out.len && write_file(ini, out.data, out.len);
	if (!ok)
		snprintf(err, errlen, "%s: cannot rewrite it with port = 0", ini);
	ijw_buf_free(&out);
	free(text);
	return ok;
}

/* The port of the daemon's "listening" line in its log, 0 while there is none. */
static unsigned
logged_port(const char *log)
{
	char *text = tu_read(log, NULL), *at;
	unsigned port = 0;

	if (text && (at = strstr(text, " info listening ")) && (at = strstr(at, " port=")))
		port = (unsigned)strtoul(at + 6, NULL, 10);
	free(text);
	return port;
}

static bool
start_gateway(struct server *s, const char *gateway, const char *dir, char *err, size_t errlen)
{
	char ini[PATH_LEN];
	char *argv[] = {(char *)gateway, "serve", "-c", ini, NULL};
	double until = tu_now() + START_SECONDS;

	snprintf(ini, sizeof ini, "%s/gw/gateway.ini", dir);
	snprintf(s->log, sizeof s->log, "%s/gateway.log", dir);
	if ((s->pid = spawn(argv, s->log)) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return false;
	}
	while (!(s->port = logged_port(s->log)) && alive(s) && tu_now() < until && !interrupted)
		usleep(20000);
	if (!s->port) {
		char tail[400];

		log_tail(s->log, tail, sizeof tail);
		snprintf(err, errlen, "the gateway did not start listening: %s", tail);
		return false;
	}
	snprintf(s->label, sizeof s->label, "%s", gateway);
	return true;
}

/* ---- nginx ---- */

/* A port that was free a moment ago, or 0. */
static unsigned
free_port(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unsigned port = 0;

	if (fd < 0)
		return 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static bool
accepts(unsigned port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
	                         .sin_port = htons((uint16_t)port),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool
start_nginx(struct server *s, const char *dir, char *err, size_t errlen)
{
	char conf[PATH_LEN], prefix[PATH_LEN];
	char *argv[] = {NGINX, "-p", prefix, "-c", conf, "-e", s->log, NULL};
	double until = tu_now() + START_SECONDS;
	struct ijw_buf b;
	bool ok;

	snprintf(prefix, sizeof prefix, "%s/nginx/", dir);
	snprintf(conf, sizeof conf, "%s/nginx/nginx.conf", dir);
	snprintf(s->log, sizeof s->log, "%s/nginx/error.log", dir);
	if (mkdir(prefix, 0700) != 0 || !(s->port = free_port())) {
		snprintf(err, errlen, "%.200s: %s", prefix, strerror(errno));
		return false;
	}
	ijw_buf_init(&b, 1u << 16);
	ijw_buf_addf(&b,
	             "daemon off;\n"
	             "master_process off;\n"
	             "worker_processes 1;\n"
	             "pid %1$s/nginx/nginx.pid;\n"
	             "error_log %1$s/nginx/error.log warn;\n"
	             "events { worker_connections 1024; }\n"
	             "http {\n"
	             "  access_log off;\n"
	             "  client_body_temp_path %1$s/nginx/body;\n"
	             "  proxy_temp_path %1$s/nginx/proxy;\n"
	             "  fastcgi_temp_path %1$s/nginx/fastcgi;\n"
	             "  uwsgi_temp_path %1$s/nginx/uwsgi;\n"
	             "  scgi_temp_path %1$s/nginx/scgi;\n"
	             "  keepalive_requests 100000000;\n"
	             "  keepalive_timeout 120s;\n"
	             "  client_max_body_size %2$u;\n"
	             "  client_body_buffer_size %2$u;\n"
	             "  default_type application/json;\n"
	             "  server {\n"
	             "    listen 127.0.0.1:%3$u ssl;\n"
	             "    ssl_certificate %1$s/gw/server.pem;\n"
	             "    ssl_certificate_key %1$s/gw/server.key;\n"
	             "    ssl_client_certificate %1$s/gw/ca.pem;\n"
	             "    ssl_verify_client on;\n"
	             "    ssl_protocols TLSv1.2 TLSv1.3;\n"
	             "    location / { return 202 '{\"id\":\"1\"}'; }\n"
	             "  }\n"
	             "}\n",
	             dir, MSG_MAX, s->port);
	ok = write_file(conf, b.data, b.len);
	ijw_buf_free(&b);
	if (!ok) {
		snprintf(err, errlen, "%.200s: %s", conf, strerror(errno));
		return false;
	}
	if ((s->pid = spawn(argv, s->log)) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return false;
	}
	while (!accepts(s->port) && alive(s) && tu_now() < until && !interrupted)
		usleep(20000);
	if (!alive(s) || !accepts(s->port)) {
		char tail[400];

		log_tail(s->log, tail, sizeof tail);
		snprintf(err, errlen, "nginx did not start listening on port %u: %s", s->port,
		         tail);
		return false;
	}
	return true;
}

/* "nginx/1.22.1", from nginx -v. */
static void
nginx_version(const char *dir, char *out, size_t size)
{
	char log[PATH_LEN], *text, *at, *end;
	char *argv[] = {NGINX, "-v", NULL};

	snprintf(log, sizeof log, "%s/nginx-version.log", dir);
	snprintf(out, size, "nginx");
	if (!run_tool(argv, log) || !(text = tu_read(log, NULL)))
		return;
	if ((at = strstr(text, "nginx/"))) {
		end = at + strcspn(at, " \r\n");
		snprintf(out, size, "%.*s", (int)(end - at), at);
	}
	free(text);
}

/* ---- the messages ---- */

static bool
make_pool(struct pool *p, size_t n, char *err, size_t errlen)
{
	struct ijw_gen_opts o = {.gemeente = GEMEENTE, .aanbieder = AANBIEDER};
	struct ijw_buf msg;
	ijw_rc rc = IJW_OK;

	if (!(p->req = calloc(n, sizeof *p->req))) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	ijw_buf_init(&msg, MSG_MAX);
	for (size_t i = 0; i < n && !rc && !interrupted; i++) {
		char head[256];
		int hlen;

		ijw_buf_reset(&msg);
		o.seed = i + 1;
		if ((rc = ijw_generate_opts(IJW_JW301, &o, &msg)))
			break;
		hlen = snprintf(head, sizeof head,
		                "POST /v1/berichten HTTP/1.1\r\nHost: localhost\r\n"
		                "Content-Type: application/xml\r\nContent-Length: %zu\r\n\r\n",
		                msg.len);
		if (!(p->req[i].data = malloc((size_t)hlen + msg.len))) {
			rc = IJW_ENOMEM;
			break;
		}
		memcpy(p->req[i].data, head, (size_t)hlen);
		memcpy(p->req[i].data + hlen, msg.data, msg.len);
		p->req[i].len = (size_t)hlen + msg.len;
		p->body_bytes += msg.len;
		p->n++;
	}
	ijw_buf_free(&msg);
	if (rc || p->n < n) {
		snprintf(err, errlen, "generating message %zu: %s", p->n + 1,
		         rc ? ijw_strerror(rc) : "interrupted");
		return false;
	}
	return true;
}

static void
free_pool(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->req[i].data);
	free(p->req);
}

/* ---- HTTP over TLS ---- */

/* The reason of the last TLS error, and the queue emptied. */
static const char *
tls_reason(void)
{
	const char *why = ERR_reason_error_string(ERR_peek_last_error());

	ERR_clear_error();
	return why ? why : "no reason given";
}

static SSL_CTX *
client_ctx(const char *dir, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char cert[PATH_LEN], key[PATH_LEN], ca[PATH_LEN];

	snprintf(cert, sizeof cert, "%s/gw/%s.pem", dir, GEMEENTE);
	snprintf(key, sizeof key, "%s/gw/%s.key", dir, GEMEENTE);
	snprintf(ca, sizeof ca, "%s/gw/ca.pem", dir);
	if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		snprintf(err, errlen, "the client's TLS context (%s): %s", cert, tls_reason());
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}

static void
conn_close(struct conn *c)
{
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	if (c->fd >= 0)
		close(c->fd);
	c->ssl = NULL;
	c->fd = -1;
	c->req = NULL;
	c->writing = false;
	c->inlen = 0;
}

/* A blocking connection and a full handshake to 127.0.0.1:port, as localhost. */
static bool
conn_open(struct conn *c, SSL_CTX *ctx, unsigned port, char *err, size_t errlen)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
	                         .sin_port = htons((uint16_t)port),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	c->ssl = NULL;
	c->req = NULL;
	c->writing = false;
	c->inlen = 0;
	if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(err, errlen, "connect to port %u: %s", port, strerror(errno));
		conn_close(c);
		return false;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
	if (!(c->ssl = SSL_new(ctx)) || SSL_set_fd(c->ssl, c->fd) != 1 ||
	    SSL_set_tlsext_host_name(c->ssl, "localhost") != 1 ||
	    SSL_set1_host(c->ssl, "localhost") != 1 || SSL_connect(c->ssl) != 1) {
		snprintf(err, errlen, "TLS handshake with port %u: %s", port, tls_reason());
		conn_close(c);
		return false;
	}
	return true;
}

static bool
set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

/* The value of header name in the head [h, end), or NULL. */
static const char *
header(const char *h, const char *end, const char *name)
{
	size_t len = strlen(name);

	for (const char *line = h; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			break;
		if ((size_t)(eol - line) > len && strncasecmp(line, name, len) == 0 &&
		    line[len] == ':')
			return line + len + 1;
		line = eol + 1;
	}
	return NULL;
}

/* 1: an answer is complete in buf; 0: not yet; -1: not an HTTP/1.1 answer we can read. */
static int
parse_answer(const char *buf, size_t len, struct answer *a)
{
	const char *end = NULL, *v;

	for (size_t i = 3; i < len && !end; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' &&
		    buf[i - 3] == '\r')
			end = buf + i + 1;
	if (!end)
		return 0;
	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ')
		return -1;
	a->status = (int)strtol(buf + 9, NULL, 10);
	a->head = (size_t)(end - buf);
	if (header(buf, end, "Transfer-Encoding") || !(v = header(buf, end, "Content-Length")))
		return -1;
	a->body = (size_t)strtoul(v, NULL, 10);
	v = header(buf, end, "Connection");
	a->close = v && strncasecmp(v + strspn(v, " "), "close", 5) == 0;
	if (len < a->head + a->body)
		return 0;
	return len == a->head + a->body ? 1 : -1;
}

/* GET path on a connection of its own: the answer's body in out, NUL-terminated. */
static bool
http_get(SSL_CTX *ctx, unsigned port, const char *path, char *out, size_t size, char *err,
         size_t errlen)
{
	struct conn *c = calloc(1, sizeof *c);
	char req[256];
	struct answer a;
	int n, pr = 0;
	bool ok = false;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	n = snprintf(req, sizeof req,
	             "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
	if (conn_open(c, ctx, port, err, errlen)) {
		if (SSL_write(c->ssl, req, n) == n)
			while ((pr = parse_answer(c->in, c->inlen, &a)) == 0 &&
			       c->inlen < sizeof c->in &&
			       (n = SSL_read(c->ssl, c->in + c->inlen,
			                     (int)(sizeof c->in - c->inlen))) > 0)
				c->inlen += (size_t)n;
		ok = pr == 1 && a.status == 200;
		if (ok)
			snprintf(out, size, "%.*s", (int)a.body, c->in + a.head);
		else
			snprintf(err, errlen, "GET %s: no answer with status 200", path);
	}
	conn_close(c);
	free(c);
	return ok;
}

static double
metric(const char *text, const char *name)
{
	const char *line = text;
	size_t len = strlen(name);

	while (line) {
		if (strncmp(line, name, len) == 0 && line[len] == ' ')
			return strtod(line + len + 1, NULL);
		if ((line = strchr(line, '\n')))
			line++;
	}
	return NAN;
}

/* The store's counters from the gateway's /metrics. */
static bool
store_counters(SSL_CTX *ctx, unsigned port, double *tx, double *msgs, double *secs)
{
	char *text = malloc(RESP_MAX), err[256];
	bool ok = text && http_get(ctx, port, "/metrics", text, RESP_MAX, err, sizeof err);

	if (ok) {
		*tx = metric(text, "ijw_store_transactions_total");
		*msgs = metric(text, "ijw_store_messages_total");
		*secs = metric(text, "ijw_store_seconds_total");
		ok = !isnan(*tx) && !isnan(*msgs) && !isnan(*secs);
	}
	free(text);
	return ok;
}

/* ---- a level: a number of clients against one server ---- */

struct level {
	struct run *r;
	struct pool *pool;
	bool once;   /* every message once (the gateway), or round and round */
	size_t next; /* the next message when round and round */
	int ep;      /* the epoll instance */
	SSL_CTX *ctx;
	unsigned port;
	size_t busy;      /* requests in flight */
	double warm, end; /* when the measured seconds begin and end */
};

static const struct request *
next_request(struct level *l)
{
	if (l->once)
		return l->pool->next_new < l->pool->n ? &l->pool->req[l->pool->next_new++] : NULL;
	return &l->pool->req[l->next++ % l->pool->n];
}

static bool
watch(struct level *l, struct conn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};

	if (c->events == events)
		return true;
	c->events = events;
	return epoll_ctl(l->ep, EPOLL_CTL_MOD, c->fd, &ev) == 0;
}

/* Writes the request in flight, or goes on writing it: false when the connection broke. */
static bool
write_request(struct level *l, struct conn *c)
{
	int n = SSL_write(c->ssl, c->req->data, (int)c->req->len);

	if (n > 0) {
		c->writing = false;
		return watch(l, c, EPOLLIN);
	}
	switch (SSL_get_error(c->ssl, n)) {
	case SSL_ERROR_WANT_WRITE:
		c->writing = true;
		return watch(l, c, EPOLLOUT);
	case SSL_ERROR_WANT_READ:
		c->writing = true;
		return watch(l, c, EPOLLIN);
	default:
		return false;
	}
}

/* Sends the client's next request while the sending time lasts. */
static bool
send_next(struct level *l, struct conn *c, double t)
{
	if (t >= l->end || interrupted)
		return true;
	if (!(c->req = next_request(l))) {
		l->r->exhausted = true;
		return true;
	}
	c->sent = tu_now();
	l->busy++;
	return write_request(l, c);
}

static void
count_status(struct run *r, int status)
{
	for (size_t i = 0; i < r->nstatuses; i++)
		if (r->statuses[i].status == status) {
			r->statuses[i].n++;
			return;
		}
	if (r->nstatuses == MAX_STATUSES) {
		r->other_statuses++;
		return;
	}
	r->statuses[r->nstatuses].status = status;
	r->statuses[r->nstatuses++].n = 1;
}

static bool
record(struct run *r, const struct level *l, const struct conn *c, const struct answer *a, double t)
{
	count_status(r, a->status);
	if (a->status < 200 || a->status > 299) {
		if (!r->sample[0]) {
			snprintf(r->sample, sizeof r->sample, "%d %.*s", a->status,
			         (int)(a->body < 200 ? a->body : 200), c->in + a->head);
			for (char *p = r->sample; *p; p++)
				if ((unsigned char)*p < ' ')
					*p = ' ';
		}
		return true;
	}
	if (t < l->warm || t >= l->end)
		return true;
	if (r->nlat == r->caplat) {
		size_t cap = r->caplat ? 2 * r->caplat : 4096;
		uint32_t *p = realloc(r->lat, cap * sizeof *p);

		if (!p)
			return false;
		r->lat = p;
		r->caplat = cap;
	}
	r->lat[r->nlat++] = (uint32_t)((t - c->sent) * 1e6 + 0.5);
	r->done++;
	return true;
}

/* A broken connection: made anew, and the client goes on. */
static bool
reconnect(struct level *l, struct conn *c, double t)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};

	if (c->req)
		l->busy--;
	l->r->broken++;
	conn_close(c);
	if (!conn_open(c, l->ctx, l->port, l->r->error, sizeof l->r->error) ||
	    !set_nonblocking(c->fd) || epoll_ctl(l->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		if (!l->r->error[0])
			snprintf(l->r->error, sizeof l->r->error, "cannot connect again");
		return false;
	}
	c->events = EPOLLIN;
	l->r->handshakes++;
	if (send_next(l, c, t))
		return true;
	snprintf(l->r->error, sizeof l->r->error, "a new connection broke at once");
	return false;
}

/* Reads what the server sent: false when the level cannot go on. */
static bool
on_readable(struct level *l, struct conn *c)
{
	struct answer a;

	for (;;) {
		int n = SSL_read(c->ssl, c->in + c->inlen, (int)(sizeof c->in - c->inlen));
		int pr;
		double t;

		if (n <= 0) {
			int e = SSL_get_error(c->ssl, n);

			if (e == SSL_ERROR_WANT_READ)
				return true;
			if (e == SSL_ERROR_WANT_WRITE)
				return watch(l, c, EPOLLIN | EPOLLOUT);
			return reconnect(l, c, tu_now());
		}
		c->inlen += (size_t)n;
		if ((pr = parse_answer(c->in, c->inlen, &a)) == 0 && c->inlen < sizeof c->in)
			continue;
		if (pr != 1 || !c->req) {
			snprintf(l->r->error, sizeof l->r->error, "%s: %.100s",
			         c->req ? "an answer that is not HTTP/1.1 with a Content-Length"
			                : "an answer to no request",
			         c->in);
			return false;
		}
		t = tu_now();
		if (!record(l->r, l, c, &a, t)) {
			snprintf(l->r->error, sizeof l->r->error, "out of memory");
			return false;
		}
		c->req = NULL;
		c->inlen = 0;
		l->busy--;
		if (a.close)
			return reconnect(l, c, t);
		return send_next(l, c, t) || reconnect(l, c, t);
	}
}

static bool
on_event(struct level *l, struct conn *c, uint32_t events)
{
	if (c->writing)
		return write_request(l, c) || reconnect(l, c, tu_now());
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		return on_readable(l, c);
	return watch(l, c, EPOLLIN);
}

/* Runs the clients against the server until the answers in flight are in. */
static void
drive(struct level *l, struct conn *conns, unsigned nconns, pid_t server)
{
	struct run *r = l->r;
	double t = tu_now(), cpu_at = 0, cpu0 = 0, srv0 = 0, main0 = 0, all0 = 0, drain_until = 0;
	enum { WARMING, MEASURING, DRAINING } phase = WARMING;

	l->warm = t + WARMUP_SECONDS;
	l->end = l->warm + MEASURE_SECONDS;
	for (unsigned i = 0; i < nconns; i++)
		if (!send_next(l, &conns[i], t) && !reconnect(l, &conns[i], t))
			return;
	while (!interrupted) {
		struct epoll_event ev[64];
		double next;
		int n;

		t = tu_now();
		if (phase == WARMING && t >= l->warm) {
			phase = MEASURING;
			cpu_at = t;
			cpu0 = self_cpu();
			srv0 = proc_cpu(server, false);
			main0 = proc_cpu(server, true);
			all0 = machine_cpu();
		}
		if (phase == MEASURING && (t >= l->end || (!l->busy && r->exhausted))) {
			phase = DRAINING;
			r->seconds = (t < l->end ? t : l->end) - l->warm;
			r->cpu_seconds = t - cpu_at;
			r->client_cpu = self_cpu() - cpu0;
			r->server_cpu = proc_cpu(server, false) - srv0;
			r->main_cpu = proc_cpu(server, true) - main0;
			r->other_cpu = machine_cpu() - all0 - r->server_cpu - r->client_cpu;
			drain_until = t + DRAIN_SECONDS;
		}
		if (!l->busy && (phase == DRAINING || r->exhausted))
			return;
		if (phase == DRAINING && t >= drain_until) {
			snprintf(r->error, sizeof r->error,
			         "%zu answers were still missing %.0f s after the measured seconds",
			         l->busy, DRAIN_SECONDS);
			return;
		}
		next = phase == WARMING ? l->warm : phase == MEASURING ? l->end : drain_until;
		n = epoll_wait(l->ep, ev, 64, (int)ceil((next - t) * 1000.0));
		if (n < 0 && errno != EINTR) {
			snprintf(r->error, sizeof r->error, "epoll_wait: %s", strerror(errno));
			return;
		}
		for (int i = 0; i < n; i++)
			if (!on_event(l, ev[i].data.ptr, ev[i].events))
				return;
	}
	snprintf(r->error, sizeof r->error, "interrupted");
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile p (0 < p <= 1) of the sorted latencies, in ms. */
static double
percentile(const struct run *r, double p)
{
	size_t rank = (size_t)ceil(p * (double)r->nlat);

	if (!r->nlat)
		return NAN;
	return (double)r->lat[rank ? rank - 1 : 0] / 1000.0;
}

static void
run_level(struct run *r, struct server *s, struct pool *pool, bool once, SSL_CTX *ctx)
{
	struct level l = {.r = r, .pool = pool, .once = once, .ctx = ctx, .port = s->port};
	struct conn *conns = calloc(r->clients, sizeof *conns);
	double tx0 = 0, msgs0 = 0, secs0 = 0;
	unsigned opened = 0;

	if (!conns || (l.ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		snprintf(r->error, sizeof r->error, "out of memory or epoll: %s", strerror(errno));
		free(conns);
		return;
	}
	r->have_store = once && store_counters(ctx, s->port, &tx0, &msgs0, &secs0);
	for (; opened < r->clients; opened++) {
		struct conn *c = &conns[opened];
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};

		if (!conn_open(c, ctx, s->port, r->error, sizeof r->error))
			break;
		c->events = EPOLLIN;
		r->handshakes++;
		if (!set_nonblocking(c->fd) || epoll_ctl(l.ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
			snprintf(r->error, sizeof r->error, "epoll: %s", strerror(errno));
			conn_close(c);
			break;
		}
		if (!s->tls[0])
			snprintf(s->tls, sizeof s->tls, "%s %s", SSL_get_version(c->ssl),
			         SSL_get_cipher_name(c->ssl));
	}
	if (opened == r->clients) {
		double t0 = tu_now();

		drive(&l, conns, r->clients, s->pid);
		r->level_seconds = tu_now() - t0;
	}
	for (unsigned i = 0; i < opened; i++)
		conn_close(&conns[i]);
	free(conns);
	close(l.ep);
	if (r->have_store) {
		double tx, msgs, secs;

		r->have_store = store_counters(ctx, s->port, &tx, &msgs, &secs);
		r->tx = tx - tx0;
		r->msgs = msgs - msgs0;
		r->store_s = secs - secs0;
	}
	qsort(r->lat, r->nlat, sizeof *r->lat, cmp_u32);
}

/* ---- output ---- */

static double
rate(const struct run *r)
{
	return r->seconds > 0 ? (double)r->done / r->seconds : 0;
}

static void
print_ms(double ms)
{
	if (isnan(ms))
		printf(" %8s", "-");
	else
		printf(" %8.2f", ms);
}

static void
print_table(struct run runs[NLEVELS][NSERVERS])
{
	printf("\n%7s | %10s %8s %8s | %10s %8s %8s | %8s\n", "clients", "gateway", "p50 ms",
	       "p99 ms", "nginx", "p50 ms", "p99 ms", "gw/nginx");
	printf("%7s | %10s %8s %8s | %10s %8s %8s |\n", "", "msgs/s", "", "", "msgs/s", "", "");
	for (size_t i = 0; i < NLEVELS; i++) {
		printf("%7u |", levels[i]);
		for (int s = 0; s < NSERVERS; s++) {
			const struct run *r = &runs[i][s];

			if (r->error[0]) {
				printf(" %10s %8s %8s |", "-", "-", "-");
				continue;
			}
			printf(" %10.1f", rate(r));
			print_ms(percentile(r, 0.50));
			print_ms(percentile(r, 0.99));
			printf(" |");
		}
		if (runs[i][GATEWAY].error[0] || runs[i][NGINX_BASE].error[0] ||
		    rate(&runs[i][NGINX_BASE]) <= 0)
			printf(" %8s\n", "-");
		else
			printf(" %8.3f\n", rate(&runs[i][GATEWAY]) / rate(&runs[i][NGINX_BASE]));
	}
}

/* CPU seconds per second of the measured seconds, and per 2xx answer in microseconds. */
static void
print_cpu_of(const struct run *r, bool loop)
{
	double secs = r->cpu_seconds;

	if (r->error[0] || secs <= 0) {
		printf(loop ? " %6s %6s %6s %6s %6s" : " %6s %6s %6s %6s", "-", "-", "-", "-", "-");
		return;
	}
	printf(" %6.2f", r->server_cpu / secs);
	if (loop)
		printf(" %6.2f", r->main_cpu / secs);
	printf(" %6.2f %6.2f", r->client_cpu / secs, r->other_cpu > 0 ? r->other_cpu / secs : 0);
	if (r->done)
		printf(" %6.0f", r->server_cpu * 1e6 / (double)r->done);
	else
		printf(" %6s", "-");
}

static void
print_cpu(struct run runs[NLEVELS][NSERVERS])
{
	printf("\ncpu in the measured seconds, CPU seconds per second (a core is 1.00): the "
	       "server (gw, ng),\nthe gateway's event loop thread (loop), the load generator "
	       "(gen), all other processes\nof the machine (others); and the server's CPU "
	       "microseconds per 2xx answer (us/msg):\n");
	printf("%7s | %6s %6s %6s %6s %6s | %6s %6s %6s %6s\n", "clients", "gw", "loop", "gen",
	       "others", "us/msg", "ng", "gen", "others", "us/msg");
	for (size_t i = 0; i < NLEVELS; i++) {
		printf("%7u |", levels[i]);
		print_cpu_of(&runs[i][GATEWAY], true);
		printf(" |");
		print_cpu_of(&runs[i][NGINX_BASE], false);
		printf("\n");
	}
}

static void
print_store(struct run runs[NLEVELS][NSERVERS])
{
	printf("\nthe gateway's store, from /metrics over each whole level (warm-up and the "
	       "answers in flight included):\n");
	printf("%7s | %12s %12s %12s %12s\n", "clients", "transactions", "msgs/tx", "ms/tx",
	       "busy");
	for (size_t i = 0; i < NLEVELS; i++) {
		const struct run *r = &runs[i][GATEWAY];

		if (!r->have_store || r->tx <= 0) {
			printf("%7u | %12s\n", levels[i], "-");
			continue;
		}
		printf("%7u | %12.0f %12.2f %12.3f %12.2f\n", levels[i], r->tx, r->msgs / r->tx,
		       r->store_s * 1e3 / r->tx, r->store_s / r->level_seconds);
	}
	printf("(msgs/tx counts each JW301 and the JW302 the gateway stores with it; busy is "
	       "the share of\nthe level's time the store's thread spent in transactions: near "
	       "1.00 the store is the limit)\n");
}

static void
print_answers(struct run runs[NLEVELS][NSERVERS])
{
	bool all_well = true;

	printf("\nanswers by status over each whole level, connections made (handshakes) and "
	       "broken:\n");
	for (size_t i = 0; i < NLEVELS; i++)
		for (int s = 0; s < NSERVERS; s++) {
			const struct run *r = &runs[i][s];

			printf("  %-7s %2u clients:", server_name[s], levels[i]);
			if (!r->nstatuses && !r->other_statuses)
				printf(" none");
			for (size_t k = 0; k < r->nstatuses; k++)
				printf(" %d x %zu", r->statuses[k].status, r->statuses[k].n);
			if (r->other_statuses)
				printf(" other statuses x %zu", r->other_statuses);
			printf("; %zu handshakes, %zu broken\n", r->handshakes, r->broken);
			if (r->sample[0])
				printf("          first non-2xx: %s\n", r->sample);
			if (r->exhausted)
				printf("          the gateway got every message of the pool: the "
				       "level ended early\n");
			if (r->error[0])
				printf("          not measured: %s\n", r->error);
			all_well = all_well && !r->sample[0] && !r->other_statuses && !r->broken &&
			           !r->exhausted && !r->error[0];
		}
	printf("%s\n", all_well ? "every answer was 2xx, no connection broke"
	                        : "NOT every answer was 2xx or a level did not run as planned: "
	                          "see above");
}

static void
print_targets(struct run runs[NLEVELS][NSERVERS])
{
	const struct run *r = NULL;

	for (size_t i = 0; i < NLEVELS; i++)
		if (levels[i] == TARGET_CLIENTS)
			r = &runs[i][GATEWAY];
	printf("\ntargets for the gateway with %d clients: at least %.0f msgs/s, p99 under %.0f "
	       "ms\n",
	       TARGET_CLIENTS, TARGET_RATE, TARGET_P99_MS);
	if (!r || r->error[0]) {
		printf("  not measured\n");
		return;
	}
	printf("  rate %.1f msgs/s: %s\n", rate(r), rate(r) >= TARGET_RATE ? "met" : "MISSED");
	printf("  p99  %.2f ms: %s\n", percentile(r, 0.99),
	       percentile(r, 0.99) < TARGET_P99_MS ? "met" : "MISSED");
}

/* ---- main ---- */

int
main(int argc, char **argv)
{
	const char *gateway = argc > 1 ? argv[1] : BENCH_GATEWAY;
	char dir[] = "/var/tmp/bench_relay.XXXXXX", err[1024] = "";
	struct server srv[NSERVERS] = {{.pid = -1}, {.pid = -1}};
	struct run runs[NLEVELS][NSERVERS] = {0};
	struct pool pool = {0};
	struct sigaction sa = {.sa_handler = on_signal};
	SSL_CTX *ctx = NULL;
	size_t npool = 0;
	double t0;
	int status = 1;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: bench_relay [IJW_GATEWAY]\n");
		return 2;
	}
	if (access(NGINX, X_OK) != 0) {
		printf("bench_relay: %s is missing, so there is no baseline to measure the gateway "
		       "against:\nnothing was measured. Install it with: apt-get install nginx "
		       "(make bench does,\nas root)\n",
		       NGINX);
		return 0;
	}
	if (access(gateway, X_OK) != 0) {
		fprintf(stderr, "bench_relay: %s: %s\n", gateway, strerror(errno));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_relay: mkdtemp %s: %s\n", dir, strerror(errno));
		return 1;
	}

	fprintf(stderr, "bench_relay: starting the gateway and nginx in %s ...\n", dir);
	if (!make_pki(gateway, dir, err, sizeof err) ||
	    !start_gateway(&srv[GATEWAY], gateway, dir, err, sizeof err) ||
	    !start_nginx(&srv[NGINX_BASE], dir, err, sizeof err) ||
	    !(ctx = client_ctx(dir, err, sizeof err)))
		goto out;
	nginx_version(dir, srv[NGINX_BASE].label, sizeof srv[NGINX_BASE].label);
	for (size_t i = 0; i < NLEVELS; i++)
		npool += (size_t)(RATE_CEILING * (WARMUP_SECONDS + MEASURE_SECONDS)) + levels[i];
	fprintf(stderr, "bench_relay: generating %zu JW301 messages ...\n", npool);
	t0 = tu_now();
	if (!make_pool(&pool, npool, err, sizeof err))
		goto out;
	t0 = tu_now() - t0;

	for (size_t i = 0; i < NLEVELS && !interrupted; i++)
		for (int s = 0; s < NSERVERS && !interrupted; s++) {
			struct run *r = &runs[i][s];

			r->clients = levels[i];
			fprintf(stderr, "bench_relay: %s, %u clients ...\n", server_name[s],
			        levels[i]);
			if (!alive(&srv[s])) {
				char tail[300];

				log_tail(srv[s].log, tail, sizeof tail);
				snprintf(r->error, sizeof r->error,
				         "the server is no longer running; its log ends: %s", tail);
				continue;
			}
			run_level(r, &srv[s], &pool, s == GATEWAY, ctx);
		}
	if (interrupted) {
		snprintf(err, sizeof err, "interrupted");
		goto out;
	}
	for (int s = 0; s < NSERVERS; s++)
		stop_server(&srv[s]);

	printf("ijw-gateway relay benchmark (%s build, %s)\n\n", BENCH_BUILDTYPE,
	       OpenSSL_version(OPENSSL_VERSION));
	printf("gateway  %s serve, the configuration of pki init with port = 0\n",
	       srv[GATEWAY].label);
	printf("         store %s/gw/gateway.db on %s%s\n", dir, fs_name(dir),
	       strcmp(fs_name(dir), "tmpfs") == 0 ? ": fsync costs nothing there" : "");
	printf("baseline %s, one process (master_process off), return 202 '{\"id\":\"1\"}' to "
	       "every request\n",
	       srv[NGINX_BASE].label);
	printf("TLS      %s (gateway), %s (nginx); client certificate of %s, "
	       "keep-alive\n",
	       srv[GATEWAY].tls, srv[NGINX_BASE].tls, GEMEENTE);
	printf("messages %zu JW301 (ijw_generate_opts, gemeente %s, aanbieder %s, seeds 1-%zu), "
	       "%.1f KiB on\n         average, made in %.1f s; each goes to the gateway once, "
	       "nginx gets them again\n",
	       pool.n, GEMEENTE, AANBIEDER, pool.n,
	       (double)pool.body_bytes / 1024.0 / (double)pool.n, t0);
	printf("load     this process, one thread (epoll + OpenSSL), one connection per client; "
	       "each level\n         %.0f s warm-up, then %.0f s measured, per server, in turn\n",
	       WARMUP_SECONDS, MEASURE_SECONDS);
	print_table(runs);
	print_cpu(runs);
	print_store(runs);
	printf("\npeak RSS (VmHWM):");
	for (int s = 0; s < NSERVERS; s++) {
		if (srv[s].hwm_kib > 0)
			printf(" %s %.1f MiB", server_name[s], (double)srv[s].hwm_kib / 1024.0);
		else
			printf(" %s -", server_name[s]);
		printf(s + 1 < NSERVERS ? "," : "\n");
	}
	print_answers(runs);
	print_targets(runs);
	status = 0;
	for (size_t i = 0; i < NLEVELS; i++)
		for (int s = 0; s < NSERVERS; s++)
			if (runs[i][s].error[0])
				status = 1;
out:
	if (err[0])
		fprintf(stderr, "bench_relay: %s\n", err);
	for (int s = 0; s < NSERVERS; s++)
		stop_server(&srv[s]);
	SSL_CTX_free(ctx);
	for (size_t i = 0; i < NLEVELS; i++)
		for (int s = 0; s < NSERVERS; s++)
			free(runs[i][s].lat);
	free_pool(&pool);
	remove_tree(dir);
	return status;
}
