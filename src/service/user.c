/* user: units and accounts (rules in user.h). On create, validation happens before any
 * transaction and names the field at fault; password hashing (tens of milliseconds) happens
 * before the transaction too, so the write lock is held only for the insert and its audit
 * row. An update instead reads, checks and writes inside its transaction: what it checks is
 * the row it then overwrites. */
#include "service/user.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/smtp.h"
#include "core/text.h"
#include "core/utf8.h"
#include "service/auth.h"
#include "service/perm.h"
#include "store/audit.h"
#include "store/db.h"

static const char *const unit_kinds[] = {"government", "department", "city",        "enterprise",
                                         "university", "institute",  "association", "park",
                                         "other"};
static const char *const unit_tiers[] = {"decision", "coordination", "execution"};
static const char *const languages[] = {"zh-Hans", "zh-Hant", "en"};
static const char *const role_names[] = {"public", "member", "coordinator", "leader", "admin"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

bool unit_kind_valid(const char *kind)
{
    return in_list(kind, unit_kinds, sizeof unit_kinds / sizeof *unit_kinds);
}

bool unit_tier_valid(const char *tier)
{
    return in_list(tier, unit_tiers, sizeof unit_tiers / sizeof *unit_tiers);
}

static bool language_valid(const char *l)
{
    return in_list(l, languages, sizeof languages / sizeof *languages);
}

enum role user_role_parse(const char *name)
{
    for (int r = ROLE_MEMBER; name && r <= ROLE_ADMIN; r++)
        if (strcmp(name, role_names[r]) == 0)
            return (enum role)r;
    return ROLE_PUBLIC;
}

const char *user_role_name(enum role r)
{
    return (unsigned)r <= ROLE_ADMIN ? role_names[r] : "public";
}

static const char *const admin_kinds[] = {NULL, "system", "security", "audit"};

enum admin_kind user_admin_kind_parse(const char *name)
{
    for (int k = ADMIN_SYSTEM; name && k <= ADMIN_AUDIT; k++)
        if (strcmp(name, admin_kinds[k]) == 0)
            return (enum admin_kind)k;
    return ADMIN_KIND_NONE;
}

const char *user_admin_kind_name(enum admin_kind k)
{
    return (unsigned)k <= ADMIN_AUDIT ? admin_kinds[k] : NULL;
}

/* Under --mlps a request never makes or changes an administrator account (三员分立: no
 * administrator could then give itself a second kind); the command line does. */
static int admin_from_cli(struct ctx *c)
{
    if (!auth_policy.mlps || !c->user)
        return SVC_OK;
    return svc_fail(c, SVC_FORBIDDEN, "err_admin_cli", "role",
                    "under --mlps administrator accounts are managed with duikou user on the "
                    "server");
}

static int store_error(struct ctx *c, const char *what)
{
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "%s failed", what);
}

static const char *col_dup(struct ctx *c, struct stmt *st, int i)
{
    return db_col_is_null(st, i) ? NULL : arena_strdup(c->arena, db_col_text(st, i));
}

/* A display text: valid UTF-8, no control characters, spaces (also U+3000) trimmed at both
 * ends, 1..max characters. *out is the trimmed arena copy. */
static int check_text(struct ctx *c, const char *s, const char *field, size_t max,
                      const char **out)
{
    if (!s)
        return svc_fail(c, SVC_INVALID, "err_required", field, "%s is required", field);
    size_t len = strlen(s);
    if (!utf8_valid(s, len, NULL))
        return svc_fail(c, SVC_INVALID, "err_bad_utf8", field, "%s is not valid UTF-8", field);
    size_t n;
    uint32_t *cp = utf8_to_cps(c->arena, s, len, &n);
    size_t a = 0, b = n;
    while (a < b && cp_is_space(cp[a]))
        a++;
    while (b > a && cp_is_space(cp[b - 1]))
        b--;
    if (a == b)
        return svc_fail(c, SVC_INVALID, "err_required", field, "%s is empty", field);
    if (b - a > max)
        return svc_fail(c, SVC_INVALID, "err_too_long", field, "%s has more than %zu characters",
                        field, max);
    for (size_t i = a; i < b; i++)
        if (cp[i] < 0x20 || (cp[i] >= 0x7f && cp[i] < 0xa0) || cp[i] == 0x2028 || cp[i] == 0x2029)
            return svc_fail(c, SVC_INVALID, "err_invalid", field,
                            "%s holds a control character", field);
    *out = utf8_from_cps(c->arena, cp + a, b - a);
    return SVC_OK;
}

/* ---- units ---------------------------------------------------------------------------- */

static void unit_json(struct sb *out, const struct unit_view *u)
{
    struct jw w;
    jw_init(&w, out, false);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", u->pairing_id);
    jw_kint(&w, "side", u->side);
    if (u->region_id)
        jw_kint(&w, "region_id", u->region_id);
    else
        jw_knull(&w, "region_id");
    jw_kstr(&w, "name", u->name);
    jw_kstr(&w, "kind", u->kind);
    jw_kstr(&w, "tier", u->tier);
    jw_obj_end(&w);
}

#define UNIT_COLUMNS                                                                          \
    "SELECT n.id, n.pairing_id, n.side, coalesce(n.region_id, 0), n.name, n.kind, n.tier, "   \
    "n.created_at, n.updated_at, p.name_a, p.name_b, "                                        \
    "(SELECT count(*) FROM users u WHERE u.unit_id = n.id) "                                  \
    "FROM unit n JOIN pairing p ON p.id = n.pairing_id "

static void unit_row(struct ctx *c, struct stmt *st, struct unit_view *u)
{
    u->id = db_col_int64(st, 0);
    u->pairing_id = db_col_int64(st, 1);
    u->side = (int)db_col_int64(st, 2);
    u->region_id = db_col_int64(st, 3);
    u->name = col_dup(c, st, 4);
    u->kind = col_dup(c, st, 5);
    u->tier = col_dup(c, st, 6);
    u->created_at = col_dup(c, st, 7);
    u->updated_at = col_dup(c, st, 8);
    u->pairing_a = col_dup(c, st, 9);
    u->pairing_b = col_dup(c, st, 10);
    u->users = (int)db_col_int64(st, 11);
}

