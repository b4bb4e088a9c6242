/* perm: scope checks (see perm.h for the rules). Each check costs at most two indexed
 * lookups; the rules read only the acting user (struct user, filled at sign-in) and the
 * pairing / unit rows the checked thing hangs from. */
#include "service/perm.h"

#include "store/db.h"

static int deny(struct ctx *c, const char *why)
{
    return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "%s is not allowed to %s",
                    c->user && c->user->login ? c->user->login : "this user", why);
}

bool perm_is_admin_user(const struct ctx *c)
{
    return !c->user || c->user->role == ROLE_ADMIN;
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

int perm_read_pairing(struct ctx *c, int64_t pairing_id)
{
    if (perm_is_admin_user(c))
        return SVC_OK;
    if (c->user->role < ROLE_MEMBER || c->user->pairing_id <= 0)
        return deny(c, "read this pairing");
    if (pairing_id > 0 && perm_pairing_root(c, pairing_id) == c->user->pairing_id)
        return SVC_OK;
    return deny(c, "read another pairing");
}

int perm_manage_side(struct ctx *c, int64_t pairing_id, int side)
{
    if (perm_is_admin_user(c))
        return SVC_OK;
    if (c->user->role != ROLE_COORDINATOR)
        return deny(c, "manage a side (coordinators only)");
    if (side != c->user->side || pairing_id <= 0 ||
        perm_pairing_root(c, pairing_id) != c->user->pairing_id)
        return deny(c, "manage another pairing or side");
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
        return deny(c, "manage that unit"); /* no existence oracle for other sides */
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
