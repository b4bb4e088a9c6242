/* search (store): the FTS5 index of tasks, work items, reports and units (see search.h for
 * why it is built so). Reports are append-only, so their table is contentless (it keeps only
 * the index, not a second copy of every narrative: at a million reports that is the larger
 * half of the file); the other kinds change, and their tables keep their text so that a row
 * can be taken out of the index by its id alone. */
#include "store/search.h"

#include <string.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "core/utf8.h"
#include "store/db.h"
#include "store/db_impl.h"

/* Scripts written without spaces between words, where every character is a token. */
static bool own_token(uint32_t cp)
{
    return cp_is_cjk(cp) || (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

char *search_text(struct arena *a, const char *s)
{
    const char *key = text_key(a, s ? s : "");
    size_t len = strlen(key), i = 0;
    struct sb b = SB_INIT;
    while (i < len) {
        uint32_t cp = utf8_decode(key, len, &i);
        if (cp == UTF8_INVALID)
            continue;
        bool own = own_token(cp);
        if (own && b.len && b.buf[b.len - 1] != ' ')
            sb_appendc(&b, ' ');
        sb_append_cp(&b, cp);
        if (own)
            sb_appendc(&b, ' ');
    }
    char *out = arena_strndup(a, sb_str(&b), b.len);
    sb_free(&b);
    return out;
}

/* A character the tokenizer keeps (unicode61: letters, digits, private use). */
static bool token_char(uint32_t cp)
{
    if (cp == UTF8_INVALID)
        return false;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
           cat == UTF8PROC_CATEGORY_CO;
}

bool search_has_token(const char *s)
{
    size_t len = s ? strlen(s) : 0, i = 0;
    while (i < len)
        if (token_char(utf8_decode(s, len, &i)))
            return true;
    return false;
}

static void sql_search_text(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_null(cx);
        return;
    }
    struct arena a;
    arena_init(&a);
    sqlite3_result_text(cx, search_text(&a, s), -1, SQLITE_TRANSIENT);
    arena_free(&a);
}

int search_register(struct db *db)
{
    int r = sqlite3_create_function(db->h, "search_text", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                    sql_search_text, NULL, NULL);
    return r == SQLITE_OK ? 0 : DB_ERROR;
}

/* One statement per kind: out of the index what changed, back in what is there now. The
 * pairing a thing belongs to never changes (units, work plans and plans keep theirs), so it
 * is written once as a token of the scope column: "p1". */
static const char SYNC[] =
    "DELETE FROM search_unit WHERE rowid IN (SELECT ref_id FROM search_dirty WHERE kind = 'unit');"
    "INSERT INTO search_unit (rowid, body, scope) SELECT n.id, search_text(n.name), "
    "  'p' || n.pairing_id FROM unit n "
    "  WHERE n.id IN (SELECT ref_id FROM search_dirty WHERE kind = 'unit');"
    "DELETE FROM search_task WHERE rowid IN (SELECT ref_id FROM search_dirty WHERE kind = 'task');"
    "INSERT INTO search_task (rowid, body, scope) SELECT t.id, "
    "  search_text(t.title || ' ' || t.body), 'p' || coalesce(pa.parent_id, pa.id) "
    "  FROM task t JOIN plan p ON p.id = t.plan_id JOIN pairing pa ON pa.id = p.pairing_id "
    "  WHERE t.id IN (SELECT ref_id FROM search_dirty WHERE kind = 'task');"
    "DELETE FROM search_item WHERE rowid IN (SELECT ref_id FROM search_dirty WHERE kind = 'item');"
    "INSERT INTO search_item (rowid, body, scope) SELECT i.id, "
    "  search_text(i.title || ' ' || coalesce(i.indicator, '')), "
    "  'p' || coalesce(pa.parent_id, pa.id) FROM work_item i "
    "  JOIN work_plan w ON w.id = i.work_plan_id JOIN pairing pa ON pa.id = w.pairing_id "
    "  WHERE i.id IN (SELECT ref_id FROM search_dirty WHERE kind = 'item');"
    "INSERT INTO search_report (rowid, body, scope) SELECT r.id, search_text(r.narrative), "
    "  'p' || coalesce(pa.parent_id, pa.id) FROM report r "
    "  JOIN work_item i ON i.id = r.work_item_id JOIN work_plan w ON w.id = i.work_plan_id "
    "  JOIN pairing pa ON pa.id = w.pairing_id "
    "  WHERE r.id IN (SELECT ref_id FROM search_dirty WHERE kind = 'report');"
    "DELETE FROM search_dirty;";

/* 1 when search_dirty lists something, 0 when not, or a negative code. */
static int dirty(struct db *db)
{
    struct stmt st;
    db_prepare(db, &st, "SELECT EXISTS (SELECT 1 FROM search_dirty)");
    int s = db_step(&st);
    int rc = s == DB_ROW ? db_col_int64(&st, 0) != 0 : s < 0 ? s : DB_ERROR;
    db_finalize(&st);
    return rc;
}

int search_flush(struct db *db)
{
    int rc = dirty(db);
    if (rc <= 0)
        return rc;
    rc = db_exec(db, SYNC);
    if (rc < 0)
        log_warn("search: indexing the changed rows failed; the transaction is not committed");
    return rc;
}

static void (*_Atomic catch_up_hook)(void);

void search_set_catch_up(void (*hook)(void))
{
    catch_up_hook = hook;
}

void search_catch_up(void)
{
    void (*hook)(void) = catch_up_hook;
    if (hook)
        hook();
}

int search_sync(struct db *db)
{
    int rc = dirty(db);
    if (rc <= 0)
        return rc;
    rc = db_begin(db);
    if (rc == 0)
        rc = search_flush(db);
    if (rc == 0)
        rc = db_commit(db);
    else
        db_rollback(db);
    return rc;
}

/* Whether the last token character of an indexed text is a token of its own (CJK). */
static bool ends_own_token(const char *t)
{
    size_t len = strlen(t), i = 0;
    uint32_t last = 0;
    while (i < len) {
        uint32_t cp = utf8_decode(t, len, &i);
        if (token_char(cp))
            last = cp;
    }
    return own_token(last);
}

/* The characters of t (an indexed text) when it is nothing but three or more CJK tokens,
 * else 0: such a word was typed without spaces between its words. */
static size_t cjk_run(const char *t, uint32_t *cps, size_t max)
{
    size_t len = strlen(t), i = 0, n = 0;
    while (i < len) {
        uint32_t cp = utf8_decode(t, len, &i);
        if (cp == ' ')
            continue;
        if (!own_token(cp) || n == max)
            return 0;
        cps[n++] = cp;
    }
    return n >= 3 ? n : 0;
}

/* One phrase of the body column, quotes doubled. */
static void body_phrase(struct sb *b, const char *t, const char *end)
{
    sb_append(b, b->len ? " AND body : \"" : "body : \"");
    for (const char *p = t; *p; p++) {
        if (*p == '"')
            sb_appendc(b, '"');
        sb_appendc(b, *p);
    }
    sb_append(b, end);
}

/* The FTS5 query: every word a phrase (quotes doubled) in the body column, its last token a
 * prefix when it is a Latin word or a number; with a pairing, its scope token too. A word of
 * three or more Chinese characters is read as words of two (Chinese words are mostly two
 * characters, and the index has no dictionary): 经贸平台 is 经贸 AND 平台, found in
 * 经贸合作平台; an odd last character pairs with the one before it (辽宁省: 辽宁 AND 宁省). */
static const char *match_query(struct arena *a, const char *const *words, size_t n,
                               int64_t pairing)
{
    struct sb b = SB_INIT;
    if (pairing)
        sb_appendf(&b, "scope : \"p%lld\"", (long long)pairing);
    size_t used = 0;
    for (size_t w = 0; w < n; w++) {
        if (!search_has_token(words[w]))
            continue;
        const char *t = search_text(a, words[w]);
        uint32_t cps[128];
        size_t run = cjk_run(t, cps, sizeof cps / sizeof *cps);
        for (size_t i = 0; i < run; i += 2) {
            size_t at = i + 1 < run ? i : i - 1;
            struct sb two = SB_INIT;
            sb_append_cp(&two, cps[at]);
            sb_appendc(&two, ' ');
            sb_append_cp(&two, cps[at + 1]);
            body_phrase(&b, sb_str(&two), "\"");
            sb_free(&two);
        }
        if (run) {
            used++;
            continue;
        }
        body_phrase(&b, t, "");
        /* A prefix only after a Latin word or a number: a CJK character is a whole token,
         * and FTS5 gathers a prefix's whole doclist before it answers (at a million reports,
         * 合作* took 77 ms where 合作 takes 0.2). */
        sb_append(&b, ends_own_token(t) ? "\"" : "\" *");
        used++;
    }
    char *q = used ? arena_strndup(a, sb_str(&b), b.len) : NULL;
    sb_free(&b);
    return q;
}

int search_find(struct db *db, struct arena *a, enum search_kind kind, const char *const *words,
                size_t n_words, int64_t pairing, int64_t after, int limit, int64_t *ids)
{
    const char *q = match_query(a, words, n_words, pairing);
    if (!q || limit <= 0)
        return 0;
    struct stmt st;
    bool desc = kind == SEARCH_ITEM || kind == SEARCH_REPORT;
    switch (kind) {
    case SEARCH_TASK:
        db_prepare(db, &st,
                   "SELECT search_task.rowid FROM search_task "
                   "JOIN task t ON t.id = search_task.rowid JOIN plan p ON p.id = t.plan_id "
                   "WHERE search_task MATCH :q AND p.status = 'current' "
                   "AND search_task.rowid > :after ORDER BY search_task.rowid LIMIT :lim");
        break;
    case SEARCH_ITEM:
        db_prepare(db, &st,
                   "SELECT search_item.rowid FROM search_item "
                   "JOIN work_item i ON i.id = search_item.rowid "
                   "WHERE search_item MATCH :q AND i.removed_at IS NULL "
                   "AND search_item.rowid < :after ORDER BY search_item.rowid DESC LIMIT :lim");
        break;
    case SEARCH_REPORT:
        db_prepare(db, &st,
                   "SELECT search_report.rowid FROM search_report "
                   "JOIN report r ON r.id = search_report.rowid "
                   "JOIN work_item i ON i.id = r.work_item_id "
                   "WHERE search_report MATCH :q AND i.removed_at IS NULL "
                   "AND search_report.rowid < :after ORDER BY search_report.rowid DESC "
                   "LIMIT :lim");
        break;
    case SEARCH_UNIT:
        db_prepare(db, &st,
                   "SELECT rowid FROM search_unit WHERE search_unit MATCH :q "
                   "AND rowid > :after ORDER BY rowid LIMIT :lim");
        break;
    default:
        return DB_ERROR;
    }
    db_bind_text(&st, ":q", q);
    db_bind_int64(&st, ":after", desc && after <= 0 ? INT64_MAX : after);
    db_bind_int64(&st, ":lim", limit);
    int n = 0, s;
    while ((s = db_step(&st)) == DB_ROW && n < limit)
        ids[n++] = db_col_int64(&st, 0);
    db_finalize(&st);
    return s < 0 ? s : n;
}