/* Reads a unit without a permission check. */
static int unit_read(struct ctx *c, int64_t id, struct unit_view *out)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, UNIT_COLUMNS "WHERE n.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        unit_row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading unit %lld failed",
                        (long long)id);
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_unit_unknown", "unit_id", "there is no unit %lld",
                        (long long)id);
    return SVC_OK;
}

static bool region_exists(struct ctx *c, int64_t id)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT 1 FROM region WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    bool found = db_step(&st) == DB_ROW;
    db_finalize(&st);
    return found;
}

int unit_create(struct ctx *c, const struct unit_input *in, int64_t *id)
{
    int rc = perm_manage_side(c, in->pairing_id, in->side);
    if (rc != SVC_OK)
        return rc;
    if (in->side != 0 && in->side != 1)
        return svc_fail(c, SVC_INVALID, "err_side", "side", "side is 0 or 1, not %d", in->side);
    struct stmt st;
    db_prepare(c->db, &st, "SELECT parent_id IS NULL FROM pairing WHERE id = :id");
    db_bind_int64(&st, ":id", in->pairing_id);
    int s = db_step(&st);
    bool top = s == DB_ROW && db_col_int64(&st, 0) != 0;
    db_finalize(&st);
    if (s < 0)
        return store_error(c, "reading the pairing");
    if (s != DB_ROW)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "there is no pairing %lld", (long long)in->pairing_id);
    if (!top)
        return svc_fail(c, SVC_INVALID, "err_pairing_not_province", "pairing_id",
                        "pairing %lld is a city pairing; units belong to the province pairing "
                        "above it",
                        (long long)in->pairing_id);
    struct unit_view u = {.pairing_id = in->pairing_id, .side = in->side,
                          .region_id = in->region_id};
    if ((rc = check_text(c, in->name, "name", UNIT_NAME_MAX, &u.name)) != SVC_OK)
        return rc;
    if (!unit_kind_valid(in->kind))
        return svc_fail(c, SVC_INVALID, "err_kind", "kind", "unknown unit kind '%s'",
                        in->kind ? in->kind : "");
    if (!unit_tier_valid(in->tier))
        return svc_fail(c, SVC_INVALID, "err_tier", "tier", "unknown tier '%s'",
                        in->tier ? in->tier : "");
    u.kind = in->kind;
    u.tier = in->tier;
    if (in->region_id < 0 || (in->region_id && !region_exists(c, in->region_id)))
        return svc_fail(c, SVC_INVALID, "err_region_unknown", "region_id",
                        "there is no region %lld", (long long)in->region_id);

    const char *now = svc_now(c);
    if (db_begin(c->db) < 0)
        return store_error(c, "starting the transaction");
    db_prepare(c->db, &st,
               "INSERT INTO unit (pairing_id, side, region_id, name, name_key, kind, tier, "
               "created_at, updated_at) VALUES (:p, :side, :region, :name, :key, :kind, :tier, "
               ":now, :now)");
    db_bind_int64(&st, ":p", u.pairing_id);
    db_bind_int64(&st, ":side", u.side);
    if (u.region_id)
        db_bind_int64(&st, ":region", u.region_id);
    else
        db_bind_null(&st, ":region");
    db_bind_text(&st, ":name", u.name);
    db_bind_text(&st, ":key", text_key(c->arena, u.name));
    db_bind_text(&st, ":kind", u.kind);
    db_bind_text(&st, ":tier", u.tier);
    db_bind_text(&st, ":now", now);
    s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) {
        db_rollback(c->db);
        return svc_fail(c, SVC_CONFLICT, "err_exists", "name",
                        "this side of the pairing already has a unit called %s", u.name);
    }
    if (s < 0)
        return store_error(c, "storing the unit");
    int64_t new_id = db_last_insert_id(c->db);
    struct sb after = SB_INIT;
    unit_json(&after, &u);
    s = audit_append(c->db, c->actor, "unit.create", "unit", new_id, NULL, sb_str(&after),
                     c->client);
    sb_free(&after);
    if (s < 0 || db_commit(c->db) < 0)
        return store_error(c, "recording the unit");
    if (id)
        *id = new_id;
    return SVC_OK;
}

