/*
 * bench_relay.c: how many messages a second the gateway takes in, and how
 * fast it answers, on SQLite and on PostgreSQL, against what plain libxml2
 * does with the same messages on one core.
 *
 * The baseline comes first, measured in this process on one thread: the
 * bodies of the requests below parsed with xmlReadMemory and validated with
 * xmlSchemaValidateDoc against the project's JW301.xsd (schemas/ijw/3.2, the
 * schema built into the gateway) compiled once, as bench_validate's "libxml2
 * loop" does (bench_xsd.h); the best of BASELINE_RUNS runs of
 * BASELINE_SECONDS. It is what a core does when it does nothing but read a
 * message and check it against its schema.
 *
 * Then the servers, each in turn: started, measured at each number of
 * clients, stopped.
 *   nginx           Debian's nginx (/usr/sbin/nginx) with a configuration of
 *                   its own: one process (master_process off), the gateway's
 *                   server certificate and key, ssl_verify_client on with the
 *                   same CA, and `return 202 '{"id":"1"}'` for every request:
 *                   TLS and HTTP and nothing else
 *   gateway sqlite  the real daemon (`serve`) on the configuration that
 *                   `ijw-gateway pki init` makes in a temporary folder under
 *                   /var/tmp (a disk, not tmpfs, so that the store's fsyncs
 *                   cost what they cost), with port = 0: the port, and the
 *                   number of threads that judge (`workers`), are read from
 *                   the daemon's "listening" log line; the store is the SQLite
 *                   file of that configuration
 *   gateway pg      the same configuration with store = a database of its own
 *                   on the PostgreSQL server of $IJW_TEST_PG and instance = a
 *   gateway pg x2   two daemons on one more database of their own, with
 *                   instance = a and instance = b (the second configuration
 *                   file a copy of the first, in the same folder), the clients
 *                   split evenly over their two ports; not with 1 client
 * IJW_TEST_PG is the URL of a superuser of a PostgreSQL server, as
 * `tests/with-pg COMMAND` sets it for COMMAND (a throw-away server);
 * bench_relay makes its databases there with psql (CREATE DATABASE) and
 * drops them at the end. Without it the PostgreSQL servers are not measured,
 * and the output says why. A server that does not start is reported with the
 * end of its log, and the benchmark goes on with the next one.
 *
 * The requests are POST /v1/berichten with a JW301 from gemeente 0384 to
 * aanbieder 42420001, made in advance with ijw_generate_opts() from seeds
 * 1, 2, 3, ..., so that each has its own BerichtIdentificatie: the gateway
 * judges every one, stores it durably and, as aanbieder 42420001 lets the
 * gateway answer for it (`retour = auto` in the configuration pki init writes),
 * stores the JW302 it makes in the same transaction. Its cross_checks are off,
 * as in the other benchmarks: the generated JW301s name requests
 * (ReferentieAanbieder) that never came, which the cross-message rules would
 * refuse; the ledger is still written. Every store gets each message once;
 * nginx gets them round and round.
 *
 * The load generator is this process: one thread, epoll and OpenSSL, one
 * keep-alive TLS connection per client, each with 0384's client certificate,
 * each sending its next request as soon as the answer to the last one is in.
 * For each number of clients (1, 16, 64) the clients connect (full
 * handshakes, untimed), send for WARMUP_SECONDS (not counted), then for
 * MEASURE_SECONDS (counted), then wait for the answers in flight.
 *
 * How to read the output:
 *   msgs/s    2xx answers that arrived within the measured seconds, per second
 *             (higher is better); anything else is listed under "answers"
 *   p50 p99   latency of those answers in milliseconds, from writing the
 *             request to having read the whole answer (lower is better)
 *   x libxml2 the rate as a share of the plain libxml2 rate (1.00: as many
 *             messages a second as one core validates when that is all it
 *             does): what TLS, HTTP, the rules, storing durably and answering
 *             leave of it, on every core of the machine
 *   x nginx   the rate as a share of nginx's with as many clients: what
 *             judging, storing and answering cost over TLS and HTTP
 *   pg/sqlite the rate of gateway pg as a share of gateway sqlite's
 *   cpu       CPU seconds per second of wall time in the measured seconds, of
 *             the server (both daemons of gateway pg x2), of the busiest
 *             gateway event loop (a daemon's first thread, which does TLS,
 *             HTTP and answering, while the judging threads judge; near 1.00
 *             it is the limit), of the load generator (on a 2-core machine,
 *             near 1.00 it is itself the limit of the rate),
 *             of the PostgreSQL server (its postmaster and every process
 *             under it) and of every other process of the machine (others:
 *             work that was not ours took cores, and the figures of that level
 *             are low); and the CPU microseconds per 2xx answer of the server
 *             and of PostgreSQL
 *   store     from each daemon's /metrics, over the whole level: transactions
 *             (one fsync or commit each), messages per transaction (a JW301
 *             and its JW302 count two), milliseconds per transaction, and the
 *             share of the time a store's thread was in a transaction (busy;
 *             the mean of both daemons of gateway pg x2)
 *   peak RSS  VmHWM of each server process when it was stopped
 * The machine's load average is printed at the start and at the end: the
 * figures depend on it. The targets, printed under the table with what was
 * measured against them, met or not met (the exit status does not depend on
 * them), with 16 clients: gateway sqlite at least 0.35 of the plain libxml2
 * rate with p99 under 20 ms, and gateway pg at least 0.6 of gateway sqlite's
 * rate.
 *
 * Usage: bench_relay [IJW_GATEWAY]; the default is the ijw-gateway of the same
 * build. Progress goes to standard error. It exits 0 whenever the
 * measurement ran, whatever the figures and whether every server started;
 * 1 when there is nothing to measure with (pki init, the messages, the client
 * or the baseline failed). The servers, the databases and the temporary folder
 * are removed in any case.
 */
