/*
 * client.h — a small HTTP/1.1 client and server launcher for the HTTP
 * tests: starts the real `hatchery serve` on a free loopback port and talks
 * to it over plain sockets.
 */
#ifndef HATCHERY_TEST_CLIENT_H
#define HATCHERY_TEST_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

typedef struct TestServer {
	pid_t pid;
	int port;
	char db[256];
	char dir[128];
} TestServer;

typedef struct Response {
	int status;
	char *headers;    /* raw header block, lines "Name: value\r\n" */
	char *body;       /* NUL-terminated (decompressed when gzip) */
	size_t body_len;
	int gzipped;
} Response;

/* Creates a fresh demo database in a temp dir and starts the server on it
 * with extra serve arguments (NULL-terminated); aborts the test run on failure. */
void server_start(TestServer *t, const char *const *extra_args);
/* SIGTERM, then waits; returns the exit status (or -1). */
int server_stop(TestServer *t);

/* Sends a request (method, path, extra header lines each ending \r\n, body)
 * on a new connection with Connection: close, and reads the whole answer. */
int http_request(int port, const char *method, const char *path, const char *headers,
                 const char *body, size_t body_len, Response *out);
void response_free(Response *r);
/* The value of header name (case-insensitive), malloc'd, or NULL. */
char *response_header(const Response *r, const char *name);

/* Connects to 127.0.0.1:port; returns the socket or -1. */
int http_connect(int port);
/* Reads one response from an open keep-alive socket (needs Content-Length). */
int http_read_response(int fd, Response *out);

#endif
