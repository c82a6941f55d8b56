/*
 * http_input.h — the door's check of a request (http_input.c), for http.c.
 */
#ifndef HATCHERY_HTTP_INPUT_H
#define HATCHERY_HTTP_INPUT_H

#include "http.h"

/* Checks every text the request brings (its query, form and JSON body) at
 * the door: 1 when it may go on; 0 when it was answered with what is wrong. */
int http_input_check(Req *r);

#endif
