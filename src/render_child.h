/*
 * render_child.h — a bulletin's file made outside the server (issue #20:
 * the server's memory bounded while it makes documents). The server runs
 * its own binary (posix_spawn of /proc/self/exe, no shell, a fixed argv:
 * `hatchery bulletin render --format pdf|docx|xlsx [--draft]`), writes the
 * frozen document (JSON, as stored) to the child's stdin and reads the file
 * from its stdout, with a time limit (the child is killed after it) and a
 * size limit. The child's exit status and its stderr go to the server's
 * log. At most RENDER_CHILDREN_MAX children run at once.
 */
#ifndef HATCHERY_RENDER_CHILD_H
#define HATCHERY_RENDER_CHILD_H

#include "util.h"

#define RENDER_CHILDREN_MAX 2
#define RENDER_SECONDS 30.0
#define RENDER_MAX_BYTES (64u * 1024 * 1024) /* a national bulletin's PDF is ~1 MB */

/* Runs the child for format ("pdf", "docx", "xlsx") on content (len bytes),
 * appending its stdout to out. H_OK, or H_ERR with why in err (for the
 * log: the exit status, a timeout, the size limit, the child's stderr). */
int render_child(const char *format, int draft, const char *content, size_t len, Buf *out, char *err, size_t errsz);

/* The program run and its limits: /proc/self/exe, RENDER_SECONDS and
 * RENDER_MAX_BYTES; tests change them before any request. */
extern const char *render_child_exe;
extern double render_child_seconds;
extern size_t render_child_max_bytes;

/* A place among the children running at once: 1 taken (waiting up to
 * wait_s for one), 0 none free. render_slot_release after the child. */
int render_slot_take(double wait_s);
void render_slot_release(void);

#endif
