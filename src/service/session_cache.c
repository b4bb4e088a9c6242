/* session_cache: what auth_session answered for a session token, kept per worker thread so a
 * signed-in request whose answer comes from the rendered-answer cache (http/cache.c) reads
 * nothing but the data version. Before it, every such request hashed its token and read the
 * session and the user (two read transactions with the WAL index's locks): a quarter of the
 * server's time on the bench's GET of a work plan (perf, docs/performance.md).
 *
 * An entry is the session's row and its user as auth_session resolved them, keyed by the
 * SHA-256 of the token (the token itself is not kept), and it is used only while
 *   - the data version (store/db.h db_version_read: every write of this process, any commit
 *     of another one, and the connection it was read on) is the one read BEFORE the session
 *     was: so sign-out, revocation, a password change, disabling an account, a change of role
 *     or unit — any write at all — ends every entry at once, and the next request reads the
 *     database again; and
 *   - the clock is before valid_until: the session's absolute end, and one minute (auth.c's
 *     TOUCH_MS) after its recorded last use, when auth_session would record it again. Inside
 *     that window auth_session would find the same row, pass the same checks and write
 *     nothing, so a hit answers exactly what a read would; the idle timeout (30 min) and the
 *     absolute one are therefore enforced as before, and "last seen" is still written once a
 *     minute by a request that misses.
 * Only successful answers are kept: an unknown or ended token always reads the database.
 * Each thread keeps ENTRIES sessions, the least recently used going first. */
#include "service/session_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

enum { ENTRIES = 64 };

/* An entry copies struct user field by field (its strings into the entry's own memory): a
 * field added there must be copied here too. */
_Static_assert(sizeof(struct user) == 3 * sizeof(int64_t) + 2 * sizeof(int) + 4 * sizeof(char *),
               "struct user changed: copy its new fields in session_cache.c");

struct entry {
    char hash[SHA256_HEX_LEN + 1]; /* "" when empty */
    struct db_version v;
    int64_t valid_until_ms, session_id;
    uint64_t used;
    char *csrf, *login, *name, *unit_name, *language;
    struct user user; /* its strings point at the fields above */
};

struct table {
    struct entry e[ENTRIES];
    uint64_t tick;
};

static pthread_key_t table_key;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void entry_clear(struct entry *e)
{
    free(e->csrf);
    free(e->login);
    free(e->name);
    free(e->unit_name);
    free(e->language);
    memset(e, 0, sizeof *e);
}

static void table_free(void *p)
{
    struct table *t = p;
    for (int i = 0; i < ENTRIES; i++)
        entry_clear(&t->e[i]);
    free(t);
}

static void table_init_key(void)
{
    pthread_key_create(&table_key, table_free);
}

static struct table *thread_table(void)
{
    pthread_once(&table_once, table_init_key);
    struct table *t = pthread_getspecific(table_key);
    if (!t) {
        t = xcalloc(1, sizeof *t);
        pthread_setspecific(table_key, t);
    }
    return t;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static const char *arena_dup_or_null(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

static struct entry *find(struct table *t, const char *hash)
{
    for (int i = 0; i < ENTRIES; i++)
        if (t->e[i].hash[0] && memcmp(t->e[i].hash, hash, SHA256_HEX_LEN) == 0)
            return &t->e[i];
    return NULL;
}

bool session_cache_get(const char hash[SHA256_HEX_LEN + 1], const struct db_version *v,
                       int64_t now_ms, struct arena *arena, struct session_info *out)
{
    struct table *t = thread_table();
    struct entry *e = find(t, hash);
    if (!e)
        return false;
    if (!db_version_same(&e->v, v) || now_ms >= e->valid_until_ms) {
        entry_clear(e); /* never valid again: the version and the clock only move on */
        return false;
    }
    e->used = ++t->tick;
    memset(out, 0, sizeof *out);
    out->session_id = e->session_id;
    out->csrf_token = arena_dup_or_null(arena, e->csrf);
    out->user = e->user;
    out->user.login = arena_dup_or_null(arena, e->login);
    out->user.name = arena_dup_or_null(arena, e->name);
    out->user.unit_name = arena_dup_or_null(arena, e->unit_name);
    out->user.language = arena_dup_or_null(arena, e->language);
    return true;
}

void session_cache_put(const char hash[SHA256_HEX_LEN + 1], const struct db_version *v,
                       int64_t valid_until_ms, const struct session_info *si)
{
    struct table *t = thread_table();
    struct entry *e = find(t, hash);
    if (!e) {
        e = &t->e[0];
        for (int i = 1; i < ENTRIES && e->hash[0]; i++)
            if (!t->e[i].hash[0] || t->e[i].used < e->used)
                e = &t->e[i];
    }
    entry_clear(e);
    memcpy(e->hash, hash, SHA256_HEX_LEN + 1);
    e->v = *v;
    e->valid_until_ms = valid_until_ms;
    e->session_id = si->session_id;
    e->used = ++t->tick;
    e->csrf = dup_or_null(si->csrf_token);
    e->user = si->user;
    e->user.login = e->login = dup_or_null(si->user.login);
    e->user.name = e->name = dup_or_null(si->user.name);
    e->user.unit_name = e->unit_name = dup_or_null(si->user.unit_name);
    e->user.language = e->language = dup_or_null(si->user.language);
}
