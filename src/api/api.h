/* api: the JSON API under /api/v1. Each file holds the handlers of one feature; they parse
 * and validate input, call a service, and write JSON with the streaming writer. The routes
 * that reach them are in http/routes.c. */
#ifndef DUIKOU_API_H
#define DUIKOU_API_H
#include "http/http.h"

struct jw;

/* Starts the JSON writer on p->body (compact) and sets the content type. */
void api_begin(struct resp *p, struct jw *w);
/* Reads an integer ?name= with bounds; returns def when absent, -1 (and writes a 400 error
 * into p) when present but not an integer in [min, max]. */
int64_t api_query_int(struct req *r, struct resp *p, const char *name, int64_t def, int64_t min,
                      int64_t max, int *status);
/* Answers 304 when If-None-Match equals etag; otherwise sets the ETag header. Returns true
 * when the 304 was written (the handler returns p->status then). */
bool api_etag(struct req *r, struct resp *p, const char *etag);

/* plan.c */
int api_pairings(struct req *r, struct resp *p);
int api_pairing(struct req *r, struct resp *p);
int api_plans(struct req *r, struct resp *p);
int api_plan(struct req *r, struct resp *p);

/* session.c */
int api_session_create(struct req *r, struct resp *p);
int api_session_delete(struct req *r, struct resp *p);
int api_me(struct req *r, struct resp *p);

#endif