int unit_update(struct ctx *c, int64_t id, const struct unit_input *in)
{
    /* Read, permission and write are one transaction, and the UPDATE names the updated_at
     * it read: the permission is decided on the row that is written over, and a change made
     * by someone else in between is never silently written back from an older copy. */
    struct sb before = SB_INIT, after = SB_INIT;
    struct unit_view old, u;
    struct stmt st;
    int rc, s;
    if (db_begin(c->db) < 0)
        return store_error(c, "starting the transaction");
    rc = unit_read(c, id, &old);
    if (rc == SVC_NOT_FOUND && !perm_is_admin_user(c))
        rc = perm_see(c, 0); /* as another pairing's unit: ids reveal nothing */
    if (rc != SVC_OK)
        goto done;
    if ((rc = perm_manage_side(c, old.pairing_id, old.side)) != SVC_OK)
        goto done;
    if (in->if_updated_at && strcmp(in->if_updated_at, old.updated_at) != 0) {
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "unit %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    u = old;
    if (in->name && (rc = check_text(c, in->name, "name", UNIT_NAME_MAX, &u.name)) != SVC_OK)
        goto done;
    if (in->kind && !unit_kind_valid(in->kind)) {
        rc = svc_fail(c, SVC_INVALID, "err_kind", "kind", "unknown unit kind '%s'", in->kind);
        goto done;
    }
    if (in->tier && !unit_tier_valid(in->tier)) {
        rc = svc_fail(c, SVC_INVALID, "err_tier", "tier", "unknown tier '%s'", in->tier);
        goto done;
    }
    if (in->kind)
        u.kind = in->kind;
    if (in->tier)
        u.tier = in->tier;
    if (in->region_id < 0 || (in->region_id && !region_exists(c, in->region_id))) {
        rc = svc_fail(c, SVC_INVALID, "err_region_unknown", "region_id",
                      "there is no region %lld", (long long)in->region_id);
        goto done;
    }
    if (in->region_id)
        u.region_id = in->region_id;

    unit_json(&before, &old);
    unit_json(&after, &u);
    if (strcmp(sb_str(&before), sb_str(&after)) == 0)
        goto done; /* nothing changes: no write, no audit row */
    db_prepare(c->db, &st,
               "UPDATE unit SET name = :name, name_key = :key, kind = :kind, tier = :tier, "
               "region_id = :region, updated_at = :now WHERE id = :id AND updated_at = :seen");
    db_bind_text(&st, ":name", u.name);
    db_bind_text(&st, ":key", text_key(c->arena, u.name));
    db_bind_text(&st, ":kind", u.kind);
    db_bind_text(&st, ":tier", u.tier);
    if (u.region_id)
        db_bind_int64(&st, ":region", u.region_id);
    else
        db_bind_null(&st, ":region");
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) {
        rc = svc_fail(c, SVC_CONFLICT, "err_exists", "name",
                      "this side of the pairing already has a unit called %s", u.name);
        goto done;
    }
    if (s >= 0 && db_changes(c->db) == 0) { /* cannot happen under the write lock; if it did */
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "unit %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    if (s < 0 || audit_append(c->db, c->actor, "unit.update", "unit", id, sb_str(&before),
                              sb_str(&after), c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = store_error(c, "updating the unit");
done:
    db_rollback(c->db); /* a no-op after the commit */
    sb_free(&before);
    sb_free(&after);
    return rc;
}

int unit_get(struct ctx *c, int64_t id, struct unit_view *out)
{
    int rc = unit_read(c, id, out);
    /* A missing unit answers like another pairing's unit: ids must not reveal what exists. */
    if (rc == SVC_NOT_FOUND && !perm_is_admin_user(c))
        return perm_see(c, 0);
    if (rc != SVC_OK)
        return rc;
    return perm_read_pairing(c, out->pairing_id);
}

/* The province pairing a unit list covers (0: every one, for an admin), after the read
 * permission. An unknown pairing is SVC_NOT_FOUND for an admin (the others are refused by
 * the permission first). */
static int unit_list_scope(struct ctx *c, int64_t *pairing_id)
{
    int rc;
    if (*pairing_id) {
        if ((rc = perm_read_pairing(c, *pairing_id)) != SVC_OK)
            return rc;
        int64_t root = perm_pairing_root(c, *pairing_id); /* units hang from province pairings */
        if (!root)
            return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "pairing",
                            "there is no pairing %lld", (long long)*pairing_id);
        *pairing_id = root;
    } else if (!perm_is_admin_user(c)) {
        if ((rc = perm_read_pairing(c, c->user->pairing_id)) != SVC_OK)
            return rc;
        *pairing_id = c->user->pairing_id;
    }
    return SVC_OK;
}

int unit_list(struct ctx *c, int64_t pairing_id, int side, struct unit_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = unit_list_scope(c, &pairing_id);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    db_prepare(c->db, &st,
               UNIT_COLUMNS "WHERE (:p = 0 OR n.pairing_id = :p) AND (:side < 0 OR n.side = :side) "
                            "ORDER BY n.pairing_id, n.side, n.id");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":side", side);
    int s;
    while ((s = db_step(&st)) == DB_ROW)
        unit_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the units failed");
    return SVC_OK;
}

int unit_list_page(struct ctx *c, int64_t pairing_id, int side, int64_t after, int limit,
                   struct unit_view **out, size_t *n, int64_t *next_after)
{
    *out = NULL;
    *n = 0;
    *next_after = 0;
    if (after < 0 || limit < 1 || limit > USER_PAGE_MAX)
        return svc_fail(c, SVC_INVALID, "err_range", "limit", "limit is 1–%d", USER_PAGE_MAX);
    int rc = unit_list_scope(c, &pairing_id);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    db_prepare(c->db, &st,
               UNIT_COLUMNS "WHERE (:p = 0 OR n.pairing_id = :p) AND (:side < 0 OR n.side = :side) "
                            "AND n.id > :after ORDER BY n.id LIMIT :lim");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":side", side);
    db_bind_int64(&st, ":after", after);
    db_bind_int64(&st, ":lim", (int64_t)limit + 1); /* one more tells whether a page follows */
    int s;
    while ((s = db_step(&st)) == DB_ROW && *n < (size_t)limit)
        unit_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the units failed");
    if (s == DB_ROW) /* the extra row: another page follows */
        *next_after = (*out)[*n - 1].id;
    return SVC_OK;
}

int unit_find(struct ctx *c, const char *id_or_name, int64_t *id)
{
    *id = 0;
    if (!id_or_name || !*id_or_name)
        return svc_fail(c, SVC_INVALID, "err_required", "unit", "a unit id or name is required");
    char *end;
    long long v = strtoll(id_or_name, &end, 10);
    if (*end == 0 && v > 0) {
        struct unit_view u;
        int rc = unit_get(c, v, &u);
        if (rc == SVC_OK)
            *id = v;
        return rc;
    }
    int64_t scope = perm_is_admin_user(c) ? 0 : c->user->pairing_id;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id FROM unit WHERE name_key = :key AND (:p = 0 OR pairing_id = :p) "
               "ORDER BY id LIMIT 2");
    db_bind_text(&st, ":key", text_key(c->arena, id_or_name));
    db_bind_int64(&st, ":p", scope);
    int found = 0, s;
    while ((s = db_step(&st)) == DB_ROW) {
        if (!found)
            *id = db_col_int64(&st, 0);
        found++;
    }
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "looking the unit up failed");
    if (found == 0)
        return svc_fail(c, SVC_NOT_FOUND, "err_unit_unknown", "unit", "no unit is called %s",
                        id_or_name);
    if (found > 1) {
        *id = 0;
        return svc_fail(c, SVC_CONFLICT, "err_unit_ambiguous", "unit",
                        "several units are called %s; give the unit id (duikou unit list)",
                        id_or_name);
    }
    return SVC_OK;
}

/* ---- users ---------------------------------------------------------------------------- */

const char *user_login_normalize(struct ctx *c, const char *login)
{
    if (!login)
        return NULL;
    while (*login == ' ' || *login == '\t')
        login++;
    size_t n = strlen(login);
    while (n && (login[n - 1] == ' ' || login[n - 1] == '\t'))
        n--;
    if (n < LOGIN_MIN || n > LOGIN_MAX)
        return NULL;
    char *out = arena_strndup(c->arena, login, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)out[i];
        if (ch >= 0x80)
            return NULL;
        ch = (unsigned char)tolower(ch);
        out[i] = (char)ch;
        bool alnum = isdigit(ch) || (ch >= 'a' && ch <= 'z');
        if (!alnum && (i == 0 || !strchr("._-@", ch)))
            return NULL;
    }
    return out;
}