#define _XOPEN_SOURCE 700 /* nftw() */

#include <ctype.h>
#include <dirent.h>
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
#include <libxml/parser.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "bench_xsd.h"
#include "ijw_gen.h"
#include "tu.h"

#define BASELINE_RUNS 3
#define BASELINE_SECONDS 1.0
#define WARMUP_SECONDS 1.0
#define MEASURE_SECONDS 5.0
#define DRAIN_SECONDS 30.0 /* the longest wait for the answers in flight */
#define START_SECONDS 20.0 /* the longest wait for a server to listen */
#define STOP_SECONDS 20.0  /* the longest wait for a server to stop */
/*
 * The pool holds enough messages for a gateway to take this many a second
 * through every level; a level that runs out says so.
 */
#define RATE_CEILING 6000.0
#define RESP_MAX 65536
#define MSG_MAX (1u << 20)
#define MAX_STATUSES 8
#define PATH_LEN 256 /* the paths in the temporary folder, and the stores */

#define TARGET_CLIENTS 16
#define TARGET_SHARE 0.35   /* gateway sqlite, of the plain libxml2 rate */
#define TARGET_P99_MS 20.0  /* gateway sqlite */
#define TARGET_PG_SHARE 0.6 /* gateway pg, of gateway sqlite's rate */

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

#define MAX_INSTANCES 2
static const char *const instance_name[MAX_INSTANCES] = {"a", "b"};

enum kind { NGINX_SERVER, SQLITE_GATEWAY, PG_GATEWAY };
enum { NGINX_ROW, SQLITE_ROW, PG_ROW, PG2_ROW, NROWS };

static volatile sig_atomic_t interrupted;

/* A whole HTTP request, head and body. */
struct request {
	char *data;
	size_t len;
	size_t head; /* the bytes before the body */
};

struct pool {
	struct request *req;
	size_t n;
	size_t body_bytes;
};

struct server {
	pid_t pid;
	unsigned port;
	unsigned workers; /* a gateway's, from its "listening" line; 0 when not there */
	char log[PATH_LEN];
	char label[PATH_LEN]; /* nginx's version */
	char tls[128];        /* the protocol and cipher a client got */
	long hwm_kib;         /* VmHWM before it was stopped */
};

/* A server as the benchmark measures it: nginx, or one or two gateways on one store. */
struct row {
	const char *name;
	const char *tag; /* in the names of its files and database */
	enum kind kind;
	unsigned ninstances;
	struct server srv[MAX_INSTANCES];
	size_t next_new;      /* a store's next message: each goes to it once */
	char store[PATH_LEN]; /* a gateway's store, as its configuration names it */
	char db[64];          /* its PostgreSQL database, "" when none was made */
	char error[512];      /* why it was not measured, "" when it was */
};

/* What one row did with one number of clients; clients is 0 when it did not run. */
struct run {
	unsigned clients;
	size_t done;         /* 2xx answers within the measured seconds */
	double seconds;      /* the measured seconds, as they were */
	uint32_t *lat;       /* the latencies of those, in microseconds */
	size_t nlat, caplat; /* their number and the room for them */
	double cpu_seconds;  /* the wall time over which the CPU seconds were taken */
	double client_cpu;   /* CPU seconds of this process in the measured seconds */
	double server_cpu;   /* ... of the server's processes */
	double main_cpu;     /* ... of the busiest gateway's first thread: its event loop */
	double pg_cpu;       /* ... of the PostgreSQL server, -1 when not taken */
	double other_cpu;    /* ... of all other processes of the machine */
	struct {
		int status;
		size_t n;
	} statuses[MAX_STATUSES]; /* every answer of the level, by status */
	size_t nstatuses;
	size_t other_statuses;    /* answers of statuses beyond MAX_STATUSES */
	size_t broken;            /* connections that broke and were made anew */
	size_t handshakes;        /* connections made, at the start included */
	bool exhausted;           /* the store got every message of the pool */
	char sample[240];         /* the start of the first non-2xx answer */
	double tx, msgs, store_s; /* the store's counters over the level (a gateway) */
	double level_seconds;     /* the level, from the first request to the last answer */
	bool have_store;
	char error[512]; /* why the level could not be run, "" when it was */
};

/* A client's connection. */
struct conn {
	int fd;
	SSL *ssl;
	unsigned port;             /* the server's */
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
 * first thread only when first is true; -1 when unknown. Its parent's pid in
 * *ppid when ppid is not NULL.
 */
static double
proc_cpu(pid_t pid, bool first, pid_t *ppid)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime;
	int parent;
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
	    sscanf(p + 1, " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &parent, &utime,
	           &stime) != 3)
		return -1;
	if (ppid)
		*ppid = (pid_t)parent;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/*
 * CPU seconds of a PostgreSQL server: of its postmaster and every process it
 * started (the backends of the connections, the checkpointer, the WAL
 * writer, ...) that is still there.
 */
static double
pg_cpu(pid_t postmaster)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	double sum = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		pid_t pid, ppid = 0;
		double cpu;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if ((cpu = proc_cpu(pid, false, &ppid)) >= 0 &&
		    (pid == postmaster || ppid == postmaster))
			sum += cpu;
	}
	closedir(d);
	return sum;
}

/* The load average of the last 1, 5 and 15 minutes, "-" when unknown. */
static void
load_average(char *out, size_t size)
{
	double l1, l5, l15;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f && fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3)
		snprintf(out, size, "%.2f %.2f %.2f", l1, l5, l15);
	else
		snprintf(out, size, "-");
	if (f)
		fclose(f);
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

