/* demo: demonstration data for `make run` (see demo.c). */
#ifndef DUIKOU_SERVICE_DEMO_H
#define DUIKOU_SERVICE_DEMO_H
#include <stddef.h>

struct ctx;

struct demo_login {
    const char *role, *login, *password, *unit;
};

/* Creates the demo organisation, assignments, the work plan of `year` and reports for every
 * imported plan; only from the command line and only on a database without accounts.
 * *out lists the accounts made, with their generated passwords (arena). */
int demo_create(struct ctx *c, int year, struct demo_login **out, size_t *n);

#endif
