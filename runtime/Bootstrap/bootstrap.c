/*
 * runcs bootstrap stage.
 *
 * Why this is C: a .NET process has several threads before Main runs, and the
 * kernel refuses setns(CLONE_NEWUSER), unshare(CLONE_NEWUSER), setns into a
 * time namespace and (with a shared fs struct) setns into a mount namespace
 * for a multi-threaded process. This constructor runs before the .NET runtime
 * starts, while the process still has exactly one thread.
 *
 * It acts only when the environment names a bootstrap socket
 * (_RUNCS_BOOTSTRAP=<fd>); otherwise it returns at once and runcs is an
 * ordinary command-line program.
 *
 * Its whole job (see shared/design/ARCHITECTURE.md):
 *   1. read one message from the parent (text lines, see parse_message);
 *   2. join namespaces (a pidfd for exec, or paths for create; user first),
 *      unshare the user namespace and let the parent write the id maps, then
 *      unshare the others and write time-namespace offsets;
 *   3. fork with CLONE_PARENT so the child is inside the new PID namespace and
 *      is the runtime's own child; report the child's pid; exit;
 *   4. in the child: check every expected namespace identity, then return so
 *      the .NET runtime starts inside the target namespaces.
 * Every error goes to the parent as "error <text>" and ends the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/sched.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

#define MAX_MESSAGE (256 * 1024)
#define MAX_ITEMS 16
#define MAX_FILES 64 /* files attached to the bootstrap message */
#define NS_MAX_LATE 4  /* net, ipc, uts, mnt */

struct ns_kind {
	const char *name; /* the name under /proc/<pid>/ns */
	int flag;
};

