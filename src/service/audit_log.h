/* audit_log: reading the audit log (store/audit.c writes it), newest first, with filters and
 * keyset pagination, for the API and the pages.
 *
 * Who reads what:
 *   admin, CLI  every row, client addresses included. Under --mlps (三员分立, perm.h) the
 *               audit administrator alone of the admins; the others SVC_FORBIDDEN.
 *   leader      the rows of its own province pairing: those written by an account of the
 *               pairing (either side), and those about something that belongs to the pairing
 *               — the pairing and its city pairings, its plans and their tasks (assignments
 *               are recorded on the task), its units, the accounts of its units and their
 *               sessions and API tokens (sign-in attempts against them included), its work
 *               plans, work items and reports, its notices (not those to every pairing).
 *               Rows that cannot be placed in a pairing (a sign-in with a login that does
 *               not exist, region imports, anything done to an admin account, notices to
 *               every pairing) are for admins only. The client address is never shown to
 *               a leader (client is NULL): it identifies a person's machine and matters for
 *               security review, which is an admin's task; a leader supervises the work.
 *               Under --mlps a leader does not see the rows an administrator (an admin
 *               account when the row was written: audit_by_admin, migration 24) or the
 *               command line wrote: they are the audit administrator's.
 *   others      SVC_FORBIDDEN.
 * An audit row carries no pairing, so the leader's scope is worked out from the entity and the
 * actor: a new kind of entity must be added to the scope clause in audit_log.c, or its rows
 * stay visible to leaders only when one of their pairing's accounts wrote them. Accounts are
 * placed by their unit today, so a row written by someone later moved to another pairing
 * follows that person. */
#ifndef DUIKOU_SERVICE_AUDIT_LOG_H
#define DUIKOU_SERVICE_AUDIT_LOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum { AUDIT_LIST_DEFAULT = 50, AUDIT_LIST_MAX = 200 };

struct audit_filter {
    const char *actor;  /* exact ("user:ln_coord", "cli:root", "public" for a request without
                           a sign-in, "anonymous" for a service call without an actor); any
                           other value without a ':' means "user:" + it; NULL: any */
    const char *action; /* exact ("user.create"), or a prefix when it ends in '.' ("auth.": every
                           sign-in, sign-out and session row); NULL: any */
    const char *entity; /* exact, as stored: unit, users, session, api_token, plan, task … */
    int64_t entity_id;  /* 0: any */
    const char *since;  /* stored form (audit_log_time): rows at or after it; NULL: open */
    const char *until;  /* stored form: rows strictly before it; NULL: open */
    int64_t after;      /* keyset: only rows with a smaller id (the last id of the previous
                           page); 0: from the newest */
    int limit;          /* 1..AUDIT_LIST_MAX; 0: AUDIT_LIST_DEFAULT */
    const char *person; /* a login, or part of a person's name; NULL: any */
    const char *unit;   /* part of a unit's name: rows by its accounts or about the unit */
    const char *kind;   /* a kind of action (audit_log_kinds: "sign_in", "work_plan" …) */
    bool no_sign_ins;   /* leave out the sign-in kind: the pages' default, for they flood it */
};

/* The kinds of action, as readers filter them: a name and the action prefixes it covers. */
struct audit_kind {
    const char *name, *prefix[2]; /* prefix[1] NULL: one */
};
extern const struct audit_kind audit_log_kinds[];
extern const size_t audit_log_n_kinds;
/* The kind named name; NULL when there is none. */
const struct audit_kind *audit_log_kind(const char *name);

/* Something a row names: an object by kind ("unit", "users", "plan", "task", "work_plan",
 * "work_item", "report", "notice", "pairing") and id, or an account by login (entity
 * "login"). audit_log_names fills name (and for accounts their unit) where it can. */
struct audit_ref {
    const char *entity, *login;
    int64_t id;
    const char *name, *unit; /* out; NULL: not found */
};
/* Names for refs, one query per kind of object for all of them. SVC_OK or SVC_ERROR. */
int audit_log_names(struct ctx *c, struct audit_ref *refs, size_t n);

struct audit_entry {
    int64_t id, entity_id; /* entity_id 0: none */
    const char *at, *actor, *action, *entity;
    const char *before, *after; /* stored JSON text, or NULL */
    const char *client;         /* NULL: none, or withheld from this reader */
};

/* Rows matching f, newest first, into *out (c->arena). *next_after is the id to pass as
 * f->after for the next page, or 0 when this page is the last. */
int audit_log_list(struct ctx *c, const struct audit_filter *f, struct audit_entry **out,
                   size_t *n, int64_t *next_after);

/* Under --mlps (等级保护 level 3 audits the audit administrator's work too) one row for a
 * reading of the log: action "audit.read" (a page: format NULL) or "audit.export" (format
 * "csv", "xlsx"), its after-image the filters, the format and the number of rows shown.
 * Without --mlps nothing is written. SVC_OK or SVC_ERROR (err_internal). */
int audit_log_record_read(struct ctx *c, const char *action, const struct audit_filter *f,
                          const char *format, size_t rows);
/* Under --mlps one "auth.denied" row for a route an administrator of another kind was refused
 * (err_admin_kind, err_admin_kind_missing: perm_admin_route), naming the method, path and
 * code; keeps c->code and c->error. Nothing without --mlps. SVC_OK or SVC_ERROR. */
int audit_log_record_denied(struct ctx *c, const char *method, const char *path,
                            const char *code);

/* An ISO 8601 time as the log stores it (2026-11-26T03:16:04.123Z), from 2026-11-26 (midnight
 * UTC), 2026-11-26T11:16, 2026-11-26T11:16:04, with optional .fraction and Z or ±HH:MM (no
 * zone: UTC). NULL when s is not such a time. Arena string. */
const char *audit_log_time(struct ctx *c, const char *s);

#endif
