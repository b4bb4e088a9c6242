/* notice: 通知公告, the notices a pairing's lead offices (and admins) publish on the public
 * portal. A notice is written as a draft, published (then anyone may read it, signed in or
 * not), and may be withdrawn (it leaves the public pages; it can be published again).
 *
 * Who does what:
 *   write       a coordinator (lead office, either side) for its own province pairing; an
 *               admin for any pairing, or for every pairing at once (pairing_id 0). The
 *               command line (c->user NULL) as an admin. Leaders and members write none.
 *   read        a published notice: anyone. A draft or withdrawn one: who may write it;
 *               to anyone else it does not exist (SVC_NOT_FOUND), so drafts leak nothing.
 *   manage list a coordinator its pairing's notices in every state; an admin all.
 * Every write records an audit row (entity "notice") in its own transaction. An edit names
 * the updated_at it was made against (if_updated_at): a notice changed meanwhile is refused
 * with SVC_STALE (err_stale), never silently overwritten. */
#ifndef DUIKOU_SERVICE_NOTICE_H
#define DUIKOU_SERVICE_NOTICE_H
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum {
    NOTICE_TITLE_MAX = 100,   /* code points */
    NOTICE_BODY_MAX = 20000,  /* code points */
    NOTICE_PAGE_DEFAULT = 20, /* a list page */
    NOTICE_PAGE_MAX = 100,
};

struct notice_input {
    int64_t pairing_id;        /* create only: 0 = a coordinator's own pairing, an admin's
                                  "every pairing"; a city pairing stands for its province
                                  pairing. A notice never changes pairing. */
    const char *title, *body;  /* create: required; edit: NULL keeps the stored text */
    const char *if_updated_at; /* edit, publish, withdraw: SVC_STALE unless the notice's
                                  updated_at is this; NULL: no check (the command line) */
};

struct notice_view {
    int64_t id, pairing_id;      /* pairing_id 0: for every pairing */
    const char *name_a, *name_b; /* the pairing's sides; NULL for every pairing */
    const char *title, *body, *status; /* status: draft, published, withdrawn */
    const char *published_at;    /* NULL while a draft */
    const char *created_by;      /* the author's login (NULL: the command line) */
    const char *created_at, *updated_at;
};

int notice_create(struct ctx *c, const struct notice_input *in, int64_t *id);
int notice_edit(struct ctx *c, int64_t id, const struct notice_input *in);
/* draft or withdrawn → published (published_at now); else SVC_CONFLICT (err_notice_state). */
int notice_publish(struct ctx *c, int64_t id, const char *if_updated_at);
/* published → withdrawn; else SVC_CONFLICT (err_notice_state). */
int notice_withdraw(struct ctx *c, int64_t id, const char *if_updated_at);

/* One notice: a published one for anyone, others for who may write them (else
 * SVC_NOT_FOUND). Strings in c->arena. c->user NULL is the command line, which reads all:
 * an anonymous web or API request (whose ctx has no user either) must call
 * notice_get_published instead. */
int notice_get(struct ctx *c, int64_t id, struct notice_view *out);
/* One notice when it is published, else SVC_NOT_FOUND, whoever asks. */
int notice_get_published(struct ctx *c, int64_t id, struct notice_view *out);
/* Whether c may write notice v (edit, publish, withdraw). Leaves no failure in c. */
bool notice_may_write(struct ctx *c, const struct notice_view *v);
/* Whether c may write notices at all (a coordinator or an admin): the management pages. */
bool notice_may_manage(const struct ctx *c);

/* Published notices, newest publication first. Keyset: after is the id of the last notice of
 * the previous page (0: the first page); *next_after the id to pass for the next page, 0 on
 * the last. limit 0: NOTICE_PAGE_DEFAULT; beyond NOTICE_PAGE_MAX: SVC_INVALID (err_range). */
int notice_list_published(struct ctx *c, int64_t after, int limit, struct notice_view **out,
                          size_t *n, int64_t *next_after);
/* Notices in every state that c manages (coordinator: its pairing's; admin: all), newest id
 * first, keyset by id as above. Others: SVC_FORBIDDEN. */
int notice_list_managed(struct ctx *c, int64_t after, int limit, struct notice_view **out,
                        size_t *n, int64_t *next_after);

#endif