/* user first: joining it grants the capabilities the other joins need. */
static const struct ns_kind ns_kinds[] = {
	{"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC},	      {"uts", CLONE_NEWUTS},
	{"net", CLONE_NEWNET},	 {"pid", CLONE_NEWPID},	      {"cgroup", CLONE_NEWCGROUP},
	{"time", CLONE_NEWTIME}, {"mnt", CLONE_NEWNS},
};
#define NS_KINDS ((int)(sizeof(ns_kinds) / sizeof(ns_kinds[0])))

struct join_item {
	int kind; /* index into ns_kinds */
	char *path;
	int fd;
};

struct expect_item {
	int kind;
	unsigned long long dev, ino;
};

struct bootstrap {
	int pidfd;	    /* exec: init's pidfd, or -1 */
	int pidfd_flags;    /* exec: CLONE_NEW* to join through the pidfd */
	int unshare_flags;  /* create: namespaces to make */
	int late_flags;     /* create: namespaces to make after the fork (directive "late") */
	int want_usermap;   /* parent writes uid_map/gid_map after unshare(user) */
	int hold;	    /* only hold the new namespaces open for the parent (no child) */
	int cgroup_fd;	    /* a cgroup2 directory: clone3(CLONE_INTO_CGROUP) places the child */
	int task_fds[MAX_ITEMS]; /* cgroup v1 "tasks" files: the child writes "0" (itself) */
	int ntask_fds;
	int cgroups_later;  /* ask the parent for the placement files (directive "cgroups") */
	int defer_cgroupns; /* exec: join init's cgroup namespace only in the child (see below) */
	int cgroupns_fd;    /* create: a cgroup namespace path to join in the child, or -1 */
	int files[MAX_FILES]; /* attached to the message (SCM_RIGHTS), close-on-exec */
	int nfiles;
	int file_targets[MAX_FILES]; /* directive "fd": where each goes, or -1 */
	struct join_item joins[MAX_ITEMS];
	int njoins;
	struct expect_item expects[MAX_ITEMS];
	int nexpects;
	char timens[256];   /* lines for /proc/self/timens_offsets */
};

static int sync_fd = -1;

static void send_text(const char *text)
{
	/* SOCK_SEQPACKET: one write is one message. */
	ssize_t n;
	do {
		n = write(sync_fd, text, strlen(text));
	} while (n < 0 && errno == EINTR);
}

/* Report "error <what>: <ERRNO>" (errno optional) and end this process. */
static void __attribute__((noreturn, format(printf, 2, 3))) bail(int err, const char *fmt, ...)
{
	char buf[1024];
	int off = snprintf(buf, sizeof(buf), "error ");
	va_list ap;
	va_start(ap, fmt);
	off += vsnprintf(buf + off, sizeof(buf) - off, fmt, ap);
	va_end(ap);
	if (err != 0 && off < (int)sizeof(buf)) {
		const char *name = strerrorname_np(err);
		snprintf(buf + off, sizeof(buf) - off, ": %s", name ? name : "unknown error");
	}
	send_text(buf);
	_exit(1);
}

/* One message with files attached (SCM_RIGHTS). */
static int send_with_fds(const char *text, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * NS_MAX_LATE)];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = (void *)text, .iov_len = strlen(text)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds > 0) {
		memset(&control, 0, sizeof(control));
		mh.msg_control = control.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	ssize_t n;
	do {
		n = sendmsg(sync_fd, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

static int kind_by_name(const char *name)
{
	for (int i = 0; i < NS_KINDS; i++)
		if (strcmp(ns_kinds[i].name, name) == 0)
			return i;
	return -1;
}

static int count_threads(void)
{
	/* Field 20 of /proc/self/stat; the command name (field 2) may hold spaces. */
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	int field = 2, threads = -1;
	for (p++; *p && field < 20; p++)
		if (*p == ' ' && ++field == 20)
			threads = atoi(p + 1);
	return threads;
}

/*
 * One message and the files attached to it (SCM_RIGHTS, received close-on-exec), at most
 * max of them; -1 with errno set, or 0 at end of stream. A message or file list that did not
 * fit is an error: nothing is ever acted on half.
 */
static ssize_t receive_with_fds(char *text, size_t size, int *fds, int max, int *nfds, const char *what)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_FILES)];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = text, .iov_len = size};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof(control.buf)};
	ssize_t n;
	do {
		n = recvmsg(sync_fd, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	*nfds = 0;
	if (n <= 0)
		return n;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (count > max - *nfds)
			bail(0, "bootstrap: %s carries more than %d files", what, max);
		for (int i = 0; i < count; i++)
			memcpy(&fds[(*nfds)++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		bail(0, "bootstrap: %s truncated (at most %d files)", what, max);
	return n;
}

/*
 * Each attached file to its target number, without close-on-exec. First every file is
 * moved above all targets: a file received at one target's number must not be closed
 * by the dup2 of another file onto it.
 */
static void place_files(struct bootstrap *b)
{
	int floor = sync_fd + 1;
	for (int i = 0; i < b->nfiles; i++)
		if (b->file_targets[i] >= floor)
			floor = b->file_targets[i] + 1;
	for (int i = 0; i < b->nfiles; i++) {
		int moved = fcntl(b->files[i], F_DUPFD_CLOEXEC, floor);
		if (moved < 0)
			bail(errno, "bootstrap: move an attached file");
		close(b->files[i]);
		b->files[i] = moved;
	}
	for (int i = 0; i < b->nfiles; i++) {
		if (b->file_targets[i] >= 0 && dup2(b->files[i], b->file_targets[i]) < 0)
			bail(errno, "bootstrap: place an attached file at fd %d", b->file_targets[i]);
		close(b->files[i]);
	}
	b->nfiles = 0;
}

/*
 * The message is text, one directive a line, after a "runcs-bootstrap 1" header:
 *   fd <i> <target>                attached file i goes to fd number <target>, inherited by
 *                                  the child (done first, so other directives may name it)
 *   pidfd <fd> <flags>             setns(fd, flags) (exec: one call for all types)
 *   join <kind> <path>             setns(open(path), kind) (create: config "path")
 *   unshare <flags>                namespaces to create
 *   late <flags>                   namespaces (net, ipc, uts, mnt) to create after the fork,
 *                                  here, while the child's runtime starts; their files go to
 *                                  the parent ("ns <name> <i>" lines, attached) for the child
 *                                  to enter first thing. Why not before: creating them takes
 *                                  ~0.7 ms that the child's start (~2 ms) can hide, and a
 *                                  multi-threaded process may enter these four (setns; for
 *                                  mnt after unshare(CLONE_FS)). User, pid and time
 *                                  namespaces are never late: the child must start in them.
 *   usermap                        ask the parent to write the id maps after unshare(user)
 *   hold                           after the maps, say "held" and wait until the parent
 *                                  closes the socket (or kills us): the parent opens our
 *                                  /proc/PID/ns/user (a user namespace for an id-mapped mount)
 *   timens <clock> <secs> <nsecs>  an offset for the new time namespace
 *   expect <kind> <dev> <ino>      the child must be in exactly this namespace
 *   cgroups                        once the namespaces exist, say "cgroups" and read one
 *                                  message of placement lines whose files come with it
 *                                  (SCM_RIGHTS; <i> indexes them). Why later: the parent
 *                                  makes the container's cgroups while this process is
 *                                  exec'd and unshares, instead of before it is spawned:
 *     cgroupfd <i>                 a cgroup2 directory: the child is born in it (clone3
 *                                  CLONE_INTO_CGROUP); "pid N cgroup" tells the parent it worked
 *     cgtasks <i>                  a cgroup v1 "tasks" file: the child moves itself there
 *
 * Why the child places itself: migrating another process (writing its pid to
 * cgroup.procs) takes the cgroup threadgroup lock for writing, which waits for an
 * RCU grace period (~10 ms here). A single-threaded process moving itself through
 * "tasks" with "0", or born in its cgroup, takes no such lock. Both are checked
 * against the credentials the parent opened the files with.
 */
static void parse_message(char *msg, struct bootstrap *b)
{
	char *save = NULL;
	for (char *line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char word[32], kind[32], clock[32];
		int a, c;
		long long secs;
		unsigned long nsecs;
		unsigned long long dev, ino;
		if (sscanf(line, "%31s", word) != 1)
			continue;
		if (strcmp(word, "runcs-bootstrap") == 0) {
			/* the header: a message is never empty, even with nothing to do */
		} else if (strcmp(word, "fd") == 0 && sscanf(line, "fd %d %d", &a, &c) == 2) {
			if (a < 0 || a >= b->nfiles || c <= sync_fd || b->file_targets[a] >= 0)
				bail(0, "bootstrap: bad fd line '%s' (%d files attached)", line, b->nfiles);
			b->file_targets[a] = c;
		} else if (strcmp(word, "pidfd") == 0 && sscanf(line, "pidfd %d %i", &a, &c) == 2) {
			b->pidfd = a;
			b->pidfd_flags = c;
		} else if (strcmp(word, "join") == 0 && sscanf(line, "join %31s %n", kind, &a) == 1) {
			int k = kind_by_name(kind);
			if (k < 0 || b->njoins >= MAX_ITEMS)
				bail(0, "bootstrap: bad join line '%s'", line);
			b->joins[b->njoins].kind = k;
			b->joins[b->njoins].path = line + a;
			b->joins[b->njoins].fd = -1;
			b->njoins++;
		} else if (strcmp(word, "unshare") == 0 && sscanf(line, "unshare %i", &a) == 1) {
			b->unshare_flags = a;
		} else if (strcmp(word, "late") == 0 && sscanf(line, "late %i", &a) == 1) {
			if (a & ~(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS))
				bail(0, "bootstrap: only net, ipc, uts and mnt namespaces can be made late ('%s')", line);
			b->late_flags = a;
		} else if (strcmp(word, "usermap") == 0) {
			b->want_usermap = 1;
		} else if (strcmp(word, "hold") == 0) {
			b->hold = 1;
		} else if (strcmp(word, "cgroups") == 0) {
			b->cgroups_later = 1;
		} else if (strcmp(word, "timens") == 0 &&
			   sscanf(line, "timens %31s %lld %lu", clock, &secs, &nsecs) == 3) {
			size_t used = strlen(b->timens);
			snprintf(b->timens + used, sizeof(b->timens) - used, "%s %lld %lu\n", clock, secs, nsecs);
		} else if (strcmp(word, "expect") == 0 &&
			   sscanf(line, "expect %31s %llu %llu", kind, &dev, &ino) == 3) {
			int k = kind_by_name(kind);
			if (k < 0 || b->nexpects >= MAX_ITEMS)
				bail(0, "bootstrap: bad expect line '%s'", line);
			b->expects[b->nexpects++] = (struct expect_item){k, dev, ino};
		} else {
			bail(0, "bootstrap: unknown directive '%s'", line);
		}
	}
}

/*
 * The "cgroups" exchange: ask, then read one message of "cgroupfd <i>" / "cgtasks <i>"
 * lines with the files attached; <i> indexes the attached files. Received close-on-exec:
 * they are the C stage's, never the workload's.
 */
static void receive_placement(struct bootstrap *b)
{
	send_text("cgroups");
	static char text[4096];
	int fds[MAX_ITEMS + 1], nfds;
	ssize_t n = receive_with_fds(text, sizeof(text) - 1, fds, MAX_ITEMS + 1, &nfds, "cgroup placement message");
	if (n <= 0)
		bail(n < 0 ? errno : 0, "bootstrap: parent went away while sending the cgroup files");
	text[n] = 0;
	if (strcmp(text, "fail") == 0)
		_exit(1); /* the parent reports its own error */
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int i;
		if (sscanf(line, "cgroupfd %d", &i) == 1 && i >= 0 && i < nfds && b->cgroup_fd < 0) {
			b->cgroup_fd = fds[i];
		} else if (sscanf(line, "cgtasks %d", &i) == 1 && i >= 0 && i < nfds && b->ntask_fds < MAX_ITEMS) {
			b->task_fds[b->ntask_fds++] = fds[i];
		} else if (strcmp(line, "runcs-cgroups 1") != 0) {
			bail(0, "bootstrap: bad cgroup placement line '%s'", line);
		}
	}
}

static void wait_for_parent(const char *what)
{
	char reply[512];
	ssize_t n;
	do {
		n = read(sync_fd, reply, sizeof(reply) - 1);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		bail(n < 0 ? errno : 0, "bootstrap: parent went away while waiting for %s", what);
	reply[n] = 0;
	if (strncmp(reply, "ok", 2) != 0)
		_exit(1); /* the parent reports its own error */
}

static void join_namespaces(struct bootstrap *b)
{
	/* A cgroup namespace is joined in the child, after its placement: from inside
	 * the container's cgroup namespace the runtime's own cgroup is out of reach and
	 * CLONE_INTO_CGROUP would be refused. */
	if (b->cgroup_fd >= 0 && (b->pidfd_flags & CLONE_NEWCGROUP)) {
		b->pidfd_flags &= ~CLONE_NEWCGROUP;
		b->defer_cgroupns = 1;
	}
	if (b->pidfd >= 0 && b->pidfd_flags != 0 && setns(b->pidfd, b->pidfd_flags) < 0) {
		if (errno == ESRCH)
			bail(0, "container is not running (init exited)");
		bail(errno, "join namespaces of the container's init through its pidfd");
	}

	/* Open every path before joining any: after joining a mount namespace the
	 * paths would resolve elsewhere. */
	for (int i = 0; i < b->njoins; i++) {
		b->joins[i].fd = open(b->joins[i].path, O_RDONLY | O_CLOEXEC);
		if (b->joins[i].fd < 0)
			bail(errno, "open %s namespace %s", ns_kinds[b->joins[i].kind].name, b->joins[i].path);
	}
	/* Join in ns_kinds order: user first, mount last. */
	for (int k = 0; k < NS_KINDS; k++) {
		for (int i = 0; i < b->njoins; i++) {
			if (b->joins[i].kind != k)
				continue;
			if (b->cgroup_fd >= 0 && ns_kinds[k].flag == CLONE_NEWCGROUP) {
				b->cgroupns_fd = b->joins[i].fd; /* joined by the child */
				continue;
			}
			if (setns(b->joins[i].fd, ns_kinds[k].flag) < 0)
				bail(errno, "join %s namespace %s", ns_kinds[k].name, b->joins[i].path);
			close(b->joins[i].fd);
		}
	}
}

/* create: config.json joins a user namespace by path (exec keeps its own credentials:
 * the managed stage sets the process's user). */
static int joined_user(const struct bootstrap *b)
{
	for (int i = 0; i < b->njoins; i++)
		if (ns_kinds[b->joins[i].kind].flag == CLONE_NEWUSER)
			return 1;
	return 0;
}

static void create_namespaces(struct bootstrap *b, int procfd)
{
	int flags = b->unshare_flags;
	if (flags & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0)
			bail(errno, "create user namespace");
		flags &= ~CLONE_NEWUSER;
		if (b->want_usermap) {
			send_text("usermap");
			wait_for_parent("the id maps");
		}
	}
	if (b->hold) {
		/* Nothing else to do: no root credentials, no child. Wait for EOF. */
		char c;
		send_text("held");
		for (;;) {
			ssize_t r = read(sync_fd, &c, 1);
			if (r == 0 || (r < 0 && errno != EINTR))
				_exit(0);
		}
	}
	if (flags != 0 && unshare(flags) < 0)
		bail(errno, "create namespaces (unshare flags 0x%x)", flags);

	if (b->timens[0] != 0) {
		/* Offsets can be set only before any process enters the namespace. */
		int fd = openat(procfd, "self/timens_offsets", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			bail(errno, "open /proc/self/timens_offsets");
		/* One write a line: the kernel parses one offset per write. */
		char *save = NULL;
		for (char *line = strtok_r(b->timens, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (write(fd, line, strlen(line)) < 0)
				bail(errno, "write time offset '%s'", line);
		}
		close(fd);
	}

	if ((b->unshare_flags & CLONE_NEWUSER) || joined_user(b)) {
		/* Become root of the (new or joined) user namespace only now: changing
		 * credentials makes the process non-dumpable, and /proc/self/timens_offsets
		 * above would then belong to the host's root. Until then the host's root
		 * is unmapped there: files it creates would fail with EOVERFLOW. */
		if (setresgid(0, 0, 0) < 0)
			bail(errno, "setresgid to 0 in the container's user namespace (is gid 0 mapped?)");
		if (setresuid(0, 0, 0) < 0)
			bail(errno, "setresuid to 0 in the container's user namespace (is uid 0 mapped?)");
	}
}

/*
 * Stage 1, after the fork (see "late"): make the namespaces and hand their files to the parent,
 * which passes them on to the child with its configuration. The parent knows the child's pid
 * already, so on any error here it ends the child.
 */
static void make_late_namespaces(struct bootstrap *b)
{
	if (unshare(b->late_flags) < 0)
		bail(errno, "create namespaces (unshare flags 0x%x)", b->late_flags);
	char text[128] = "ns";
	int fds[NS_MAX_LATE], nfds = 0;
	/* "late" admits only net, ipc, uts and mnt (parse_message): at most NS_MAX_LATE files. */
	for (int k = 0; k < NS_KINDS; k++) {
		if (!(b->late_flags & ns_kinds[k].flag))
			continue;
		char path[32];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_kinds[k].name);
		fds[nfds] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[nfds] < 0)
			bail(errno, "open %s", path);
		size_t used = strlen(text);
		snprintf(text + used, sizeof(text) - used, "\n%s %d", ns_kinds[k].name, nfds);
		nfds++;
	}
	if (send_with_fds(text, fds, nfds) < 0)
		bail(errno, "bootstrap: send the namespaces to the parent");
}

/* In the child, still single-threaded: the v1 hierarchies, then a deferred cgroup namespace. */
static void place_in_cgroups(struct bootstrap *b)
{
	for (int i = 0; i < b->ntask_fds; i++) {
		ssize_t n;
		do {
			n = write(b->task_fds[i], "0", 1);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			bail(errno, "join the container's cgroup (write 0 to a v1 tasks file)");
		close(b->task_fds[i]);
	}
	if (b->cgroup_fd >= 0)
		close(b->cgroup_fd);
	if (b->defer_cgroupns && setns(b->pidfd, CLONE_NEWCGROUP) < 0)
		bail(errno, "join the container's cgroup namespace through init's pidfd");
	if (b->cgroupns_fd >= 0) {
		if (setns(b->cgroupns_fd, CLONE_NEWCGROUP) < 0)
			bail(errno, "join cgroup namespace");
		close(b->cgroupns_fd);
	}
}

static void verify_namespaces(struct bootstrap *b, int procfd)
{
	for (int i = 0; i < b->nexpects; i++) {
		struct expect_item *e = &b->expects[i];
		const char *name = ns_kinds[e->kind].name;
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "self/ns/%s", name);
		if (fstatat(procfd, path, &st, 0) < 0)
			bail(errno, "check %s namespace: stat /proc/self/ns/%s", name, name);
		if ((unsigned long long)st.st_ino != e->ino || (unsigned long long)st.st_dev != e->dev)
			bail(0, "%s namespace mismatch: container has %s:[%llu], process would run in %s:[%llu]%s",
			     name, name, e->ino, name, (unsigned long long)st.st_ino,
			     (unsigned long long)st.st_ino == e->ino ? " (device differs)" : "");
	}
}

__attribute__((constructor)) static void runcs_bootstrap(void)
{
	const char *env = getenv("_RUNCS_BOOTSTRAP");
	if (env == NULL || *env == 0)
		return;
	sync_fd = atoi(env);

	/* Non-dumpable while we hold host resources (the host's /proc, init's
	 * pidfd) inside the container's namespaces: a container process must not
	 * reach them through /proc/PID/fd or ptrace. execve of the workload
	 * restores the normal state. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		bail(errno, "bootstrap: prctl(PR_SET_DUMPABLE, 0)");

	int threads = count_threads();
	if (threads != 1)
		bail(0, "bootstrap: expected one thread before the runtime starts, found %d", threads);

	struct bootstrap b;
	memset(&b, 0, sizeof(b));
	b.pidfd = -1;
	b.cgroup_fd = -1;
	b.cgroupns_fd = -1;
	for (int i = 0; i < MAX_FILES; i++)
		b.file_targets[i] = -1;

	/* The files come attached rather than inherited: the runtime spawns this process
	 * first thing, before it has opened them (console socket, exec fifo, init's pidfd...),
	 * so that this exec overlaps the runtime's own work. */
	static char msg[MAX_MESSAGE];
	ssize_t n = receive_with_fds(msg, sizeof(msg) - 1, b.files, MAX_FILES, &b.nfiles, "bootstrap message");
	if (n == 0)
		_exit(1); /* the runtime spawned us early and did not need us: nothing to report */
	if (n < 0)
		bail(errno, "bootstrap: read the bootstrap message");
	msg[n] = 0;
	parse_message(msg, &b);
	place_files(&b);

	/* The host's /proc, opened before any join, is how the child checks its
	 * own namespaces whatever the container mounts (or does not). */
	int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		bail(errno, "open /proc");

	join_namespaces(&b);
	create_namespaces(&b, procfd);
	if (b.cgroups_later)
		receive_placement(&b);

	/* CLONE_PARENT: the final process is the runtime's child, so that the
	 * caller (a subreaper such as conmon or containerd's shim) inherits it. */
	pid_t child = -1;
	int into_cgroup = 0;
	/* Not in a user namespace of the container's: the cgroup files belong to the
	 * host's root, the kernel would refuse, and the parent moves the child itself.
	 * Asked first, not tried: a failed first fork in a new PID namespace leaves that
	 * namespace unable to take any process (ENOMEM). */
	if (b.cgroup_fd >= 0 && faccessat(b.cgroup_fd, "cgroup.procs", W_OK, AT_EACCESS) == 0) {
		struct clone_args args;
		memset(&args, 0, sizeof(args));
		/* exit_signal must be 0 with CLONE_PARENT: the child takes ours (SIGCHLD). */
		args.flags = CLONE_PARENT | CLONE_INTO_CGROUP;
		args.exit_signal = 0;
		args.cgroup = (unsigned long long)b.cgroup_fd;
		child = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		into_cgroup = child >= 0;
	}
	if (child < 0)
		child = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
	if (child < 0)
		bail(errno, "clone the container process");
	if (child > 0) {
		char buf[64];
		snprintf(buf, sizeof(buf), "pid %d%s", (int)child, into_cgroup ? " cgroup" : "");
		send_text(buf);
		if (b.late_flags != 0)
			make_late_namespaces(&b);
		_exit(0);
	}

	place_in_cgroups(&b);

	verify_namespaces(&b, procfd);

	/* The managed stage reads these two descriptors from the environment. */
	char fdbuf[16];
	snprintf(fdbuf, sizeof(fdbuf), "%d", procfd);
	setenv("_RUNCS_PROCFD", fdbuf, 1);
	if (b.pidfd >= 0)
		close(b.pidfd);
}

/* Referenced from C# so the linker keeps this object (and its constructor). */
int runcs_bootstrap_linked(void)
{
	return 1;
}