/* The last bytes of a log file, for an error message, without the last line's end. */
static void
log_tail(const char *path, char *out, size_t size)
{
	size_t len = 0;
	char *all = tu_read(path, &len);
	size_t from;

	while (all && len && (all[len - 1] == '\n' || all[len - 1] == '\r'))
		all[--len] = '\0';
	from = len > size - 1 ? len - (size - 1) : 0;
	snprintf(out, size, "%s", !all ? "(no log)" : len ? all + from : "(nothing in the log)");
	free(all);
}

/*
 * Starts argv[0] (looked up in PATH when it has no slash) with standard
 * output and error to log, stopped by SIGTERM if this process dies. The pid,
 * or -1.
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
		execvp(argv[0], argv);
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

/* A "name = value" line of an INI file. */
static bool
setting_line(const char *line, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(line, name, len) != 0)
		return false;
	line += len;
	return line[strspn(line, " \t")] == '=';
}

/* pki init in dir/gw: the text of the gateway.ini it wrote, or NULL. */
static char *
make_pki(const char *gateway, const char *dir, char *err, size_t errlen)
{
	char pki[PATH_LEN], ini[PATH_LEN], log[PATH_LEN], *text;
	char *argv[] = {(char *)gateway,
	                "pki",
	                "init",
	                pki,
	                "--party",
	                "gemeente:" GEMEENTE,
	                "--party",
	                "aanbieder:" AANBIEDER,
	                NULL};

	snprintf(pki, sizeof pki, "%s/gw", dir);
	snprintf(ini, sizeof ini, "%s/gw/gateway.ini", dir);
	snprintf(log, sizeof log, "%s/pki.log", dir);
	if (!run_tool(argv, log)) {
		char tail[400];

		log_tail(log, tail, sizeof tail);
		snprintf(err, errlen, "%s pki init failed: %s", gateway, tail);
		return NULL;
	}
	if (!(text = tu_read(ini, NULL)))
		snprintf(err, errlen, "%.200s: %s", ini, strerror(errno));
	return text;
}

/*
 * Writes pki init's configuration (text) to path with port = 0, with
 * cross_checks = off for the aanbieder, and with store and instance in place
 * of its store when store is not NULL.
 */
static bool
write_ini(const char *text, const char *path, const char *store, const char *instance, char *err,
          size_t errlen)
{
	static const char party[] = "[party " AANBIEDER "]";
	const char *line = text;
	struct ijw_buf out;
	bool stored = !store, ok;

	ijw_buf_init(&out, 1u << 20);
	while (*line) {
		size_t len = strcspn(line, "\n");

		if (setting_line(line, "port")) {
			ijw_buf_addf(&out, "port = 0\n");
		} else if (store && setting_line(line, "store")) {
			ijw_buf_addf(&out, "store = %s\ninstance = %s\n", store, instance);
			stored = true;
		} else {
			ijw_buf_addf(&out, "%.*s\n", (int)len, line);
			if (len == sizeof party - 1 && strncmp(line, party, len) == 0)
				ijw_buf_addf(&out, "cross_checks = off\n");
		}
		line += len + (line[len] == '\n');
	}
	ok = stored && out.len && write_file(path, out.data, out.len);
	ijw_buf_free(&out);
	if (!ok)
		snprintf(err, errlen, "%.200s: cannot be written%s", path,
		         stored ? "" : " (no store line in the configuration of pki init)");
	return ok;
}

/* The number name= of the daemon's "listening" line in its log, 0 while there is none. */
static unsigned
listening(const char *log, const char *name)
{
	char *text = tu_read(log, NULL), *at, key[32];
	unsigned n = 0;

	snprintf(key, sizeof key, " %s=", name);
	if (text && (at = strstr(text, " info listening ")) && (at = strstr(at, key)))
		n = (unsigned)strtoul(at + strlen(key), NULL, 10);
	free(text);
	return n;
}

static bool
start_gateway(struct server *s, const char *gateway, const char *ini, const char *log, char *err,
              size_t errlen)
{
	char *argv[] = {(char *)gateway, "serve", "-c", (char *)ini, NULL};
	double until = tu_now() + START_SECONDS;

	snprintf(s->log, sizeof s->log, "%s", log);
	if ((s->pid = spawn(argv, s->log)) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return false;
	}
	while (!(s->port = listening(s->log, "port")) && alive(s) && tu_now() < until &&
	       !interrupted)
		usleep(20000);
	if (!s->port) {
		char tail[400];

		log_tail(s->log, tail, sizeof tail);
		snprintf(err, errlen, "%s did not start listening: %s", ini, tail);
		return false;
	}
	s->workers = listening(s->log, "workers");
	return true;
}

/* ---- PostgreSQL ---- */

/* Runs one SQL command with psql on the server of url: true when it succeeded. */
static bool
psql(const char *url, const char *sql, const char *log)
{
	char *argv[] = {"psql", "-XAtq", "-d", (char *)url, "-c", (char *)sql, NULL};

	return run_tool(argv, log);
}

/* url with the database db in place of its own, in out. */
static bool
db_url(const char *url, const char *db, char *out, size_t size)
{
	const char *host = strstr(url, "://");
	const char *slash = host ? strchr(host + 3, '/') : NULL;
	const char *query = slash ? strchr(slash, '?') : NULL;
	size_t base = slash ? (size_t)(slash - url) : strlen(url);
	int n = snprintf(out, size, "%.*s/%s%s", (int)base, url, db, query ? query : "");

	return n > 0 && (size_t)n < size;
}

/*
 * The postmaster of the server of url: the first line of postmaster.pid in
 * the data directory it reports. -1, and why in err, when it cannot be found.
 */
