/* perm: scope checks (see perm.h for the rules). Each check costs at most two indexed
 * lookups; the rules read only the acting user (struct user, filled at sign-in) and the
 * pairing / unit rows the checked thing hangs from. */
#include "service/perm.h"

#include "service/auth.h"
#include "store/db.h"

static int deny(struct ctx *c, const char *why)
{
    return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "%s is not allowed to %s",
                    c->user && c->user->login ? c->user->login : "this user", why);
}

/* Another province pairing's objects do not exist for this user: the answer of an id that
 * does not exist, so ids cannot be enumerated (issue #10). */
static int hide(struct ctx *c, int64_t pairing_id)
{
    return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL,
                    "%s sees nothing of pairing %lld (another pairing)",
                    c->user && c->user->login ? c->user->login : "this user",
                    (long long)pairing_id);
}

bool perm_is_admin_user(const struct ctx *c)
{
    return perm_admin_acts_as(c, ADMIN_SYSTEM);
}

bool perm_admin_acts_as(const struct ctx *c, enum admin_kind kind)
{
    return !c->user || (c->user->role == ROLE_ADMIN &&
                        (!auth_policy.mlps || c->user->admin_kind == kind));
}

int perm_admin_route(struct ctx *c, unsigned areas)
{
    if (!auth_policy.mlps || !c->user || c->user->role != ROLE_ADMIN || (areas & PERM_ROUTE_OWN))
        return SVC_OK;
    bool ok = false;
    switch (c->user->admin_kind) {
    case ADMIN_SYSTEM: ok = !(areas & PERM_ROUTE_AUDIT); break;
    case ADMIN_SECURITY: ok = (areas & PERM_ROUTE_SECURITY) != 0; break;
    case ADMIN_AUDIT: ok = (areas & PERM_ROUTE_AUDIT) != 0; break;
    case ADMIN_KIND_NONE:
        return svc_fail(c, SVC_FORBIDDEN, "err_admin_kind_missing", NULL,
                        "%s is an admin of no kind (system, security or audit)", c->user->login);
    }
    if (ok)
        return SVC_OK;
    return svc_fail(c, SVC_FORBIDDEN, "err_admin_kind", NULL,
                    "%s is another kind of administrator (三员分立)", c->user->login);
}

int perm_is_admin(struct ctx *c)
{
    return perm_is_admin_user(c) ? SVC_OK : deny(c, "do this (admins only)");
}

int perm_role_at_least(struct ctx *c, enum role least)
{
    if (!c->user || c->user->role >= least)
        return SVC_OK;
    return deny(c, "do this (role too low)");
}

int64_t perm_pairing_root(struct ctx *c, int64_t pairing_id)
{
    /* Pairings nest one level today (province → city); the loop allows more, and its bound
     * stops a cycle written behind the program's back from hanging a request. */
    int64_t id = pairing_id;
    for (int depth = 0; id > 0 && depth < 8; depth++) {
        struct stmt st;
        int64_t parent = -1;
        db_prepare(c->db, &st, "SELECT coalesce(parent_id, 0) FROM pairing WHERE id = :id");
        db_bind_int64(&st, ":id", id);
        if (db_step(&st) == DB_ROW)
            parent = db_col_int64(&st, 0);
        db_finalize(&st);
        if (parent < 0)
            return 0;
        if (parent == 0)
            return id;
        id = parent;
    }
    return 0;
}

int perm_unit_scope(struct ctx *c, int64_t unit_id, int64_t *pairing_id, int *side)
{
    struct stmt st;
    int rc;
    db_prepare(c->db, &st, "SELECT pairing_id, side FROM unit WHERE id = :id");
    db_bind_int64(&st, ":id", unit_id);
    int s = db_step(&st);
    if (s == DB_ROW) {
        if (pairing_id)
            *pairing_id = db_col_int64(&st, 0);
        if (side)
            *side = (int)db_col_int64(&st, 1);
        rc = SVC_OK;
    } else if (s == DB_DONE) {
        rc = svc_fail(c, SVC_NOT_FOUND, "err_unit_unknown", "unit_id", "there is no unit %lld",
                      (long long)unit_id);
    } else {
        rc = svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading unit %lld failed",
                      (long long)unit_id);
    }
    db_finalize(&st);
    return rc;
}

int perm_unit_seen(struct ctx *c, int64_t unit_id, int64_t *pairing_id, int *side)
{
    int64_t pairing = 0;
    int rc = perm_unit_scope(c, unit_id, &pairing, side);
    if (rc == SVC_OK && (rc = perm_see(c, pairing)) == SVC_NOT_FOUND)
        rc = svc_fail(c, SVC_NOT_FOUND, "err_unit_unknown", "unit_id",
                      "unit %lld is another pairing's", (long long)unit_id);
    if (pairing_id)
        *pairing_id = pairing;
    return rc;
}

int perm_see(struct ctx *c, int64_t pairing_id)
{
    if (perm_is_admin_user(c))
        return SVC_OK;
    if (c->user->pairing_id <= 0) /* the public, an administrator of another kind */
        return deny(c, "read a pairing's things");
    if (pairing_id > 0 && perm_pairing_root(c, pairing_id) == c->user->pairing_id)
        return SVC_OK;
    return hide(c, pairing_id);
}

int perm_read_pairing(struct ctx *c, int64_t pairing_id)
{
    if (perm_is_admin_user(c))
        return SVC_OK;
    if (c->user->role < ROLE_MEMBER || c->user->pairing_id <= 0)
        return deny(c, "read this pairing");
    return perm_see(c, pairing_id);
}

int perm_manage_side(struct ctx *c, int64_t pairing_id, int side)
{
    if (perm_is_admin_user(c))
        return SVC_OK;
    /* The pairing first: another pairing's things are not found, whatever one's role. */
    if (c->user->pairing_id > 0 &&
        (pairing_id <= 0 || perm_pairing_root(c, pairing_id) != c->user->pairing_id))
        return hide(c, pairing_id);
    if (c->user->role != ROLE_COORDINATOR)
        return deny(c, "manage a side (coordinators only)");
    if (side != c->user->side || pairing_id <= 0)
        return deny(c, "manage another side");
    return SVC_OK;
}

int perm_manage_unit(struct ctx *c, int64_t unit_id)
{
    if (perm_is_admin_user(c))
        return SVC_OK;
    int64_t pairing = 0;
    int side = -1;
    int rc = perm_unit_scope(c, unit_id, &pairing, &side);
    if (rc == SVC_NOT_FOUND)
        return perm_see(c, 0); /* as another pairing's unit */
    if (rc != SVC_OK)
        return rc;
    return perm_manage_side(c, pairing, side);
}

int perm_member_of(struct ctx *c, int64_t unit_id)
{
    if (perm_is_admin_user(c))
        return SVC_OK;
    if (c->user->role >= ROLE_MEMBER && c->user->unit_id > 0 && c->user->unit_id == unit_id)
        return SVC_OK;
    return deny(c, "act for another unit");
}