#define USER_COLUMNS                                                                          \
    "SELECT u.id, coalesce(u.unit_id, 0), coalesce(n.pairing_id, 0), coalesce(n.side, -1), "  \
    "u.login, u.name, u.role, u.language, n.name, u.disabled, u.failed_logins, "              \
    "u.locked_until, u.pw_changed_at, u.created_at, u.updated_at, "                           \
    "coalesce(u.locked_until > :now, 0), u.email, u.admin_kind, u.pw_must_change, "           \
    "u.last_login_at "                                                                        \
    "FROM users u LEFT JOIN unit n ON n.id = u.unit_id "

static void user_row(struct ctx *c, struct stmt *st, struct user_view *u)
{
    u->id = db_col_int64(st, 0);
    u->unit_id = db_col_int64(st, 1);
    u->pairing_id = db_col_int64(st, 2);
    u->side = (int)db_col_int64(st, 3);
    u->login = col_dup(c, st, 4);
    u->name = col_dup(c, st, 5);
    u->role = col_dup(c, st, 6);
    u->language = col_dup(c, st, 7);
    u->unit_name = col_dup(c, st, 8);
    u->disabled = db_col_int64(st, 9) != 0;
    u->failed_logins = (int)db_col_int64(st, 10);
    u->locked_until = col_dup(c, st, 11);
    u->pw_changed_at = col_dup(c, st, 12);
    u->created_at = col_dup(c, st, 13);
    u->updated_at = col_dup(c, st, 14);
    u->locked = db_col_int64(st, 15) != 0;
    u->email = db_col_is_null(st, 16) ? NULL : col_dup(c, st, 16);
    u->admin_kind = db_col_is_null(st, 17) ? NULL : col_dup(c, st, 17);
    u->pw_must_change = db_col_int64(st, 18) != 0;
    u->last_login_at = db_col_is_null(st, 19) ? NULL : col_dup(c, st, 19);
}

static int user_read(struct ctx *c, int64_t id, struct user_view *out)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, USER_COLUMNS "WHERE u.id = :id");
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    if (s == DB_ROW)
        user_row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading user %lld failed",
                        (long long)id);
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "user_id", "there is no user %lld",
                        (long long)id);
    return SVC_OK;
}

int user_load(struct ctx *c, int64_t id, struct user *out)
{
    struct user_view v;
    memset(out, 0, sizeof *out);
    int rc = user_read(c, id, &v);
    if (rc != SVC_OK)
        return rc;
    out->id = v.id;
    out->role = user_role_parse(v.role);
    out->admin_kind = out->role == ROLE_ADMIN ? user_admin_kind_parse(v.admin_kind)
                                              : ADMIN_KIND_NONE;
    if (out->role == ROLE_ADMIN) {
        out->unit_id = 0;
        out->pairing_id = 0;
        out->side = -1;
    } else {
        out->unit_id = v.unit_id;
        out->pairing_id = v.pairing_id;
        out->side = v.side;
    }
    out->login = v.login;
    out->name = v.name;
    out->unit_name = out->role == ROLE_ADMIN ? NULL : v.unit_name;
    out->language = v.language;
    return SVC_OK;
}

int user_id_by_login(struct ctx *c, const char *login, int64_t *id)
{
    *id = 0;
    const char *norm = user_login_normalize(c, login);
    if (!norm)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "login", "no account has login %s",
                        login ? login : "");
    struct stmt st;
    db_prepare(c->db, &st, "SELECT id FROM users WHERE login = :l");
    db_bind_text(&st, ":l", norm);
    int s = db_step(&st);
    if (s == DB_ROW)
        *id = db_col_int64(&st, 0);
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");
    if (!*id)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "login", "no account has login %s",
                        norm);
    return SVC_OK;
}

/* Is v on the acting coordinator's side? */
static bool on_my_side(const struct ctx *c, int64_t pairing_id, int side)
{
    return c->user && c->user->pairing_id > 0 && pairing_id == c->user->pairing_id &&
           side == c->user->side;
}

int user_may_manage(struct ctx *c, int64_t id)
{
    bool admin = perm_is_admin_user(c) || perm_admin_acts_as(c, ADMIN_SECURITY);
    if (admin && (!auth_policy.mlps || !c->user))
        return SVC_OK;
    struct user_view v;
    int rc = user_read(c, id, &v);
    if (rc == SVC_ERROR)
        return rc;
    if (admin) /* under --mlps an administrator account is the command line's to manage */
        return rc == SVC_OK && user_role_parse(v.role) == ROLE_ADMIN ? admin_from_cli(c) : SVC_OK;
    if (rc == SVC_OK && c->user->role == ROLE_COORDINATOR &&
        user_role_parse(v.role) == ROLE_MEMBER && on_my_side(c, v.pairing_id, v.side))
        return SVC_OK;
    return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                    "%s may not manage that account", c->user->login);
}

static void user_json(struct sb *out, const struct user_view *u)
{
    struct jw w;
    jw_init(&w, out, false);
    jw_obj(&w);
    jw_kstr(&w, "login", u->login);
    jw_kstr(&w, "name", u->name);
    jw_kstr(&w, "role", u->role);
    if (u->unit_id)
        jw_kint(&w, "unit_id", u->unit_id);
    else
        jw_knull(&w, "unit_id");
    jw_kstr(&w, "language", u->language);
    if (u->email)
        jw_kstr(&w, "email", u->email);
    else
        jw_knull(&w, "email");
    jw_kbool(&w, "disabled", u->disabled);
    if (u->admin_kind)
        jw_kstr(&w, "admin_kind", u->admin_kind);
    jw_obj_end(&w);
}

/* An e-mail address: NULL or "" for none, else one core/smtp.h accepts (err_email). */
static int check_email(struct ctx *c, const char *in, const char **out)
{
    *out = NULL;
    if (!in || !*in)
        return SVC_OK;
    if (!smtp_address_ok(in))
        return svc_fail(c, SVC_INVALID, "err_email", "email",
                        "not an e-mail address: name@example.org");
    *out = in;
    return SVC_OK;
}

/* Checks role and unit together: an admin has no unit, everyone else has one that exists;
 * for an actor who is not an admin, also that the unit is on the actor's side. */
