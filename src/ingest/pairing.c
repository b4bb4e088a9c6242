/* pairing: finds the city and zone pairings (结对) a plan's tasks set up, e.g.
 *   支持辽宁省盘锦市与江苏省无锡市结对打造"互联网+"产业合作标杆
 *   推动苏州工业园区与辽宁省沈抚新区在基础设施建设…等方面合作交流
 * A pairing is "X与Y" (or 和) inside one clause where X and Y are each a whole chain of region
 * names from the gazetteer, one on each side of the plan, and the clause speaks of 结对 or
 * 合作. Side a is always the one in pairing[0], whatever order the sentence uses. */
#include <string.h>

#include "core/mem.h"
#include "ingest/gazetteer.h"
#include "ingest/internal.h"

enum { REGION_NAME_MAX = 40 }; /* code points: longer than any region name in the gazetteer */

static bool is_clause_end(uint32_t c)
{
    return c == 0x3002 || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

/* "江苏省有关城市": a province side whose city is still to be chosen. */
static size_t unnamed_city(struct span s, size_t at)
{
    static const char *words[] = {"有关城市", "相关城市", "有关地市", "相关地市"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (span_has_prefix(s, at, words[i]))
            return 4;
    return 0;
}

/* The side (0 or 1) of the plan that r lies in, or -1. */
static int side_of(const struct gazetteer *g, struct plan_doc *d, const struct region *r)
{
    for (int s = 0; s < 2; s++) {
        const struct region *side = d->pairing_code[s] ? region_by_code(g, d->pairing_code[s])
                                                       : NULL;
        if (side && region_within(r, side))
            return s;
    }
    return -1;
}

static bool is_municipality(const struct region *r)
{
    return r->level == REGION_PROVINCE && (strcmp(r->code, "110000") == 0 ||
                                           strcmp(r->code, "120000") == 0 ||
                                           strcmp(r->code, "310000") == 0 ||
                                           strcmp(r->code, "500000") == 0);
}

/* Text of a side as written, without a province in front of a city or zone
 * (辽宁省盘锦市 → 盘锦市, 辽宁省沈抚新区 → 沈抚新区) but keeping a city, or a municipality
 * such as 上海, in front of a zone (大连金普新区, 上海浦东新区). */
static char *side_name(struct arena *a, const struct gazetteer *g, struct span s, size_t from,
                       size_t to)
{
    const struct region *r = NULL;
    size_t m = region_match_prefix(g, s.k + from, to - from, &r);
    if (r && r->level == REGION_PROVINCE && m < to - from)
        return span_text(a, s, from, to); /* 江苏省有关城市 */
    for (size_t cut = from + 1; cut < to; cut++) {
        const struct region *p = NULL;
        if (region_match_prefix(g, s.k + from, cut - from, &p) == cut - from && p &&
            p->level == REGION_PROVINCE && !is_municipality(p)) {
            const struct region *rest = NULL;
            if (region_match_prefix(g, s.k + cut, to - cut, &rest) == to - cut && rest)
                return span_text(a, s, cut, to);
        }
    }
    return span_text(a, s, from, to);
}

/* What the pair is to become or work on: 结对打造X → X; 在X方面 → X; else the verb phrase. */
static char *theme_of(struct arena *a, struct span s, size_t from, size_t end)
{
    size_t at = span_find(s, from, "结对打造");
    if (at != (size_t)-1 && at < end)
        return span_text(a, s, at + 4, end);
    at = span_find(s, from, "在");
    size_t fang = span_find(s, from, "方面");
    if (at == from && fang != (size_t)-1 && fang < end) {
        if (fang > at + 1 && span_has_prefix(s, fang - 1, "等"))
            fang--; /* 在A、B等方面 → A、B */
        return span_text(a, s, at + 1, fang);
    }
    static const char *lead[] = {"结对", "开展", "进行", "的", "在"};
    for (size_t i = 0; i < sizeof lead / sizeof *lead; i++)
        if (span_has_prefix(s, from, lead[i])) {
            from += strlen(lead[i]) / 3; /* these words are all 3-byte UTF-8 characters */
            break;
        }
    return from < end ? span_text(a, s, from, end) : NULL;
}

void find_pairings(struct arena *a, struct plan_doc *d, struct span s, int task, int line)
{
    const struct gazetteer *g = gazetteer_get();
    size_t clause = 0;
    while (clause < s.n) {
        size_t end = clause;
        while (end < s.n && !is_clause_end(s.k[end]))
            end++;
        bool about_cooperation = false;
        static const char *words[] = {"结对", "合作", "对接", "互学", "交流"};
        for (size_t w = 0; w < sizeof words / sizeof *words && !about_cooperation; w++) {
            size_t at = span_find(s, clause, words[w]);
            about_cooperation = at != (size_t)-1 && at < end;
        }
        for (size_t k = clause + 1; about_cooperation && k + 1 < end; k++) {
            if (s.k[k] != 0x4E0E && s.k[k] != 0x548C) /* 与 和 */
                continue;
            /* X: the longest region chain that ends exactly at k. */
            const struct region *x = NULL, *y = NULL;
            size_t xs = k;
            /* Region names are short: looking further back than REGION_NAME_MAX only costs time
             * (and quadratic time on a long clause with many 与). */
            size_t from = k - clause > REGION_NAME_MAX ? k - REGION_NAME_MAX : clause;
            for (size_t st = from; st < k; st++) {
                const struct region *r = NULL;
                if (region_match_prefix(g, s.k + st, k - st, &r) == k - st && r) {
                    x = r;
                    xs = st;
                    break;
                }
            }
            if (!x)
                continue;
            size_t ye = k + 1 + region_match_prefix(g, s.k + k + 1, end - k - 1, &y);
            if (!y)
                continue;
            size_t extra = unnamed_city(s, ye);
            bool unnamed = extra && y->level == REGION_PROVINCE;
            ye += unnamed ? extra : 0;
            if (ye < end && s.k[ye] == 0x3001) /* 、: a list of places, not a pair */
                continue;
            int sx = side_of(g, d, x), sy = side_of(g, d, y);
            if (sx < 0 || sy < 0 || sx == sy)
                continue;
            /* The two sides of the plan themselves are the province pairing, not a child. */
            if (!unnamed && d->pairing_code[sx] && d->pairing_code[sy] &&
                strcmp(x->code, d->pairing_code[sx]) == 0 &&
                strcmp(y->code, d->pairing_code[sy]) == 0)
                continue;
            struct plan_pairing *p = ARRAY_PUSH(a, d->pairings, d->n_pairings, d->cap_pairings);
            p->task = task;
            p->line = line;
            const char *xn = side_name(a, g, s, xs, k), *yn = unnamed ? span_text(a, s, k + 1, ye)
                                                                       : side_name(a, g, s, k + 1, ye);
            const char *xc = x->code, *yc = unnamed ? NULL : y->code;
            bool cities = x->level == REGION_CITY && (unnamed || y->level == REGION_CITY);
            p->kind = cities ? "city" : "zone";
            p->a = sx == 0 ? xn : yn;
            p->b = sx == 0 ? yn : xn;
            p->a_code = sx == 0 ? xc : yc;
            p->b_code = sx == 0 ? yc : xc;
            p->theme = theme_of(a, s, ye, end);
            k = ye;
        }
        clause = end + 1;
    }
}
