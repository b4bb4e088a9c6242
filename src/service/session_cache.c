/* session_cache: what auth_session answered for a session token, kept for the whole process
 * so a signed-in request whose answer comes from the rendered-answer cache (http/cache.c)
 * reads nothing but the data versions. Before it, every such request hashed its token and read
 * the session and the user (two read transactions with the WAL index's locks): a quarter of
 * the server's time on the bench's GET of a work plan (perf, docs/performance.md).
 *
 * An entry is the session's row and its user as auth_session resolved them, keyed by the
 * SHA-256 of the token (the token itself is not kept), and it is used only while
 *   - the accounts version (store/db.h db_scope_versions: moved by every audited write of a
 *     user, a unit, a session or an API token, by any process) is the one read BEFORE the
 *     session was: so sign-out, revocation, a password change, disabling an account, a change
 *     of role or unit ends every entry at once, and the next request reads the database
 *     again; a report or a project does not;
 *   - the clock is before valid_until: the session's absolute end, and one minute (auth.c's
 *     TOUCH_MS) after its last use was recorded, when auth_session would record it again.
 *     Inside that window auth_session would find the same row, pass the same checks and
 *     record nothing, so a hit answers exactly what a read would; the idle timeout (30 min)
 *     and the absolute one are therefore enforced as before.
 * Only successful answers are kept: an unknown or ended token always reads the database.
 * The table has SETS × WAYS entries (a session goes to the set its hash names, the least
 * recently used of the set making room), shared by the worker threads under one mutex: a
 * lookup is a few compares, so the lock is held for well under a microsecond. */
#include "service/session_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

enum { SETS = 512, WAYS = 4 }; /* 2,048 sessions */

/* An entry copies struct user field by field (its strings into the entry's own memory): a
 * field added there must be copied here too. */
/* (the admin_kind is copied with the struct; its int and padding are the 4 * sizeof(int)) */
_Static_assert(sizeof(struct user) == 3 * sizeof(int64_t) + 4 * sizeof(int) + 4 * sizeof(char *),
               "struct user changed: copy its new fields in session_cache.c");

struct entry {
    char hash[SHA256_HEX_LEN + 1]; /* "" when empty */
    int64_t version;
    int64_t valid_until_ms, session_id;
    uint64_t used;
    char *csrf, *login, *name, *unit_name, *language;
    struct user user; /* its strings point at the fields above */
    char *last_login_at, *last_login_client; /* service/sign_in.c */
    int failures_since;
    const char *password_change; /* a string literal (auth_password_change_reason) */
};

static struct entry table[SETS][WAYS];
static uint64_t tick;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void entry_clear(struct entry *e)
{
    free(e->csrf);
    free(e->login);
    free(e->name);
    free(e->unit_name);
    free(e->language);
    free(e->last_login_at);
    free(e->last_login_client);
    memset(e, 0, sizeof *e);
}

static struct entry *set_of(const char *hash)
{
    unsigned h = 0;
    for (int i = 0; i < 8; i++) /* the hash is hex of SHA-256: any 8 digits are uniform */
        h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : (hash[i] | 0x20) - 'a' + 10);
    return table[h % SETS];
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static const char *arena_dup_or_null(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

static struct entry *find(struct entry *set, const char *hash)
{
    for (int i = 0; i < WAYS; i++)
        if (set[i].hash[0] && memcmp(set[i].hash, hash, SHA256_HEX_LEN) == 0)
            return &set[i];
    return NULL;
}

bool session_cache_get(const char hash[SHA256_HEX_LEN + 1], int64_t version, int64_t now_ms,
                       struct arena *arena, struct session_info *out)
{
    pthread_mutex_lock(&mu);
    struct entry *e = find(set_of(hash), hash);
    bool hit = e && e->version == version && now_ms < e->valid_until_ms;
    if (e && !hit)
        entry_clear(e); /* never valid again: the version and the clock only move on */
    if (hit) {
        e->used = ++tick;
        memset(out, 0, sizeof *out);
        out->session_id = e->session_id;
        out->csrf_token = arena_dup_or_null(arena, e->csrf);
        out->user = e->user;
        out->user.login = arena_dup_or_null(arena, e->login);
        out->user.name = arena_dup_or_null(arena, e->name);
        out->user.unit_name = arena_dup_or_null(arena, e->unit_name);
        out->user.language = arena_dup_or_null(arena, e->language);
        out->last_login_at = arena_dup_or_null(arena, e->last_login_at);
        out->last_login_client = arena_dup_or_null(arena, e->last_login_client);
        out->failures_since = e->failures_since;
        out->password_change = e->password_change;
    }
    pthread_mutex_unlock(&mu);
    return hit;
}

void session_cache_put(const char hash[SHA256_HEX_LEN + 1], int64_t version,
                       int64_t valid_until_ms, const struct session_info *si)
{
    pthread_mutex_lock(&mu);
    struct entry *set = set_of(hash), *e = find(set, hash);
    if (!e) {
        e = &set[0];
        for (int i = 1; i < WAYS && e->hash[0]; i++)
            if (!set[i].hash[0] || set[i].used < e->used)
                e = &set[i];
    }
    entry_clear(e);
    memcpy(e->hash, hash, SHA256_HEX_LEN + 1);
    e->version = version;
    e->valid_until_ms = valid_until_ms;
    e->session_id = si->session_id;
    e->used = ++tick;
    e->csrf = dup_or_null(si->csrf_token);
    e->user = si->user;
    e->user.login = e->login = dup_or_null(si->user.login);
    e->user.name = e->name = dup_or_null(si->user.name);
    e->user.unit_name = e->unit_name = dup_or_null(si->user.unit_name);
    e->user.language = e->language = dup_or_null(si->user.language);
    e->last_login_at = dup_or_null(si->last_login_at);
    e->last_login_client = dup_or_null(si->last_login_client);
    e->failures_since = si->failures_since;
    e->password_change = si->password_change;
    pthread_mutex_unlock(&mu);
}

void session_cache_clear(void)
{
    pthread_mutex_lock(&mu);
    for (int s = 0; s < SETS; s++)
        for (int i = 0; i < WAYS; i++)
            entry_clear(&table[s][i]);
    pthread_mutex_unlock(&mu);
}
