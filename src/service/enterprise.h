/* enterprise: 企业库, the enterprises known to a pairing — each of one side, with its
 * 统一社会信用代码 (GB 32100-2015, checked; unique in the pairing), place, industry (GB/T 4754,
 * as projects), size and a contact person. Events register them (service/event.h); projects'
 * partners are picked from their names.
 *
 * Who does what:
 *   create, edit    for their own side: the pairing's coordinators and the users of its member
 *                   units (role member); an admin anywhere; the command line as an admin.
 *                   Leaders read only.
 *   merge           a coordinator of the enterprises' side, or an admin (enterprise_merge).
 *   read            everyone of the pairing. The contact (contact_name, contact_phone) is
 *                   personal data, filled in only for an admin, the coordinators of the
 *                   enterprise's side, and the users of a unit that organises an event the
 *                   enterprise is registered for (not withdrawn) by that unit's own people
 *                   ("the event organisers who registered it"); a withdrawn registration
 *                   opens nothing. Audit rows never carry the contact, only whether there is
 *                   one and that it changed.
 * Every write records an audit row (entity "enterprise") in its own transaction; an edit
 * names the updated_at it was made against (SVC_STALE when the enterprise changed meanwhile).
 * A merged enterprise keeps its row (history reads), points at the one it was merged into,
 * leaves the lists unless asked for, and takes no more edits (SVC_CONFLICT
 * err_ent_merged). */
#ifndef DUIKOU_SERVICE_ENTERPRISE_H
#define DUIKOU_SERVICE_ENTERPRISE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum {
    ENTERPRISE_NAME_MAX = 100,    /* code points */
    ENTERPRISE_CONTACT_MAX = 50,  /* code points */
    ENTERPRISE_PHONE_MAX = 30,    /* code points */
    ENTERPRISE_PAGE_DEFAULT = 50,
    ENTERPRISE_PAGE_MAX = 200,
    ENTERPRISE_NAMES_MAX = 1000,  /* names offered to a form (enterprise_names) */
    ENTERPRISE_EVENTS_MAX = 500,  /* events listed on an enterprise's page */
};

/* "large", "medium", "small", "micro" (大型, 中型, 小型, 微型): true for these. */
bool enterprise_size_valid(const char *size);

/* Create: every field as given (NULL = none). Edit: NULL keeps the stored value, "" clears
 * an optional one. */
struct enterprise_input {
    int64_t pairing_id;       /* create: the province pairing (0: the caller's own) */
    int side;                 /* create: 0 or 1 (-1: the caller's own; an admin must say) */
    const char *name;         /* create: required */
    const char *credit_code;  /* as typed; normalised (core/credit_code.h) and checked */
    const char *region_code;  /* a gazetteer code (service/region.h) */
    const char *industry;     /* a GB/T 4754-2017 section or division */
    const char *size;         /* enterprise_size_valid */
    const char *contact_name, *contact_phone;
    const char *if_updated_at; /* edit: SVC_STALE unless the enterprise's updated_at is this */
};

struct enterprise_view {
    int64_t id, pairing_id;
    int side;
    const char *name_a, *name_b; /* the pairing's sides */
    const char *name, *credit_code, *region_code, *region_name;
    const char *industry, *industry_name, *size;
    bool contact_visible;        /* whether the caller may see the contact */
    bool has_contact;            /* whether one is on record (shown or not) */
    const char *contact_name, *contact_phone; /* NULL unless contact_visible */
    int64_t merged_into;         /* 0: not merged */
    const char *merged_into_name;
    const char *created_by, *created_at, *updated_at; /* created_by: a login, or NULL */
};

struct enterprise_filter {
    int64_t pairing_id;   /* 0: the caller's own pairing (admin: every pairing) */
    int side;             /* -1: both */
    const char *q;        /* NULL: any; else a part of the name (either script: 遼寧 finds
                             辽宁) or of the credit code */
    const char *industry; /* NULL: any; a section letter matches its divisions too */
    bool merged;          /* the merged ones too */
};

int enterprise_create(struct ctx *c, const struct enterprise_input *in, int64_t *id);
int enterprise_edit(struct ctx *c, int64_t id, const struct enterprise_input *in);
/* One enterprise (merged ones too), for its pairing's users (else SVC_FORBIDDEN;
 * SVC_NOT_FOUND when there is none); the contact only for who may see it. */
int enterprise_get(struct ctx *c, int64_t id, struct enterprise_view *out);
/* A page of the enterprises under the filter, by name (text_key order), then id. Keyset:
 * after is the id of the last enterprise of the previous page (0: the first page);
 * *next_after the id to pass next, 0 on the last page. limit 0: ENTERPRISE_PAGE_DEFAULT.
 * SVC_INVALID (field industry) for an unknown industry. */
int enterprise_list(struct ctx *c, const struct enterprise_filter *f, int64_t after, int limit,
                    struct enterprise_view **out, size_t *n, int64_t *next_after);
/* The names of the pairing's enterprises that are not merged, by name, at most
 * ENTERPRISE_NAMES_MAX (a form's suggestions), for its users; arena array. */
int enterprise_names(struct ctx *c, int64_t pairing_id, const char ***out, size_t *n);

/* Whether c may create enterprises at all (a coordinator, a member, an admin). */
bool enterprise_may_create(const struct ctx *c);
/* Whether c may edit v (and, merge false) or merge it away (merge true). Leaves no failure. */
bool enterprise_may_write(const struct ctx *c, const struct enterprise_view *v, bool merge);

/* Merges enterprise from_id into into_id (合并: the same enterprise recorded twice), by a
 * coordinator of their side or an admin; both of one pairing and side, neither merged
 * (SVC_CONFLICT err_ent_merged), not the same (SVC_INVALID err_ent_merge_self, field into).
 * In one transaction:
 *   - from's registrations move to into, event by event. Where both are registered for one
 *     event, into's registration is kept and takes the better standing of the two (a
 *     check-in over none, a seat over the waiting list, the waiting list over withdrawn,
 *     with its place in the queue); from's is withdrawn, the outcomes naming it name into's
 *     instead, and a seat its withdrawal frees goes to the waiting list in order;
 *   - into's empty fields (credit code, region, industry, size, contact) take from's;
 *   - enterprises merged into from point at into;
 *   - from points at into (merged_into) and keeps its row.
 * Audited: enterprise.merge on from, enterprise.merge_in on into, registration.merge on
 * each registration changed. if_updated_at: from's, as for an edit (NULL: not checked). */
int enterprise_merge(struct ctx *c, int64_t from_id, int64_t into_id, const char *if_updated_at);

/* The events enterprise id has a registration for, latest first, at most
 * ENTERPRISE_EVENTS_MAX; for who may read it. */
struct enterprise_event {
    int64_t event_id, registration_id, number;
    const char *kind, *title, *starts, *ends, *status, *checked_in_at;
};
int enterprise_events(struct ctx *c, int64_t id, struct enterprise_event **out, size_t *n);

#endif
