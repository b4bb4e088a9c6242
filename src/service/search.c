/* search: the rules of search.h over the index of store/search.c. The index answers with ids
 * in the caller's pairing; each hit is then read with its title and links (a handful of
 * indexed lookups per page, whatever the size of the database). */
#include "service/search.h"

#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "core/utf8.h"
#include "service/internal.h"
#include "service/perm.h"
#include "store/db.h"

enum { EXCERPT_BEFORE = 30, EXCERPT_AFTER = 80 };

/* The words of q: split at spaces (ideographic space too), at most SEARCH_WORDS_MAX. */
static size_t split_words(struct ctx *c, const char *q, const char **words)
{
    size_t n = 0, len = strlen(q), i = 0, start = 0;
    bool in = false;
    while (i <= len && n < SEARCH_WORDS_MAX) {
        size_t at = i;
        uint32_t cp = i < len ? utf8_decode(q, len, &i) : ' ';
        if (i == at)
            i++;
        bool space = cp_is_space(cp);
        if (!space && !in) {
            start = at;
            in = true;
        } else if (space && in) {
            words[n++] = arena_strndup(c->arena, q + start, at - start);
            in = false;
        }
    }
    return n;
}

/* One code point as matching sees it (text_key's fold, without NFC, which keeps lengths). */
static uint32_t fold(uint32_t cp)
{
    cp = text_fold_cp(cp);
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    return text_t2s_cp(cp);
}

/* The excerpt of a narrative around the first word of words found in it. */
static void excerpt(struct ctx *c, struct search_hit *h, const char *text,
                    const char *const *words, size_t n_words)
{
    size_t n = 0, wn = 0;
    uint32_t *cp = utf8_to_cps(c->arena, text, strlen(text), &n);
    size_t at = n, match = 0;
    for (size_t w = 0; w < n_words && at == n; w++) {
        uint32_t *wcp = utf8_to_cps(c->arena, words[w], strlen(words[w]), &wn);
        for (size_t k = 0; k < wn; k++)
            wcp[k] = fold(wcp[k]);
        for (size_t i = 0; wn && i + wn <= n && at == n; i++) {
            size_t k = 0;
            while (k < wn && fold(cp[i + k]) == wcp[k])
                k++;
            if (k == wn) {
                at = i;
                match = wn;
            }
        }
    }
    if (at == n)
        at = 0;
    size_t from = at > EXCERPT_BEFORE ? at - EXCERPT_BEFORE : 0;
    size_t to = at + match + EXCERPT_AFTER < n ? at + match + EXCERPT_AFTER : n;
    h->before = arena_printf(c->arena, "%s%s", from ? "…" : "",
                             utf8_from_cps(c->arena, cp + from, at - from));
    h->match = utf8_from_cps(c->arena, cp + at, match);
    h->after = arena_printf(c->arena, "%s%s", utf8_from_cps(c->arena, cp + at + match,
                                                            to - at - match),
                            to < n ? "…" : "");
}

/* May the caller report on an item its unit owns (as web/report.c lets it)? */
static bool may_report(struct ctx *c, int64_t owner_unit)
{
    if (perm_is_admin_user(c))
        return true;
    return c->user->role != ROLE_LEADER && c->user->unit_id == owner_unit;
}

