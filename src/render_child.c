/*
 * render_child.c — a bulletin's file made by a child process (render_child.h).
 * posix_spawn (a vfork-like clone and exec at once) is safe in the
 * multithreaded server, where fork without exec is not. The pipes are
 * made close-on-exec, and the child gets only stdin, stdout and stderr
 * (closefrom), so it holds none of the server's sockets or databases.
 */
#include "render_child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *render_child_exe = "/proc/self/exe";
double render_child_seconds = RENDER_SECONDS;
size_t render_child_max_bytes = RENDER_MAX_BYTES;

static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_cv = PTHREAD_COND_INITIALIZER;
static int slots_used;

int render_slot_take(double wait_s)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	long long ns = (long long)until.tv_nsec + (long long)(wait_s * 1e9);
	until.tv_sec += (time_t)(ns / 1000000000LL);
	until.tv_nsec = (long)(ns % 1000000000LL);
	pthread_mutex_lock(&slot_mu);
	int rc = 0;
	while (slots_used >= RENDER_CHILDREN_MAX && rc == 0)
		rc = pthread_cond_timedwait(&slot_cv, &slot_mu, &until);
	int ok = slots_used < RENDER_CHILDREN_MAX;
	if (ok)
		slots_used++;
	pthread_mutex_unlock(&slot_mu);
	return ok;
}

void render_slot_release(void)
{
	pthread_mutex_lock(&slot_mu);
	slots_used--;
	pthread_cond_signal(&slot_cv);
	pthread_mutex_unlock(&slot_mu);
}

/* The end of the child: its status as text for the log ("" when it exited 0). */
static void describe(int status, char *out, size_t n)
{
	if (WIFEXITED(status))
		snprintf(out, n, WEXITSTATUS(status) ? "exited with status %d" : "", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, n, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(out, n, "ended (status %d)", status);
}

int render_child(const char *format, int draft, const char *content, size_t len, Buf *out, char *err, size_t errsz)
{
	*err = 0;
	int in[2] = {-1, -1}, outp[2] = {-1, -1}, errp[2] = {-1, -1};
	if (pipe2(in, O_CLOEXEC) || pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0) close(in[i]);
			if (outp[i] >= 0) close(outp[i]);
			if (errp[i] >= 0) close(errp[i]);
		}
		return H_ERR;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	/* the child starts with the default signal dispositions and no blocked signals */
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	char *argv[] = {"hatchery", "bulletin", "render", "--format", (char *)format, draft ? "--draft" : NULL, NULL};
	pid_t pid;
	int sp = posix_spawn(&pid, render_child_exe, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(in[0]);
	close(outp[1]);
	close(errp[1]);
	if (sp != 0) {
		snprintf(err, errsz, "cannot start the renderer: %s", strerror(sp));
		close(in[1]);
		close(outp[0]);
		close(errp[0]);
		return H_ERR;
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	char errtext[1024];
	size_t errlen = 0, sent = 0;
	int win = in[1], rout = outp[0], rerr = errp[0];
	if (len == 0) {
		close(win);
		win = -1;
	}
	const char *why = NULL;
	double deadline = mono() + render_child_seconds;
	size_t start = out->len;
	while (rout >= 0 || rerr >= 0) {
		double left = deadline - mono();
		if (left <= 0) {
			why = "took too long: killed";
			break;
		}
		struct pollfd p[3];
		int n = 0, iw = -1, io = -1, ie = -1;
		if (win >= 0) { iw = n; p[n++] = (struct pollfd){win, POLLOUT, 0}; }
		if (rout >= 0) { io = n; p[n++] = (struct pollfd){rout, POLLIN, 0}; }
		if (rerr >= 0) { ie = n; p[n++] = (struct pollfd){rerr, POLLIN, 0}; }
		int r = poll(p, (nfds_t)n, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR) {
			why = "poll failed";
			break;
		}
		if (r <= 0)
			continue;
		if (iw >= 0 && p[iw].revents) {
			ssize_t w = write(win, content + sent, len - sent);
			if (w > 0)
				sent += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == len) {
				close(win); /* the child stopped reading (it will say why), or all is sent */
				win = -1;
			}
		}
		if (io >= 0 && p[io].revents) {
			buf_grow(out, 65536);
			ssize_t k = read(rout, out->data + out->len, 65536);
			if (k > 0) {
				out->len += (size_t)k;
				out->data[out->len] = 0;
				if (out->len - start > render_child_max_bytes) {
					why = "wrote more than the size limit: killed";
					break;
				}
			} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(rout);
				rout = -1;
			}
		}
		if (ie >= 0 && p[ie].revents) {
			char tmp[512];
			ssize_t k = read(rerr, tmp, sizeof tmp);
			if (k > 0) {
				size_t keep = (size_t)k < sizeof errtext - 1 - errlen ? (size_t)k : sizeof errtext - 1 - errlen;
				memcpy(errtext + errlen, tmp, keep);
				errlen += keep;
			} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(rerr);
				rerr = -1;
			}
		}
	}
	if (why)
		kill(pid, SIGKILL);
	if (win >= 0) close(win);
	if (rout >= 0) close(rout);
	if (rerr >= 0) close(rerr);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	errtext[errlen] = 0;
	while (errlen && (errtext[errlen - 1] == '\n' || errtext[errlen - 1] == '\r'))
		errtext[--errlen] = 0;
	char how[64];
	describe(status, how, sizeof how);
	if (!why && *how)
		why = how;
	if (!why && out->len == start)
		why = "wrote nothing";
	if (why) {
		snprintf(err, errsz, "the renderer (%s%s) %s%s%s", format, draft ? ", draft" : "", why, errlen ? ": " : "",
		         errtext);
		out->len = start;
		if (out->data)
			out->data[start] = 0;
		return H_ERR;
	}
	if (errlen) /* a warning of a child that succeeded */
		fprintf(stderr, "hatchery: the renderer (%s): %s\n", format, errtext);
	return H_OK;
}