static int check_role_unit(struct ctx *c, enum role role, int64_t unit_id)
{
    if (role == ROLE_ADMIN) {
        if (unit_id)
            return svc_fail(c, SVC_INVALID, "err_admin_unit", "unit_id",
                            "an admin account belongs to no unit");
        return SVC_OK;
    }
    if (!unit_id)
        return svc_fail(c, SVC_INVALID, "err_required", "unit_id",
                        "a %s account belongs to a unit", user_role_name(role));
    int64_t pairing = 0;
    int side = -1;
    int rc = perm_unit_seen(c, unit_id, &pairing, &side);
    if (rc == SVC_NOT_FOUND)
        return svc_fail(c, SVC_INVALID, "err_unit_unknown", "unit_id", "there is no unit %lld",
                        (long long)unit_id);
    if (rc != SVC_OK)
        return rc;
    if (!perm_is_admin_user(c) && !on_my_side(c, pairing, side))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", "unit_id",
                        "%s may only place accounts in units of its own side", c->user->login);
    return SVC_OK;
}

/* An account's kind of administrator as given (in: NULL or a name) into *out: only an admin
 * has one, one of the three, and under --mlps every admin has one. */
static int check_admin_kind(struct ctx *c, enum role role, const char *in, const char **out)
{
    *out = NULL;
    if (in && !*in)
        in = NULL;
    if (in && role != ROLE_ADMIN)
        return svc_fail(c, SVC_INVALID, "err_admin_kind_role", "admin_kind",
                        "only an admin account has a kind of administrator");
    if (in && !user_admin_kind_parse(in))
        return svc_fail(c, SVC_INVALID, "err_admin_kind_value", "admin_kind",
                        "the kind of administrator is one of system, security, audit, not '%s' "
                        "(三员分立: one kind per account)",
                        in);
    if (!in && role == ROLE_ADMIN && auth_policy.mlps)
        return svc_fail(c, SVC_INVALID, "err_admin_kind_required", "admin_kind",
                        "under --mlps an admin account has exactly one kind: system, security "
                        "or audit");
    *out = user_admin_kind_name(user_admin_kind_parse(in));
    return SVC_OK;
}

int user_create(struct ctx *c, const struct user_input *in, int64_t *id)
{
    enum role role = user_role_parse(in->role);
    /* Permission first: only admins, and coordinators creating members. */
    if (!perm_is_admin_user(c)) {
        if (c->user->role != ROLE_COORDINATOR)
            return perm_is_admin(c);
        if (role != ROLE_MEMBER)
            return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", "role",
                            "a coordinator creates member accounts only");
    }
    struct user_view u = {0};
    u.login = user_login_normalize(c, in->login);
    if (!u.login)
        return svc_fail(c, SVC_INVALID, in->login ? "err_login_invalid" : "err_required", "login",
                        "a login is %d–%d characters of a-z 0-9 . _ - @, starting with a letter "
                        "or digit",
                        LOGIN_MIN, LOGIN_MAX);
    if (role == ROLE_PUBLIC)
        return svc_fail(c, SVC_INVALID, "err_role", "role",
                        "the role is admin, leader, coordinator or member, not '%s'",
                        in->role ? in->role : "");
    u.role = user_role_name(role);
    int rc = check_role_unit(c, role, in->unit_id);
    if (rc != SVC_OK)
        return rc;
    if (role == ROLE_ADMIN && (rc = admin_from_cli(c)) != SVC_OK)
        return rc;
    if ((rc = check_admin_kind(c, role, in->admin_kind, &u.admin_kind)) != SVC_OK)
        return rc;
    u.unit_id = in->unit_id;
    if ((rc = check_text(c, in->name ? in->name : u.login, "name", USER_NAME_MAX, &u.name)) !=
        SVC_OK)
        return rc;
    u.language = in->language ? in->language : "zh-Hans";
    if (!language_valid(u.language))
        return svc_fail(c, SVC_INVALID, "err_language", "language",
                        "the language is zh-Hans, zh-Hant or en");
    if ((rc = check_email(c, in->email, &u.email)) != SVC_OK)
        return rc;
    int64_t existing = 0;
    if (user_id_by_login(c, u.login, &existing) == SVC_OK)
        return svc_fail(c, SVC_CONFLICT, "err_login_taken", "login", "login %s is taken",
                        u.login);
    if ((rc = auth_password_acceptable(c, u.login, in->password)) != SVC_OK)
        return rc;
    const char *hash = auth_hash_password(c, in->password);
    if (!hash)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "hashing the password failed");

    const char *now = svc_now(c);
    struct stmt st;
    if (db_begin(c->db) < 0)
        return store_error(c, "starting the transaction");
    /* A password set by someone else: under --mlps it is changed at the first sign-in. */
    db_prepare(c->db, &st,
               "INSERT INTO users (unit_id, login, name, pw_hash, role, language, email, "
               "pw_changed_at, created_at, updated_at, pw_must_change, admin_kind) VALUES (:unit, "
               ":login, :name, :hash, :role, :lang, :email, :now, :now, :now, 1, :kind)");
    db_bind_text(&st, ":kind", u.admin_kind);
    if (u.unit_id)
        db_bind_int64(&st, ":unit", u.unit_id);
    else
        db_bind_null(&st, ":unit");
    db_bind_text(&st, ":login", u.login);
    db_bind_text(&st, ":name", u.name);
    db_bind_text(&st, ":hash", hash);
    db_bind_text(&st, ":role", u.role);
    db_bind_text(&st, ":lang", u.language);
    if (u.email)
        db_bind_text(&st, ":email", u.email);
    else
        db_bind_null(&st, ":email");
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) { /* a concurrent create took the login */
        db_rollback(c->db);
        return svc_fail(c, SVC_CONFLICT, "err_login_taken", "login", "login %s is taken",
                        u.login);
    }
    if (s < 0)
        return store_error(c, "storing the account");
    int64_t new_id = db_last_insert_id(c->db);
    struct sb after = SB_INIT;
    user_json(&after, &u);
    s = audit_append(c->db, c->actor, "user.create", "users", new_id, NULL, sb_str(&after),
                     c->client);
    sb_free(&after);
    if (s < 0 || db_commit(c->db) < 0)
        return store_error(c, "recording the account");
    if (id)
        *id = new_id;
    return SVC_OK;
}

