/* target: finds the measurable commitments in a task or in the goals:
 *   不少于50家企业   → min 50, unit 家, object 企业
 *   每年选择1—2个     → min 1, max 2, unit 个, per 年
 *   苏南5市           → min = max = 5, unit 市
 *   到2020年          → year 2020
 * Numbers inside 《》 or 〔〕 (titles of documents, file numbers) are not targets. */
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"
#include "ingest/internal.h"

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_dash(uint32_t c)
{
    return c == 0x2014 || c == 0x2013 || c == '-' || c == '~' || c == 0x81F3 /* 至 */ ||
           c == 0x5230 /* 到 */ || c == 0xFF5E;
}

static bool is_stop(uint32_t c)
{
    /* ends an object noun: anything not Han, or a function word */
    static const char stops[] = "的参和或以等在与及";
    if (!(c >= 0x4E00 && c <= 0x9FFF))
        return true;
    size_t len = sizeof stops - 1, i = 0;
    while (i < len)
        if (utf8_decode(stops, len, &i) == c)
            return true;
    return false;
}

static size_t unit_at(struct span s, size_t at)
{
    static const char *multi[] = {"万元", "亿元", "万人", "万吨", "平方公里", "个百分点", "人次"};
    for (size_t i = 0; i < sizeof multi / sizeof *multi; i++)
        if (span_has_prefix(s, at, multi[i]))
            return strlen(multi[i]) / 3;
    static const char *single[] = {"家", "个", "项", "次", "人", "名", "所", "批", "座", "场",
                                   "期", "届", "条", "市", "省", "县", "区", "年", "月", "天",
                                   "%", "亿", "万"};
    for (size_t i = 0; i < sizeof single / sizeof *single; i++)
        if (span_has_prefix(s, at, single[i]))
            return 1;
    return 0;
}

static bool before_is(struct span s, size_t at, const char *lit, size_t *start)
{
    size_t m = strlen(lit) / 3; /* the qualifiers are all CJK: 3 bytes each */
    if (at < m || !span_has_prefix(s, at - m, lit))
        return false;
    *start = at - m;
    return true;
}

static void skip_spaces(struct span s, size_t *i)
{
    while (*i < s.n && (s.k[*i] == ' ' || s.k[*i] == '\t'))
        (*i)++;
}

void find_targets(struct arena *a, struct plan_doc *d, struct span s, int task, int line)
{
    int quote = 0, file_no = 0;
    size_t clause = 0;
    for (size_t i = 0; i < s.n; i++) {
        uint32_t c = s.k[i];
        if (c == 0x300A) quote++;
        if (c == 0x300B && quote) quote--;
        if (c == 0x3014) file_no++;
        if (c == 0x3015 && file_no) file_no--;
        if (c == 0x3002 || c == ',' || c == ';')
            clause = i + 1;
        if (!is_digit(c) || (i > 0 && (is_digit(s.k[i - 1]) || s.k[i - 1] == '.')) || quote ||
            file_no)
            continue;
        size_t num_start = i, p = i;
        int64_t v = 0, v2 = -1;
        while (p < s.n && is_digit(s.k[p]) && v < 1000000000000)
            v = v * 10 + (int64_t)(s.k[p++] - '0');
        if (p < s.n && (is_digit(s.k[p]) || (s.k[p] == '.' && p + 1 < s.n && is_digit(s.k[p + 1]))))
            continue; /* too long, or a decimal */
        size_t q = p;
        skip_spaces(s, &q);
        if (q < s.n && is_dash(s.k[q])) {
            size_t r = q + 1;
            skip_spaces(s, &r);
            if (r < s.n && is_digit(s.k[r])) {
                v2 = 0;
                while (r < s.n && is_digit(s.k[r]) && v2 < 1000000000000)
                    v2 = v2 * 10 + (int64_t)(s.k[r++] - '0');
                q = r;
                skip_spaces(s, &q);
            }
        }
        size_t ul = unit_at(s, q);
        if (!ul)
            continue;
        bool is_year = ul == 1 && span_has_prefix(s, q, "年") && p - num_start == 4;
        size_t start = num_start, end = q + ul;
        struct plan_target t = {.task = task, .line = line};
        t.unit = span_text(a, s, q, q + ul);
        if (is_year) {
            if (!before_is(s, num_start, "到", &start) && !before_is(s, num_start, "至", &start))
                continue; /* a year mentioned, not a deadline */
            t.year = (int)v;
            t.unit = NULL;
        } else {
            static const char *at_least[] = {"不少于", "不低于", "至少", "超过", "达到", "突破"};
            static const char *at_most[] = {"不超过", "不多于", "最多", "控制在"};
            bool qual = false;
            for (size_t k = 0; k < sizeof at_least / sizeof *at_least && !qual; k++)
                if (before_is(s, num_start, at_least[k], &start)) {
                    qual = true;
                    t.has_min = true;
                    t.min = v;
                }
            for (size_t k = 0; k < sizeof at_most / sizeof *at_most && !qual; k++)
                if (before_is(s, num_start, at_most[k], &start)) {
                    qual = true;
                    t.has_max = true;
                    t.max = v;
                }
            if (!qual) {
                t.has_min = true;
                t.min = v;
                t.has_max = true;
                t.max = v2 >= 0 ? v2 : v;
                if (v2 >= 0 && v2 < v) {
                    t.min = v2;
                    t.max = v;
                }
                /* Take the words just before a bare count: 苏南5市. */
                while (start > clause && num_start - start < 4 && !is_stop(s.k[start - 1]) &&
                       !span_has_prefix(s, start - 1, "选") && !span_has_prefix(s, start - 1, "择"))
                    start--;
            }
            /* 每年 belongs to the number when it stands shortly before it in the clause. */
            size_t look = num_start - clause > 12 ? num_start - 12 : clause;
            size_t per = span_find(s, look, "每");
            if (per != (size_t)-1 && per < num_start && per + 1 < s.n) {
                t.per = span_text(a, s, per + 1, per + 2);
                if (span_has_prefix(s, per + 1, "季度"))
                    t.per = span_text(a, s, per + 1, per + 3);
                start = per;
            }
            size_t obj = end, oe = end;
            while (oe < s.n && oe - obj < 6 && !is_stop(s.k[oe]))
                oe++;
            if (oe > obj) {
                t.object = span_text(a, s, obj, oe);
                end = oe;
            }
        }
        t.text = span_text(a, s, start, end);
        *(struct plan_target *)ARRAY_PUSH(a, d->targets, d->n_targets, d->cap_targets) = t;
        i = end > i ? end - 1 : i;
    }
}
