/* demo: demonstration data for `make run` (see demo.c). */
#ifndef DUIKOU_SERVICE_DEMO_H
#define DUIKOU_SERVICE_DEMO_H
#include <stddef.h>
#include <stdint.h>

struct ctx;

struct demo_login {
    const char *role, *login, *password, *unit;
};

/* Creates the demo organisation, assignments, the work plan of `year` and reports for every
 * imported plan; only from the command line and only on a database without accounts.
 * *out lists the accounts made, with their generated passwords (arena). */
int demo_create(struct ctx *c, int year, struct demo_login **out, size_t *n);

/* demo_events.c: a province pairing's enterprises, docking events (held, with registrations,
 * check-ins, outcomes and the projects made of them; one upcoming) and exchanges of people.
 * The lead offices, commerce departments and coordinators (user ids) of each side. */
struct pairing_view;
struct demo_sides {
    int64_t office[2], commerce[2], coordinator[2];
};
int demo_events(struct ctx *c, const struct pairing_view *p, const struct demo_sides *s);

#endif
