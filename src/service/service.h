/* service: the domain rules, shared by the CLI, the web pages and the API. Every call takes
 * a context saying who acts, from where, on which connection, with which arena. Writes run
 * in one transaction together with their audit rows. */
#ifndef DUIKOU_SERVICE_H
#define DUIKOU_SERVICE_H
#include <stdint.h>

struct arena;
struct db;

struct ctx {
    struct db *db;
    struct arena *arena;  /* owns everything a service returns */
    const char *actor;    /* audit "who": cli:<user>, or a user's login later */
    const char *client;   /* audit "from where": an address, or NULL for the CLI */
    const char *error;    /* set on failure: a message for the person acting (English) */
};

enum {
    SVC_OK = 0,
    SVC_ERROR = -1,     /* internal: the store failed (details are in the log) */
    SVC_INVALID = -10,  /* the input is not acceptable; ctx->error says why */
    SVC_NOT_FOUND = -11,
    SVC_CONFLICT = -12,
};

#endif