static pid_t
postmaster(const char *url, const char *dir, char *err, size_t errlen)
{
	char log[PATH_LEN], pidfile[PATH_LEN + 32], *text, *pid = NULL;
	long n = -1;

	snprintf(log, sizeof log, "%s/data-directory.log", dir);
	if (!psql(url, "SHOW data_directory", log) || !(text = tu_read(log, NULL))) {
		snprintf(err, errlen, "psql cannot ask the server for its data directory");
		return -1;
	}
	text[strcspn(text, "\n")] = '\0';
	snprintf(pidfile, sizeof pidfile, "%.*s/postmaster.pid", PATH_LEN, text);
	if ((pid = tu_read(pidfile, NULL)))
		n = strtol(pid, NULL, 10);
	if (n <= 0)
		snprintf(err, errlen, "%s: %s", pidfile, pid ? "no pid" : strerror(errno));
	free(pid);
	free(text);
	return n > 0 ? (pid_t)n : -1;
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
		p->req[i].head = (size_t)hlen;
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

/*
 * The plain libxml2 rate of the bodies of the pool with the schema xsd, in
 * messages a second: the best of BASELINE_RUNS runs, on this thread. 0, and
 * why in err, when a body is not valid or the schema cannot be compiled.
 */
static double
baseline_rate(const struct pool *p, const char *xsd, char *err, size_t errlen)
{
	struct bench_xsd *x = bench_xsd_new(xsd);
	double best = 0;
	size_t next = 0;

	if (!x) {
		snprintf(err, errlen, "%.200s: libxml2 cannot compile it", xsd);
		return 0;
	}
	for (int run = 0; run < BASELINE_RUNS && !interrupted; run++) {
		double start = tu_now(), t;
		size_t n = 0;

		do {
			const struct request *q = &p->req[next];

			if (!bench_xsd_valid(x, q->data + q->head, q->len - q->head)) {
				snprintf(err, errlen,
				         "plain libxml2 finds JW301 message %zu not valid against "
				         "%.200s",
				         next + 1, xsd);
				bench_xsd_free(x);
				return 0;
			}
			next = (next + 1) % p->n;
			n++;
		} while ((t = tu_now() - start) < BASELINE_SECONDS);
		if ((double)n / t > best)
			best = (double)n / t;
	}
	bench_xsd_free(x);
	return best;
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
	c->port = port;
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

/* ---- a level: a number of clients against one row ---- */

struct level {
	struct run *r;
	struct row *row;
	const struct pool *pool;
	size_t next; /* the next message for nginx, round and round */
	int ep;      /* the epoll instance */
	SSL_CTX *ctx;
	pid_t postmaster; /* PostgreSQL's, whose CPU is taken; -1 for none */
	size_t busy;      /* requests in flight */
	double warm, end; /* when the measured seconds begin and end */
};

/* CPU seconds used so far, by whom. */
struct cpu {
	double self, server, loop[MAX_INSTANCES], pg, all;
};

static void
cpu_now(const struct level *l, struct cpu *c)
{
	const struct row *w = l->row;

	c->self = self_cpu();
	c->server = 0;
	for (unsigned i = 0; i < w->ninstances; i++) {
		c->server += proc_cpu(w->srv[i].pid, false, NULL);
		c->loop[i] = proc_cpu(w->srv[i].pid, true, NULL);
	}
	c->pg = l->postmaster > 0 ? pg_cpu(l->postmaster) : -1;
	c->all = machine_cpu();
}

/* The CPU seconds of the measured seconds, from c0 at their start to now. */
static void
cpu_since(const struct level *l, const struct cpu *c0, struct run *r)
{
	struct cpu c1;

	cpu_now(l, &c1);
	r->client_cpu = c1.self - c0->self;
	r->server_cpu = c1.server - c0->server;
	r->main_cpu = 0;
	for (unsigned i = 0; i < l->row->ninstances; i++)
		if (c1.loop[i] - c0->loop[i] > r->main_cpu)
			r->main_cpu = c1.loop[i] - c0->loop[i];
	r->pg_cpu = c0->pg >= 0 && c1.pg >= 0 ? c1.pg - c0->pg : -1;
	r->other_cpu =
	        c1.all - c0->all - r->server_cpu - r->client_cpu - (r->pg_cpu > 0 ? r->pg_cpu : 0);
}

static const struct request *
next_request(struct level *l)
{
	if (l->row->kind == NGINX_SERVER)
		return &l->pool->req[l->next++ % l->pool->n];
	return l->row->next_new < l->pool->n ? &l->pool->req[l->row->next_new++] : NULL;
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
	if (!conn_open(c, l->ctx, c->port, l->r->error, sizeof l->r->error) ||
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
drive(struct level *l, struct conn *conns, unsigned nconns)
{
	struct run *r = l->r;
	struct cpu cpu0 = {0};
	double t = tu_now(), cpu_at = 0, drain_until = 0;
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
			cpu_now(l, &cpu0);
		}
		if (phase == MEASURING && (t >= l->end || (!l->busy && r->exhausted))) {
			phase = DRAINING;
			r->seconds = (t < l->end ? t : l->end) - l->warm;
			r->cpu_seconds = t - cpu_at;
			cpu_since(l, &cpu0, r);
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

/* The store's counters summed over the gateways of the row. */
static bool
row_store_counters(SSL_CTX *ctx, const struct row *w, double *tx, double *msgs, double *secs)
{
	*tx = *msgs = *secs = 0;
	for (unsigned i = 0; i < w->ninstances; i++) {
		double t, m, sec;

		if (!store_counters(ctx, w->srv[i].port, &t, &m, &sec))
			return false;
		*tx += t;
		*msgs += m;
		*secs += sec;
	}
	return true;
}

/* r->clients clients against the row, split evenly over its servers. */
static void
run_level(struct run *r, struct row *w, const struct pool *pool, SSL_CTX *ctx, pid_t pg)
{
	struct level l = {.r = r, .row = w, .pool = pool, .ctx = ctx, .postmaster = pg};
	struct conn *conns = calloc(r->clients, sizeof *conns);
	bool gateway = w->kind != NGINX_SERVER;
	double tx0 = 0, msgs0 = 0, secs0 = 0;
	unsigned opened = 0;

	if (!conns || (l.ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		snprintf(r->error, sizeof r->error, "out of memory or epoll: %s", strerror(errno));
		free(conns);
		return;
	}
	r->have_store = gateway && row_store_counters(ctx, w, &tx0, &msgs0, &secs0);
	for (; opened < r->clients; opened++) {
		struct conn *c = &conns[opened];
		struct server *s = &w->srv[opened % w->ninstances];
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

		drive(&l, conns, r->clients);
		r->level_seconds = tu_now() - t0;
	}
	for (unsigned i = 0; i < opened; i++)
		conn_close(&conns[i]);
	free(conns);
	close(l.ep);
	if (r->have_store) {
		double tx, msgs, secs;

		r->have_store = row_store_counters(ctx, w, &tx, &msgs, &secs);
		r->tx = tx - tx0;
		r->msgs = msgs - msgs0;
		r->store_s = secs - secs0;
	}
	qsort(r->lat, r->nlat, sizeof *r->lat, cmp_u32);
}

/* ---- a row: its servers started and stopped ---- */

/* Starts the servers of row w (the index k of rows[]); why not in w->error. */
static bool
start_row(struct row *w, int k, const char *gateway, const char *dir, const char *ini_text,
          const char *pg_url)
{
	char ini[PATH_LEN], log[PATH_LEN + 32], sql[128];
	char *err = w->error;
	size_t errlen = sizeof w->error;

	switch (w->kind) {
	case NGINX_SERVER:
		if (access(NGINX, X_OK) != 0) {
			snprintf(err, errlen,
			         "%s is missing: apt-get install nginx (make bench does, as root)",
			         NGINX);
			return false;
		}
		if (!start_nginx(&w->srv[0], dir, err, errlen))
			return false;
		nginx_version(dir, w->srv[0].label, sizeof w->srv[0].label);
		return true;
	case SQLITE_GATEWAY:
		snprintf(w->store, sizeof w->store, "%s/gw/gateway.db", dir);
		snprintf(ini, sizeof ini, "%s/gw/gateway.ini", dir);
		snprintf(log, sizeof log, "%s/gateway-%s.log", dir, w->tag);
		return write_ini(ini_text, ini, NULL, NULL, err, errlen) &&
		       start_gateway(&w->srv[0], gateway, ini, log, err, errlen);
	case PG_GATEWAY:
		if (!pg_url) {
			snprintf(err, errlen,
			         "IJW_TEST_PG is not set: run it as tests/with-pg bench_relay, "
			         "which sets it to a throw-away PostgreSQL server");
			return false;
		}
		snprintf(log, sizeof log, "%s/psql.log", dir);
		snprintf(w->db, sizeof w->db, "ijw_bench_%ld_%d", (long)getpid(), k);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", w->db);
		if (!db_url(pg_url, w->db, w->store, sizeof w->store) || !psql(pg_url, sql, log)) {
			char tail[400];

			log_tail(log, tail, sizeof tail);
			snprintf(err, errlen, "psql: %s failed: %.300s", sql, tail);
			w->db[0] = '\0';
			return false;
		}
		for (unsigned i = 0; i < w->ninstances; i++) {
			snprintf(ini, sizeof ini, "%s/gw/gateway-%s-%s.ini", dir, w->tag,
			         instance_name[i]);
			snprintf(log, sizeof log, "%s/gateway-%s-%s.log", dir, w->tag,
			         instance_name[i]);
			if (!write_ini(ini_text, ini, w->store, instance_name[i], err, errlen) ||
			    !start_gateway(&w->srv[i], gateway, ini, log, err, errlen))
				return false;
		}
		return true;
	}
	return false;
}

/* Stops the servers of the row, keeping their VmHWM, and drops its database. */
static void
stop_row(struct row *w, const char *dir, const char *pg_url)
{
	for (unsigned i = 0; i < w->ninstances; i++)
		stop_server(&w->srv[i]);
	if (w->db[0]) {
		char sql[128], log[PATH_LEN];

		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", w->db);
		snprintf(log, sizeof log, "%s/psql.log", dir);
		if (!psql(pg_url, sql, log))
			fprintf(stderr, "bench_relay: psql: %s failed\n", sql);
		w->db[0] = '\0';
	}
}

/* ---- output ---- */

static double
rate(const struct run *r)
{
	return r->seconds > 0 ? (double)r->done / r->seconds : 0;
}

/* a's rate as a share of b's, NAN when either was not measured. */
static double
share(const struct run *a, const struct run *b)
{
	if (!a->clients || !b->clients || a->error[0] || b->error[0] || rate(b) <= 0)
		return NAN;
	return rate(a) / rate(b);
}

static void
print_num(const char *fmt, int width, double x)
{
	if (isnan(x) || x < 0)
		printf(" %*s", width, "-");
	else
		printf(fmt, x);
}

static void
print_table(struct run runs[NLEVELS][NROWS], const struct row *rows, double baseline)
{
	printf("\n%-14s %7s | %10s %8s %8s | %9s %7s\n", "server", "clients", "msgs/s", "p50 ms",
	       "p99 ms", "x libxml2", "x nginx");
	for (int k = 0; k < NROWS; k++) {
		if (rows[k].error[0]) {
			printf("%-14s %7s | not measured (below)\n", rows[k].name, "-");
			continue;
		}
		for (size_t i = 0; i < NLEVELS; i++) {
			const struct run *r = &runs[i][k];

			if (!r->clients)
				continue;
			printf("%-14s %7u |", rows[k].name, r->clients);
			if (r->error[0]) {
				printf(" %10s %8s %8s | %9s %7s\n", "-", "-", "-", "-", "-");
				continue;
			}
			printf(" %10.1f", rate(r));
			print_num(" %8.2f", 8, percentile(r, 0.50));
			print_num(" %8.2f", 8, percentile(r, 0.99));
			printf(" | %9.3f", rate(r) / baseline);
			print_num(" %7.3f", 7, share(r, &runs[i][NGINX_ROW]));
			printf("\n");
		}
	}
	printf("\npg/sqlite, the rate of gateway pg as a share of gateway sqlite's:");
	for (size_t i = 0; i < NLEVELS; i++) {
		printf(" %u clients", levels[i]);
		print_num(" %.3f", 1, share(&runs[i][PG_ROW], &runs[i][SQLITE_ROW]));
		printf(i + 1 < NLEVELS ? "," : "\n");
	}
	for (int k = 0; k < NROWS; k++)
		if (rows[k].error[0])
			printf("%s not measured: %s\n", rows[k].name, rows[k].error);
}

static void
print_cpu(struct run runs[NLEVELS][NROWS], const struct row *rows)
{
	printf("\ncpu in the measured seconds, CPU seconds per second (a core is 1.00): the "
	       "server (srv; both\ndaemons of gateway pg x2), the busiest gateway event loop "
	       "thread (loop), the load generator\n(gen), the PostgreSQL server (pg), all other "
	       "processes of the machine (others); and CPU\nmicroseconds per 2xx answer of the "
	       "server (us/msg) and of PostgreSQL (pg us/msg):\n");
	printf("%-14s %7s | %6s %6s %6s %6s %6s | %6s %9s\n", "server", "clients", "srv", "loop",
	       "gen", "pg", "others", "us/msg", "pg us/msg");
	for (int k = 0; k < NROWS; k++)
		for (size_t i = 0; i < NLEVELS; i++) {
			const struct run *r = &runs[i][k];
			double secs = r->cpu_seconds;

			if (!r->clients)
				continue;
			printf("%-14s %7u |", rows[k].name, r->clients);
			if (r->error[0] || secs <= 0) {
				printf(" %6s %6s %6s %6s %6s | %6s %9s\n", "-", "-", "-", "-", "-",
				       "-", "-");
				continue;
			}
			printf(" %6.2f", r->server_cpu / secs);
			print_num(" %6.2f", 6,
			          rows[k].kind == NGINX_SERVER ? NAN : r->main_cpu / secs);
			printf(" %6.2f", r->client_cpu / secs);
			print_num(" %6.2f", 6, r->pg_cpu < 0 ? NAN : r->pg_cpu / secs);
			printf(" %6.2f |", r->other_cpu > 0 ? r->other_cpu / secs : 0);
			print_num(" %6.0f", 6,
			          r->done ? r->server_cpu * 1e6 / (double)r->done : NAN);
			print_num(" %9.0f", 9,
			          r->done && r->pg_cpu >= 0 ? r->pg_cpu * 1e6 / (double)r->done
			                                    : NAN);
			printf("\n");
		}
}

static void
print_store(struct run runs[NLEVELS][NROWS], const struct row *rows)
{
	printf("\nthe gateways' stores, from /metrics over each whole level (warm-up and the "
	       "answers in flight\nincluded; gateway pg x2: both daemons):\n");
	printf("%-14s %7s | %12s %12s %12s %12s\n", "server", "clients", "transactions", "msgs/tx",
	       "ms/tx", "busy");
	for (int k = 0; k < NROWS; k++)
		for (size_t i = 0; i < NLEVELS; i++) {
			const struct run *r = &runs[i][k];

			if (rows[k].kind == NGINX_SERVER || !r->clients)
				continue;
			printf("%-14s %7u |", rows[k].name, r->clients);
			if (!r->have_store || r->tx <= 0) {
				printf(" %12s\n", "-");
				continue;
			}
			printf(" %12.0f %12.2f %12.3f %12.2f\n", r->tx, r->msgs / r->tx,
			       r->store_s * 1e3 / r->tx,
			       r->store_s / r->level_seconds / rows[k].ninstances);
		}
	printf("(msgs/tx counts each JW301 and the JW302 the gateway stores with it; busy is "
	       "the share of\nthe level's time a store's thread spent in transactions: near "
	       "1.00 the store is the limit)\n");
}

static void
print_memory(const struct row *rows)
{
	printf("\npeak RSS (VmHWM) of each server process when it was stopped:\n");
	for (int k = 0; k < NROWS; k++) {
		printf("  %-14s", rows[k].name);
		if (rows[k].error[0]) {
			printf(" not measured\n");
			continue;
		}
		for (unsigned i = 0; i < rows[k].ninstances; i++) {
			long kib = rows[k].srv[i].hwm_kib;

			printf(i ? " +" : "");
			print_num(" %5.1f", 5, kib > 0 ? (double)kib / 1024.0 : NAN);
		}
		printf(" MiB\n");
	}
}

static void
print_answers(struct run runs[NLEVELS][NROWS], const struct row *rows)
{
	bool all_well = true;

	printf("\nanswers by status over each whole level, connections made (handshakes) and "
	       "broken:\n");
	for (int k = 0; k < NROWS; k++)
		for (size_t i = 0; i < NLEVELS; i++) {
			const struct run *r = &runs[i][k];

			if (!r->clients)
				continue;
			printf("  %-14s %2u clients:", rows[k].name, r->clients);
			if (!r->nstatuses && !r->other_statuses)
				printf(" none");
			for (size_t n = 0; n < r->nstatuses; n++)
				printf(" %d x %zu", r->statuses[n].status, r->statuses[n].n);
			if (r->other_statuses)
				printf(" other statuses x %zu", r->other_statuses);
			printf("; %zu handshakes, %zu broken\n", r->handshakes, r->broken);
			if (r->sample[0])
				printf("          first non-2xx: %s\n", r->sample);
			if (r->exhausted)
				printf("          the store got every message of the pool: the "
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

/* A gateway's workers, as its "listening" line names them ("?" when it does not). */
static const char *
workers(const struct server *s, char *buf, size_t size)
{
	if (s->workers)
		snprintf(buf, size, "%u", s->workers);
	else
		snprintf(buf, size, "?");
	return buf;
}

/* The run of row k at TARGET_CLIENTS, NULL when it was not measured. */
static const struct run *
at_target(struct run runs[NLEVELS][NROWS], int k)
{
	for (size_t i = 0; i < NLEVELS; i++)
		if (runs[i][k].clients == TARGET_CLIENTS && !runs[i][k].error[0])
			return &runs[i][k];
	return NULL;
}

static const char *
met(bool ok)
{
	return ok ? "met" : "not met";
}

static void
print_targets(struct run runs[NLEVELS][NROWS], const struct row *rows, double baseline)
{
	const struct run *sq = at_target(runs, SQLITE_ROW), *pg = at_target(runs, PG_ROW);
	char w[16];

	printf("\ntargets with %d clients:\n", TARGET_CLIENTS);
	printf("  gateway sqlite (workers %s) at least %.2f of the plain libxml2 rate: ",
	       workers(&rows[SQLITE_ROW].srv[0], w, sizeof w), TARGET_SHARE);
	if (sq)
		printf("%.3f (%.1f of %.1f msgs/s): %s\n", rate(sq) / baseline, rate(sq), baseline,
		       met(rate(sq) / baseline >= TARGET_SHARE));
	else
		printf("not measured\n");
	printf("  gateway sqlite p99 under %.0f ms: ", TARGET_P99_MS);
	if (sq)
		printf("%.2f ms: %s\n", percentile(sq, 0.99),
		       met(percentile(sq, 0.99) < TARGET_P99_MS));
	else
		printf("not measured\n");
	printf("  gateway pg (one instance) at least %.2f of gateway sqlite's rate: ",
	       TARGET_PG_SHARE);
	if (sq && pg && rate(sq) > 0)
		printf("%.3f (%.1f of %.1f msgs/s): %s\n", rate(pg) / rate(sq), rate(pg), rate(sq),
		       met(rate(pg) / rate(sq) >= TARGET_PG_SHARE));
	else
		printf("not measured\n");
}

/* The lines that say what was measured, above the table. */
static void
print_setup(const struct row *rows, const char *dir, const char *gateway, const char *xsd,
            double baseline, const struct pool *pool, double gen_seconds, const char *pg_url,
            pid_t pg, const char *pg_why)
{
	const struct row *nx = &rows[NGINX_ROW], *sq = &rows[SQLITE_ROW];
	const struct row *one = &rows[PG_ROW], *pg2 = &rows[PG2_ROW];
	char w[2][16];

	printf("baseline       plain libxml2 on one core, in this process: xmlReadMemory + "
	       "xmlSchemaValidateDoc\n               of the JW301 bodies below with %s\n"
	       "               compiled once: %.1f msgs/s (the best of %d runs of %.0f s)\n",
	       xsd, baseline, BASELINE_RUNS, BASELINE_SECONDS);
	printf("nginx          %s, one process (master_process off), return 202 "
	       "'{\"id\":\"1\"}' to\n               every request\n",
	       nx->error[0] ? "not measured" : nx->srv[0].label);
	printf("gateway sqlite %s serve on the configuration of pki init\n"
	       "               with port = 0 and cross_checks = off for %s; workers %s; store\n"
	       "               %s on %s%s\n",
	       gateway, AANBIEDER, workers(&sq->srv[0], w[0], sizeof w[0]), sq->store, fs_name(dir),
	       strcmp(fs_name(dir), "tmpfs") == 0 ? ": fsync costs nothing there" : "");
	printf("gateway pg     the same with store = a database of its own and instance = a; "
	       "workers %s;\n               store %s\n",
	       workers(&one->srv[0], w[0], sizeof w[0]), one->store[0] ? one->store : "-");
	printf("gateway pg x2  two daemons, instance = a and b, the clients split evenly over "
	       "them; workers\n               %s and %s; store %s\n",
	       workers(&pg2->srv[0], w[0], sizeof w[0]), workers(&pg2->srv[1], w[1], sizeof w[1]),
	       pg2->store[0] ? pg2->store : "-");
	if (!pg_url)
		printf("PostgreSQL     none: IJW_TEST_PG is not set\n");
	else if (pg > 0)
		printf("PostgreSQL     %s (IJW_TEST_PG), postmaster %ld\n", pg_url, (long)pg);
	else
		printf("PostgreSQL     %s (IJW_TEST_PG); its CPU is not taken: %s\n", pg_url,
		       pg_why);
	printf("TLS            %s; client certificate of %s, keep-alive\n",
	       sq->srv[0].tls[0] ? sq->srv[0].tls : nx->srv[0].tls, GEMEENTE);
	printf("messages       %zu JW301 (ijw_generate_opts, gemeente %s, aanbieder %s,\n"
	       "               seeds 1-%zu), %.1f KiB on average, made in %.1f s; each store "
	       "gets each\n               message once, nginx gets them round and round\n",
	       pool->n, GEMEENTE, AANBIEDER, pool->n,
	       (double)pool->body_bytes / 1024.0 / (double)pool->n, gen_seconds);
	printf("load           this process, one thread (epoll + OpenSSL), one connection per "
	       "client; each\n               level %.0f s warm-up, then %.0f s measured; the "
	       "servers in turn\n",
	       WARMUP_SECONDS, MEASURE_SECONDS);
}

/* ---- main ---- */

int
main(int argc, char **argv)
{
	const char *gateway = argc > 1 ? argv[1] : BENCH_GATEWAY;
	const char *pg_url = getenv("IJW_TEST_PG");
	char dir[] = "/var/tmp/bench_relay.XXXXXX", err[1024] = "", pg_why[512] = "";
	char xsd[PATH_LEN], load0[64], load1[64], *ini_text = NULL;
	struct row rows[NROWS] = {
	        {.name = "nginx", .tag = "nginx", .kind = NGINX_SERVER, .ninstances = 1},
	        {.name = "gateway sqlite",
	         .tag = "sqlite",
	         .kind = SQLITE_GATEWAY,
	         .ninstances = 1},
	        {.name = "gateway pg", .tag = "pg", .kind = PG_GATEWAY, .ninstances = 1},
	        {.name = "gateway pg x2", .tag = "pg2", .kind = PG_GATEWAY, .ninstances = 2},
	};
	struct run runs[NLEVELS][NROWS] = {0};
	struct pool pool = {0};
	struct sigaction sa = {.sa_handler = on_signal};
	SSL_CTX *ctx = NULL;
	pid_t pg = -1;
	size_t npool = 0;
	double gen_seconds, baseline = 0;
	int status = 1;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: bench_relay [IJW_GATEWAY]\n");
		return 2;
	}
	if (access(gateway, X_OK) != 0) {
		fprintf(stderr, "bench_relay: %s: %s\n", gateway, strerror(errno));
		return 1;
	}
	if (pg_url && !*pg_url)
		pg_url = NULL;
	for (int k = 0; k < NROWS; k++)
		for (unsigned i = 0; i < MAX_INSTANCES; i++)
			rows[k].srv[i].pid = -1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	load_average(load0, sizeof load0);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_relay: mkdtemp %s: %s\n", dir, strerror(errno));
		return 1;
	}

	fprintf(stderr, "bench_relay: a PKI in %s ...\n", dir);
	if (!(ini_text = make_pki(gateway, dir, err, sizeof err)) ||
	    !(ctx = client_ctx(dir, err, sizeof err)))
		goto out;
	for (size_t i = 0; i < NLEVELS; i++)
		npool += (size_t)(RATE_CEILING * (WARMUP_SECONDS + MEASURE_SECONDS)) + levels[i];
	fprintf(stderr, "bench_relay: generating %zu JW301 messages ...\n", npool);
	gen_seconds = tu_now();
	if (!make_pool(&pool, npool, err, sizeof err))
		goto out;
	gen_seconds = tu_now() - gen_seconds;
	fprintf(stderr, "bench_relay: the plain libxml2 rate ...\n");
	snprintf(xsd, sizeof xsd, "%s/schemas/ijw/3.2/JW301.xsd", tu_source_dir());
	if (!(baseline = baseline_rate(&pool, xsd, err, sizeof err)) && !err[0])
		snprintf(err, sizeof err, "interrupted");
	if (!baseline)
		goto out;
	if (pg_url)
		pg = postmaster(pg_url, dir, pg_why, sizeof pg_why);

	for (int k = 0; k < NROWS && !interrupted; k++) {
		struct row *w = &rows[k];

		fprintf(stderr, "bench_relay: starting %s ...\n", w->name);
		if (start_row(w, k, gateway, dir, ini_text, pg_url))
			for (size_t i = 0; i < NLEVELS && !interrupted; i++) {
				struct run *r = &runs[i][k];

				if (levels[i] < w->ninstances)
					continue;
				r->clients = levels[i];
				r->pg_cpu = -1;
				fprintf(stderr, "bench_relay: %s, %u clients ...\n", w->name,
				        levels[i]);
				for (unsigned n = 0; n < w->ninstances && !r->error[0]; n++)
					if (!alive(&w->srv[n])) {
						char tail[300];

						log_tail(w->srv[n].log, tail, sizeof tail);
						snprintf(r->error, sizeof r->error,
						         "the server is no longer running; its log "
						         "ends: %s",
						         tail);
					}
				if (!r->error[0])
					run_level(r, w, &pool, ctx,
					          w->kind == PG_GATEWAY ? pg : -1);
			}
		else
			fprintf(stderr, "bench_relay: %s not measured: %s\n", w->name, w->error);
		stop_row(w, dir, pg_url);
	}
	if (interrupted) {
		snprintf(err, sizeof err, "interrupted");
		goto out;
	}
	load_average(load1, sizeof load1);

	printf("ijw-gateway relay benchmark (%s build, %s, libxml2 %s)\n", BENCH_BUILDTYPE,
	       OpenSSL_version(OPENSSL_VERSION), xmlParserVersion);
	printf("machine        %ld cores; load average %s at the start, %s at the end\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN), load0, load1);
	print_setup(rows, dir, gateway, xsd, baseline, &pool, gen_seconds, pg_url, pg, pg_why);
	print_table(runs, rows, baseline);
	print_cpu(runs, rows);
	print_store(runs, rows);
	print_memory(rows);
	print_answers(runs, rows);
	print_targets(runs, rows, baseline);
	status = 0;
out:
	if (err[0])
		fprintf(stderr, "bench_relay: %s\n", err);
	for (int k = 0; k < NROWS; k++)
		stop_row(&rows[k], dir, pg_url);
	SSL_CTX_free(ctx);
	for (size_t i = 0; i < NLEVELS; i++)
		for (int k = 0; k < NROWS; k++)
			free(runs[i][k].lat);
	free_pool(&pool);
	free(ini_text);
	remove_tree(dir);
	return status;
}