int user_update(struct ctx *c, int64_t id, const struct user_input *in)
{
    /* As unit_update: read, permission and write in one transaction, the UPDATE guarded by
     * the updated_at it read, so a rename never writes back a role or unit that an admin
     * changed in between, and the permission is judged on the account as it is. */
    struct sb before = SB_INIT, after = SB_INIT;
    struct user_view old, u;
    struct stmt st;
    bool self = c->user && c->user->id == id;
    int rc, s;
    if (db_begin(c->db) < 0)
        return store_error(c, "starting the transaction");
    rc = user_read(c, id, &old);
    if (rc == SVC_NOT_FOUND && !perm_is_admin_user(c))
        rc = perm_is_admin(c);
    if (rc != SVC_OK)
        goto done;
    u = old;
    enum role role = in->role ? user_role_parse(in->role) : user_role_parse(old.role);
    int64_t unit = role == ROLE_ADMIN ? in->unit_id : in->unit_id ? in->unit_id : old.unit_id;
    bool scope_change = role != user_role_parse(old.role) || unit != old.unit_id;
    bool disable = in->disable ? in->disable > 0 : old.disabled;
    if (self && disable) { /* nobody may, so say that rather than "forbidden" */
        rc = svc_fail(c, SVC_CONFLICT, "err_self_disable", "disabled",
                      "you cannot disable your own account");
        goto done;
    }
    /* Permission first. Everyone may rename themselves and pick their language. */
    if (!(self && !scope_change && disable == old.disabled) &&
        (rc = user_may_manage(c, id)) != SVC_OK)
        goto done;
    /* 三员分立 (perm.h): the security administrator only disables and enables, the system
     * administrator all else; administrator accounts only on the command line. */
    bool others = !(self && !scope_change && disable == old.disabled);
    if (others && (role == ROLE_ADMIN || user_role_parse(old.role) == ROLE_ADMIN) &&
        (rc = admin_from_cli(c)) != SVC_OK)
        goto done;
    if (others && !perm_is_admin_user(c) && perm_admin_acts_as(c, ADMIN_SECURITY) &&
        (scope_change || (in->name && strcmp(in->name, old.name) != 0) ||
         (in->language && strcmp(in->language, old.language) != 0) ||
         (in->email && strcmp(in->email, old.email ? old.email : "") != 0))) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_admin_kind", "role",
                      "the security administrator only disables and enables accounts");
        goto done;
    }
    if (others && disable != old.disabled && !perm_admin_acts_as(c, ADMIN_SECURITY) &&
        c->user->role == ROLE_ADMIN) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_admin_kind", "disabled",
                      "under --mlps the security administrator disables and enables accounts");
        goto done;
    }
    if (!perm_is_admin_user(c) && !perm_admin_acts_as(c, ADMIN_SECURITY) && scope_change &&
        role != ROLE_MEMBER) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", "role",
                      "a coordinator manages member accounts only");
        goto done;
    }
    /* Only then the version, so a stale answer goes to someone who may see the account. */
    if (in->if_updated_at && strcmp(in->if_updated_at, old.updated_at) != 0) {
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "account %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    if (in->login) {
        const char *l = user_login_normalize(c, in->login);
        if (!l || strcmp(l, old.login) != 0) {
            rc = svc_fail(c, SVC_INVALID, "err_login_fixed", "login",
                          "a login never changes; create a new account instead");
            goto done;
        }
    }
    if (in->role && role == ROLE_PUBLIC) {
        rc = svc_fail(c, SVC_INVALID, "err_role", "role",
                      "the role is admin, leader, coordinator or member, not '%s'", in->role);
        goto done;
    }
    if (scope_change && (rc = check_role_unit(c, role, unit)) != SVC_OK)
        goto done;
    u.role = user_role_name(role);
    u.unit_id = unit;
    u.disabled = disable;
    if (role != ROLE_ADMIN) /* a kind is an admin's (migration 24's CHECK): it goes with the role */
        u.admin_kind = NULL;
    if (in->name && (rc = check_text(c, in->name, "name", USER_NAME_MAX, &u.name)) != SVC_OK)
        goto done;
    if (in->language) {
        if (!language_valid(in->language)) {
            rc = svc_fail(c, SVC_INVALID, "err_language", "language",
                          "the language is zh-Hans, zh-Hant or en");
            goto done;
        }
        u.language = in->language;
    }
    if (in->email && (rc = check_email(c, in->email, &u.email)) != SVC_OK)
        goto done;
    user_json(&before, &old);
    user_json(&after, &u);
    if (strcmp(sb_str(&before), sb_str(&after)) == 0)
        goto done; /* nothing changes */
    /* A change of the disabled flag also clears the failed sign-ins and any lock. */
    db_prepare(c->db, &st,
               "UPDATE users SET name = :name, role = :role, unit_id = :unit, language = :lang, "
               "email = :email, disabled = :dis, admin_kind = :kind, "
               "failed_logins = CASE WHEN disabled = :dis THEN failed_logins ELSE 0 END, "
               "locked_until = CASE WHEN disabled = :dis THEN locked_until END, "
               "updated_at = :now WHERE id = :id AND updated_at = :seen");
    db_bind_int64(&st, ":dis", disable);
    db_bind_text(&st, ":kind", u.admin_kind);
    db_bind_text(&st, ":name", u.name);
    db_bind_text(&st, ":role", u.role);
    if (u.unit_id)
        db_bind_int64(&st, ":unit", u.unit_id);
    else
        db_bind_null(&st, ":unit");
    db_bind_text(&st, ":lang", u.language);
    if (u.email)
        db_bind_text(&st, ":email", u.email);
    else
        db_bind_null(&st, ":email");
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    s = db_step(&st);
    db_finalize(&st);
    if (s >= 0 && db_changes(c->db) == 0) { /* cannot happen under the write lock; if it did */
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "account %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    /* One audit row: named for the flag when that changed, the diff shows any other field. */
    const char *action = disable == old.disabled ? "user.update"
                         : disable              ? "user.disable"
                                                : "user.enable";
    if (s < 0 ||
        (disable && !old.disabled &&
         auth_revoke_sessions(c, id, 0, "account disabled", NULL) != SVC_OK) ||
        audit_append(c->db, c->actor, action, "users", id, sb_str(&before), sb_str(&after),
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = store_error(c, "updating the account");
done:
    db_rollback(c->db); /* a no-op after the commit */
    sb_free(&before);
    sb_free(&after);
    return rc;
}

int user_set_disabled(struct ctx *c, int64_t id, bool disabled)
{
    struct user_input in = {.disable = disabled ? 1 : -1};
    return user_update(c, id, &in);
}

int user_may_sign_in(struct ctx *c, int64_t id)
{
    struct user_view v;
    if (!auth_policy.mlps)
        return SVC_OK;
    int rc = user_read(c, id, &v);
    if (rc != SVC_OK)
        return rc;
    if (user_role_parse(v.role) != ROLE_ADMIN || user_admin_kind_parse(v.admin_kind))
        return SVC_OK;
    /* the refused sign-in is audited as the failed ones are */
    if (db_begin(c->db) < 0 ||
        audit_append(c->db, c->actor ? c->actor : "anonymous", "auth.login_refused", "users", id,
                     NULL, "{\"reason\":\"admin_kind_missing\"}", c->client) < 0 ||
        db_commit(c->db) < 0)
        return store_error(c, "recording the refused sign-in");
    return svc_fail(c, SVC_FORBIDDEN, "err_admin_kind_missing", "login",
                    "%s is an admin of no kind; under --mlps give it one on the server: "
                    "duikou user set-admin-kind --login %s --kind system|security|audit",
                    v.login, v.login);
}

int user_set_admin_kind(struct ctx *c, int64_t id, const char *kind)
{
    struct sb before = SB_INIT, after = SB_INIT;
    struct user_view old, u;
    struct stmt st;
    int rc = perm_is_admin(c);
    if (rc != SVC_OK || (rc = admin_from_cli(c)) != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return store_error(c, "starting the transaction");
    if ((rc = user_read(c, id, &old)) != SVC_OK)
        goto done;
    u = old;
    if ((rc = check_admin_kind(c, user_role_parse(old.role), kind, &u.admin_kind)) != SVC_OK)
        goto done;
    if (!u.admin_kind) { /* given none: a non-admin got here through check_admin_kind */
        rc = svc_fail(c, SVC_INVALID, "err_admin_kind_value", "admin_kind",
                      "the kind of administrator is one of system, security, audit");
        goto done;
    }
    if (user_role_parse(old.role) != ROLE_ADMIN) {
        rc = svc_fail(c, SVC_INVALID, "err_admin_kind_role", "admin_kind",
                      "only an admin account has a kind of administrator");
        goto done;
    }
    if (old.admin_kind && strcmp(old.admin_kind, u.admin_kind) == 0)
        goto done; /* nothing changes */
    if (old.admin_kind && auth_policy.mlps) {
        rc = svc_fail(c, SVC_CONFLICT, "err_admin_kind_second", "admin_kind",
                      "%s is already the %s administrator; under --mlps no account holds two "
                      "kinds: make another account",
                      old.login, old.admin_kind);
        goto done;
    }
    db_prepare(c->db, &st,
               "UPDATE users SET admin_kind = :k, updated_at = :now WHERE id = :id");
    db_bind_text(&st, ":k", u.admin_kind);
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    db_finalize(&st);
    user_json(&before, &old);
    user_json(&after, &u);
    /* the sessions carry the kind they were opened with: they end */
    if (s < 0 || auth_revoke_sessions(c, id, 0, "administrator kind changed", NULL) != SVC_OK ||
        audit_append(c->db, c->actor, "user.admin_kind", "users", id, sb_str(&before),
                     sb_str(&after), c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = store_error(c, "changing the kind of administrator");
done:
    db_rollback(c->db); /* a no-op after the commit */
    sb_free(&before);
    sb_free(&after);
    return rc;
}

/* ---- the security administrator's care of an account (user.h) ------------------------- */

static int may_secure(struct ctx *c, int64_t id)
{
    if (!perm_admin_acts_as(c, ADMIN_SECURITY)) {
        if (c->user && c->user->role == ROLE_ADMIN)
            return svc_fail(c, SVC_FORBIDDEN, "err_admin_kind", NULL,
                            "under --mlps the security administrator unlocks accounts and "
                            "ends their sessions");
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only an admin unlocks accounts and ends their sessions");
    }
    struct user_view v;
    int rc = user_read(c, id, &v);
    if (rc != SVC_OK)
        return rc;
    return user_role_parse(v.role) == ROLE_ADMIN ? admin_from_cli(c) : SVC_OK;
}

int user_unlock(struct ctx *c, int64_t id, bool *cleared)
{
    struct stmt st;
    if (cleared)
        *cleared = false;
    int rc = may_secure(c, id);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return store_error(c, "starting the transaction");
    /* what is cleared, for the audit row: the account's lock and failures, the addresses */
    db_prepare(c->db, &st,
               "SELECT failed_logins, locked_until, (SELECT count(*) FROM login_lock l "
               "WHERE l.user_id = users.id AND (l.failures > 0 OR l.locked_until IS NOT NULL)) "
               "FROM users WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    int64_t failures = s == DB_ROW ? db_col_int64(&st, 0) : 0;
    const char *until = s == DB_ROW && !db_col_is_null(&st, 1)
                            ? arena_strdup(c->arena, db_col_text(&st, 1))
                            : NULL;
    int64_t addresses = s == DB_ROW ? db_col_int64(&st, 2) : 0;
    db_finalize(&st);
    if (s != DB_ROW)
        return store_error(c, "reading the account's locks");
    if (failures == 0 && !until && addresses == 0) {
        db_rollback(c->db);
        return SVC_OK; /* nothing to clear, nothing written */
    }
    db_prepare(c->db, &st,
               "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    s = db_step(&st);
    db_finalize(&st);
    if (s >= 0) {
        db_prepare(c->db, &st, "DELETE FROM login_lock WHERE user_id = :id");
        db_bind_int64(&st, ":id", id);
        s = db_step(&st);
        db_finalize(&st);
    }
    struct sb before = SB_INIT;
    struct jw w;
    jw_init(&w, &before, false);
    jw_obj(&w);
    jw_kint(&w, "failed_logins", failures);
    if (until)
        jw_kstr(&w, "locked_until", until);
    else
        jw_knull(&w, "locked_until");
    jw_kint(&w, "address_locks", addresses);
    jw_obj_end(&w);
    if (s < 0 ||
        audit_append(c->db, c->actor, "user.unlock", "users", id, sb_str(&before),
                     "{\"failed_logins\":0,\"locked_until\":null,\"address_locks\":0}",
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = store_error(c, "unlocking the account");
    else if (cleared)
        *cleared = true;
    sb_free(&before);
    return rc;
}

int user_sessions(struct ctx *c, int64_t id, struct session_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = may_secure(c, id);
    if (rc != SVC_OK)
        return rc;
    /* auth's list, as the command line asks it: the permission was checked above */
    struct ctx as_cli = *c;
    as_cli.user = NULL;
    rc = auth_session_list(&as_cli, id, NULL, out, n);
    c->code = as_cli.code, c->error = as_cli.error, c->field = as_cli.field;
    return rc;
}

int user_end_sessions(struct ctx *c, int64_t id, int64_t session_id, int *ended)
{
    struct stmt st;
    if (ended)
        *ended = 0;
    int rc = may_secure(c, id);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return store_error(c, "starting the transaction");
    if (!session_id) {
        if (auth_revoke_sessions(c, id, 0, "ended by an administrator", ended) != SVC_OK ||
            db_commit(c->db) < 0)
            return store_error(c, "ending the sessions");
        return SVC_OK;
    }
    const char *now = svc_now(c);
    db_prepare(c->db, &st,
               "UPDATE session SET revoked_at = :now, end_reason = 'ended by an administrator' "
               "WHERE id = :s AND user_id = :u AND revoked_at IS NULL AND expires_at > :now");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":s", session_id);
    db_bind_int64(&st, ":u", id);
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return store_error(c, "ending the session");
    if (db_changes(c->db) == 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "session_id",
                        "account %lld has no live session %lld", (long long)id,
                        (long long)session_id);
    }
    /* entity session: its data version moves, so the session cache drops it at once */
    if (audit_append(c->db, c->actor, "auth.revoke_session", "session", session_id, NULL,
                     arena_printf(c->arena, "{\"user_id\":%lld,\"revoked_at\":\"%s\","
                                            "\"reason\":\"ended by an administrator\"}",
                                  (long long)id, now),
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        return store_error(c, "ending the session");
    if (ended)
        *ended = 1;
    return SVC_OK;
}

int user_get(struct ctx *c, int64_t id, struct user_view *out)
{
    int rc = user_read(c, id, out);
    if (perm_is_admin_user(c) || perm_admin_acts_as(c, ADMIN_SECURITY) ||
        (rc == SVC_OK && c->user->id == id))
        return rc;
    if (rc == SVC_OK && c->user->role == ROLE_COORDINATOR &&
        on_my_side(c, out->pairing_id, out->side))
        return SVC_OK;
    if (rc == SVC_ERROR)
        return rc;
    memset(out, 0, sizeof *out);
    return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "%s may not read that account",
                    c->user->login);
}

/* Who may list accounts, and the side they see (*pairing 0: every side). */
static int user_list_scope(struct ctx *c, int64_t unit_id, int64_t *pairing, int *side)
{
    *pairing = 0;
    *side = -1;
    if (perm_is_admin_user(c) || perm_admin_acts_as(c, ADMIN_SECURITY))
        return SVC_OK;
    if (c->user->role != ROLE_COORDINATOR)
        return perm_is_admin(c);
    *pairing = c->user->pairing_id;
    *side = c->user->side;
    return unit_id ? perm_manage_unit(c, unit_id) : SVC_OK;
}

int user_list_page(struct ctx *c, int64_t unit_id, int64_t after, int limit,
                   struct user_view **out, size_t *n, int64_t *next_after)
{
    *out = NULL;
    *n = 0;
    *next_after = 0;
    if (after < 0 || limit < 1 || limit > USER_PAGE_MAX)
        return svc_fail(c, SVC_INVALID, "err_range", "limit", "limit is 1–%d", USER_PAGE_MAX);
    int64_t pairing;
    int side;
    int rc = user_list_scope(c, unit_id, &pairing, &side);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    db_prepare(c->db, &st,
               USER_COLUMNS "WHERE (:unit = 0 OR u.unit_id = :unit) "
                            "AND (:p = 0 OR (n.pairing_id = :p AND n.side = :side)) "
                            "AND u.id > :after ORDER BY u.id LIMIT :lim");
    db_bind_int64(&st, ":unit", unit_id);
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":side", side);
    db_bind_int64(&st, ":after", after);
    db_bind_int64(&st, ":lim", (int64_t)limit + 1); /* one more tells whether a page follows */
    db_bind_text(&st, ":now", svc_now(c));
    int s;
    while ((s = db_step(&st)) == DB_ROW && *n < (size_t)limit)
        user_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the accounts failed");
    if (s == DB_ROW)
        *next_after = (*out)[*n - 1].id;
    return SVC_OK;
}

int user_list(struct ctx *c, int64_t unit_id, struct user_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t pairing;
    int side;
    int rc = user_list_scope(c, unit_id, &pairing, &side);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    db_prepare(c->db, &st,
               USER_COLUMNS "WHERE (:unit = 0 OR u.unit_id = :unit) "
                            "AND (:p = 0 OR (n.pairing_id = :p AND n.side = :side)) "
                            "ORDER BY u.login");
    db_bind_int64(&st, ":unit", unit_id);
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":side", side);
    db_bind_text(&st, ":now", svc_now(c));
    int s;
    while ((s = db_step(&st)) == DB_ROW)
        user_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the accounts failed");
    return SVC_OK;
}

const char *user_generate_password(struct ctx *c)
{
    /* No 0 O 1 I l: a password read aloud or copied from paper should survive. */
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    const uint32_t n = sizeof alphabet - 1;
    char *pw = arena_alloc(c->arena, 24);
    if (sodium_init() < 0)
        abort();
    for (;;) {
        bool upper = false, lower = false, digit = false;
        int k = 0;
        for (int group = 0; group < 4; group++) {
            if (group)
                pw[k++] = '-';
            for (int i = 0; i < 5; i++) {
                char ch = alphabet[randombytes_uniform(n)];
                upper |= ch >= 'A' && ch <= 'Z';
                lower |= ch >= 'a' && ch <= 'z';
                digit |= ch >= '0' && ch <= '9';
                pw[k++] = ch;
            }
        }
        pw[k] = 0;
        if (upper && lower && digit)
            return pw;
    }
}