static int load_hit(struct ctx *c, enum search_kind kind, int64_t id, struct search_hit *h,
                    const char *const *words, size_t n_words)
{
    struct stmt st;
    switch (kind) {
    case SEARCH_TASK:
        db_prepare(c->db, &st,
                   "SELECT t.number, t.title, p.title, 0, 0, '', 0, NULL, NULL FROM task t "
                   "JOIN plan p ON p.id = t.plan_id WHERE t.id = :id");
        break;
    case SEARCH_ITEM:
        db_prepare(c->db, &st,
                   "SELECT 0, i.title, n.name, coalesce(i.task_id, 0), i.owner_unit_id, '', 0, "
                   "NULL, i.id FROM work_item i JOIN unit n ON n.id = i.owner_unit_id "
                   "WHERE i.id = :id");
        break;
    case SEARCH_REPORT:
        db_prepare(c->db, &st,
                   "SELECT 0, i.title, n.name, coalesce(i.task_id, 0), i.owner_unit_id, "
                   "r.narrative, 0, r.period, i.id FROM report r "
                   "JOIN work_item i ON i.id = r.work_item_id JOIN unit n ON n.id = r.unit_id "
                   "WHERE r.id = :id");
        break;
    default:
        db_prepare(c->db, &st,
                   "SELECT 0, n.name, p.name_a || '–' || p.name_b, n.pairing_id, 0, '', n.side, "
                   "NULL, 0 FROM unit n JOIN pairing p ON p.id = n.pairing_id WHERE n.id = :id");
        break;
    }
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW) {
        h->id = id;
        h->number = (int)db_col_int64(&st, 0);
        h->title = svc_col(c, &st, 1);
        h->meta = svc_col(c, &st, 2);
        h->side = (int)db_col_int64(&st, 6);
        h->period = svc_col(c, &st, 7);
        h->item_id = db_col_int64(&st, 8);
        if (kind == SEARCH_UNIT) {
            int64_t pairing = db_col_int64(&st, 3);
            h->manage = perm_is_admin_user(c) ||
                        (c->user->role == ROLE_COORDINATOR &&
                         c->user->pairing_id == pairing && c->user->side == h->side);
        } else if (kind != SEARCH_TASK) {
            h->task_id = db_col_int64(&st, 3);
            h->own = may_report(c, db_col_int64(&st, 4));
        }
        if (kind == SEARCH_REPORT)
            excerpt(c, h, db_col_text(&st, 5), words, n_words);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "search", "reading a search hit");
    return s == DB_ROW ? SVC_OK : SVC_NOT_FOUND; /* gone meanwhile: left out */
}

static int search_kind(struct ctx *c, enum search_kind kind, const char *const *words,
                       size_t n_words, int64_t pairing, int64_t after, int limit,
                       struct search_list *out)
{
    int64_t *ids = arena_alloc(c->arena, sizeof *ids * (size_t)(limit + 1));
    int n = search_find(c->db, c->arena, kind, words, n_words, pairing, after, limit + 1, ids);
    if (n < 0)
        return svc_store_failed(c, "search", "searching");
    if (n > limit) {
        out->next_after = ids[limit - 1];
        n = limit;
    }
    out->hits = arena_alloc(c->arena, sizeof *out->hits * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        int rc = load_hit(c, kind, ids[i], &out->hits[out->n], words, n_words);
        if (rc == SVC_OK)
            out->n++;
        else if (rc != SVC_NOT_FOUND)
            return rc;
    }
    return SVC_OK;
}

int search_run(struct ctx *c, const char *q, int kind, int64_t after, int limit,
               struct search_result *out)
{
    memset(out, 0, sizeof *out);
    int rc = perm_role_at_least(c, ROLE_MEMBER);
    if (rc != SVC_OK)
        return rc;
    int64_t pairing = 0;
    if (!perm_is_admin_user(c)) {
        if (c->user->pairing_id <= 0)
            return perm_is_admin(c);
        pairing = c->user->pairing_id;
    }
    if (limit < 1 || limit > SEARCH_PAGE_MAX || kind >= SEARCH_KINDS || after < 0)
        return svc_fail(c, SVC_INVALID, "err_range", "limit", "limit is 1–%d",
                        SEARCH_PAGE_MAX);
    const char *text;
    if (q && !utf8_valid(q, strlen(q), NULL))
        return svc_fail(c, SVC_INVALID, "err_bad_utf8", "q", "q is not valid UTF-8");
    if ((rc = svc_check_text(c, q, true, "err_search_empty", SEARCH_Q_MAX, "q", &text)) !=
        SVC_OK)
        return rc;
    const char *words[SEARCH_WORDS_MAX];
    size_t n_words = split_words(c, text, words);
    bool any = false;
    for (size_t i = 0; i < n_words; i++)
        any |= search_has_token(words[i]);
    if (!any)
        return svc_fail(c, SVC_INVALID, "err_search_empty", "q",
                        "q holds no letter or digit to search for");
    search_catch_up(); /* what was saved before this search is found (never indexes here) */
    for (int k = 0; k < SEARCH_KINDS; k++) {
        if (kind >= 0 && k != kind)
            continue;
        rc = search_kind(c, (enum search_kind)k, words, n_words, pairing,
                         kind >= 0 ? after : 0, limit, &out->kinds[k]);
        if (rc != SVC_OK)
            return rc;
    }
    return SVC_OK;
}
