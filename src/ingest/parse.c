/* parse: finds the plans in a text and reads their structure the way a coordinator does:
 * by the title line and the numbered headings (一、 (一) 1.), not by line numbers. Matching
 * is done on a key copy of each line (full-width folded, Simplified via OpenCC) while every
 * string handed out is cut from the original, so titles stay in the input's script. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "core/utf8.h"
#include "ingest/gazetteer.h"
#include "ingest/internal.h"

enum {
    HEADING_MAX = 30,  /* a marker line this short without 。 is a heading, not a paragraph */
    TITLE_MAX = 60,    /* longest plausible plan title */
    PREAMBLE_MAX = 12, /* lines allowed between a title and its 一、 heading */
    TASK_TITLE_MAX = 80,
};

struct line {
    int no;
    struct span s; /* trimmed */
};

enum marker { MK_NONE, MK_L0, MK_L1, MK_TASK, MK_DASH };

struct para {
    int line, end; /* first and last line numbers */
    enum marker mk;
    int value;   /* the marker's number */
    size_t body; /* index in s where the text after the marker starts */
    struct span s;
    bool heading;
};

/* ---- lines -------------------------------------------------------------------------- */

static bool is_closing(uint32_t c)
{
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == ')' || c == '"';
}

/* Ends with 。 ； ： ！ ？ (folded) or …, ignoring closing quotes and brackets. */
static bool ends_terminal(struct span s)
{
    size_t n = s.n;
    while (n > 0 && is_closing(s.k[n - 1]))
        n--;
    if (n == 0)
        return false;
    uint32_t c = s.k[n - 1];
    return c == 0x3002 || c == ';' || c == ':' || c == '!' || c == '?' || c == 0x2026;
}

/* Ends like a sentence of an official document (。 or ；); promotional lines end with ! */
static bool ends_sentence(struct span s)
{
    size_t n = s.n;
    while (n > 0 && is_closing(s.k[n - 1]))
        n--;
    return n > 0 && (s.k[n - 1] == 0x3002 || s.k[n - 1] == ';');
}

static int cn_digit(uint32_t c)
{
    static const char *digits = "〇一二三四五六七八九";
    size_t len = strlen(digits), i = 0;
    for (int v = 0; i < len; v++)
        if (utf8_decode(digits, len, &i) == c)
            return v;
    return -1;
}

/* Chinese numeral 一 … 九十九 at k[*i]; advances *i. Returns -1 when there is none. */
static int cn_number(const uint32_t *k, size_t n, size_t *i)
{
    int value = 0, cur = -1;
    size_t p = *i;
    bool any = false;
    while (p < n) {
        int d = cn_digit(k[p]);
        if (d >= 0) {
            cur = d;
        } else if (k[p] == 0x5341) { /* 十 */
            value += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
        } else {
            break;
        }
        any = true;
        p++;
    }
    if (!any)
        return -1;
    if (cur > 0)
        value += cur;
    *i = p;
    return value;
}

static enum marker parse_marker(struct span s, int *value, size_t *after)
{
    const uint32_t *k = s.k;
    size_t n = s.n, i = 0;
    *value = 0;
    if (n >= 2 && k[0] == 0x2014 && k[1] == 0x2014) {
        *after = 2;
        return MK_DASH;
    }
    if (n >= 3 && k[0] == '(') {
        i = 1;
        int v = cn_number(k, n, &i);
        if (v > 0 && i < n && k[i] == ')') {
            *value = v;
            *after = i + 1;
            return MK_L1;
        }
        return MK_NONE;
    }
    i = 0;
    int v = cn_number(k, n, &i);
    if (v > 0 && i < n && k[i] == 0x3001) { /* 、 */
        *value = v;
        *after = i + 1;
        return MK_L0;
    }
    i = 0;
    v = 0;
    while (i < n && i < 3 && k[i] >= '0' && k[i] <= '9')
        v = v * 10 + (int)(k[i++] - '0');
    if (i > 0 && i < n && (k[i] == '.' || k[i] == 0x3001) && !(i + 1 < n && k[i + 1] >= '0' &&
                                                                k[i + 1] <= '9')) {
        *value = v;
        *after = i + 1;
        return MK_TASK;
    }
    return MK_NONE;
}

/* A line that names a plan: …实施方案, short, not a sentence quoting one (《…》). */
static bool is_title(struct span s)
{
    if (s.n < 6 || s.n > TITLE_MAX)
        return false;
    size_t end = s.n;
    if (!span_has_prefix(s, end - 4, "实施方案"))
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (s.k[i] == 0x300A || s.k[i] == 0x3002 || s.k[i] == ',' || s.k[i] == 0xFF0C)
            return false;
    int v;
    size_t after;
    return parse_marker(s, &v, &after) == MK_NONE;
}

/* Splits text into trimmed lines, each with its key copy: full-width folded and Simplified
 * character by character, so index i is the same character in both. */
static struct line *split_lines(struct arena *a, const char *text, size_t *count)
{
    size_t cap = 0, n = 0;
    struct line *lines = NULL;
    const char *p = text;
    int no = 0;
    while (*p) {
        no++;
        const char *e = strchr(p, '\n');
        size_t olen = e ? (size_t)(e - p) : strlen(p);
        size_t on;
        uint32_t *o = utf8_to_cps(a, p, olen, &on);
        uint32_t *k = arena_alloc(a, (on + 1) * sizeof *k);
        for (size_t i = 0; i < on; i++)
            k[i] = text_fold_cp(text_t2s_cp(o[i]));
        size_t from = 0, to = on;
        while (from < to && cp_is_space(k[from]))
            from++;
        while (to > from && cp_is_space(k[to - 1]))
            to--;
        struct line *l = ARRAY_PUSH(a, lines, n, cap);
        *l = (struct line){no, {o + from, k + from, to - from}};
        if (!e)
            break;
        p = e + 1;
    }
    *count = n;
    return lines;
}

/* ---- paragraphs --------------------------------------------------------------------- */

static struct span join(struct arena *a, struct line *lines, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += lines[i].s.n;
    uint32_t *o = arena_alloc(a, (n + 1) * sizeof *o), *k = arena_alloc(a, (n + 1) * sizeof *k);
    size_t at = 0;
    for (size_t i = from; i < to; i++) {
        memcpy(o + at, lines[i].s.o, lines[i].s.n * sizeof *o);
        memcpy(k + at, lines[i].s.k, lines[i].s.n * sizeof *k);
        at += lines[i].s.n;
    }
    return (struct span){o, k, n};
}

static bool has_cp(struct span s, uint32_t c)
{
    for (size_t i = 0; i < s.n; i++)
        if (s.k[i] == c)
            return true;
    return false;
}

/* The expected next number for each marker kind, so that a wrapped line that happens to
 * start with "3." or "二、" is not taken for a heading. */
struct counters {
    int l0, l1, task, area_tasks;
};

static bool expected(const struct counters *c, enum marker mk, int v)
{
    switch (mk) {
    case MK_L0: return v == c->l0 + 1;
    case MK_L1: return v == c->l1 + 1;
    case MK_TASK: return v == c->task + 1 || (v == 1 && c->area_tasks == 0);
    case MK_DASH: return true;
    default: return false;
    }
}

static void advance(struct counters *c, enum marker mk, int v)
{
    switch (mk) {
    case MK_L0: c->l0 = v; c->l1 = 0; break;
    case MK_L1: c->l1 = v; c->area_tasks = 0; break;
    case MK_TASK: c->task = v; c->area_tasks++; break;
    default: break;
    }
}

/* Groups lines[from..to) into paragraphs. A line continues the paragraph before it when
 * that one is not a heading and its last line did not end a sentence (a hard wrap), unless
 * the line starts with the marker that comes next (a heading after a heading). A blank line
 * always ends a paragraph. Stops (setting *stop) at a line that is another plan's title. */
static struct para *paragraphs(struct arena *a, struct line *lines, size_t from, size_t to,
                               size_t *count, size_t *stop)
{
    size_t cap = 0, n = 0;
    struct para *ps = NULL;
    struct counters c = {0};
    struct para cur = {0};
    size_t start = from;
    bool open = false;
    *stop = to;
    for (size_t i = from; i <= to; i++) {
        bool close = i == to || lines[i].s.n == 0;
        int v = 0;
        size_t after = 0;
        enum marker mk = MK_NONE;
        if (!close && i > from && is_title(lines[i].s)) {
            close = true;
            *stop = i;
        }
        if (!close) {
            mk = parse_marker(lines[i].s, &v, &after);
            if (open && !cur.heading && !ends_terminal(lines[i - 1].s) &&
                !(mk != MK_NONE && expected(&c, mk, v)))
                continue; /* hard wrap: this line continues the paragraph */
        }
        if (open) {
            struct para *p = ARRAY_PUSH(a, ps, n, cap);
            *p = cur;
            p->s = join(a, lines, start, i);
            p->end = lines[i - 1].no;
            open = false;
        }
        if (close) {
            if (*stop != to)
                break;
            continue;
        }
        start = i;
        open = true;
        advance(&c, mk, v);
        cur = (struct para){.line = lines[i].no, .mk = mk, .value = v, .body = after};
        cur.heading = (i == from && is_title(lines[i].s)) ||
                      (mk != MK_NONE && mk != MK_DASH && lines[i].s.n - after <= HEADING_MAX &&
                       !has_cp(lines[i].s, 0x3002) && !ends_terminal(lines[i].s));
    }
    *count = n;
    return ps;
}

/* ---- plan structure ----------------------------------------------------------------- */

enum section { SEC_PREAMBLE, SEC_CONTAINER, SEC_IDEOLOGY, SEC_PRINCIPLES, SEC_GOALS, SEC_AREAS,
               SEC_SAFEGUARDS, SEC_OTHER };

static enum section classify(struct span s, size_t from)
{
    static const struct {
        const char *word;
        enum section sec;
    } words[] = {
        {"指导思想", SEC_IDEOLOGY}, {"基本原则", SEC_PRINCIPLES}, {"主要目标", SEC_GOALS},
        {"发展目标", SEC_GOALS},    {"工作目标", SEC_GOALS},      {"合作重点", SEC_AREAS},
        {"重点任务", SEC_AREAS},    {"主要任务", SEC_AREAS},      {"重点领域", SEC_AREAS},
        {"保障措施", SEC_SAFEGUARDS}, {"组织实施", SEC_SAFEGUARDS}, {"总体要求", SEC_CONTAINER},
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (span_find(s, from, words[i].word) != (size_t)-1)
            return words[i].sec;
    return SEC_OTHER;
}

static void append_text(struct arena *a, const char **dst, const char *add)
{
    *dst = *dst ? arena_printf(a, "%s\n%s", *dst, add) : add;
}

/* Where the text of s (from `from`) first shows damage: an ASCII '?' glued to the next
 * character (a GBK byte was lost and the rest decoded out of step), or U+FFFD. */
static size_t damage_at(struct span s, size_t from)
{
    for (size_t i = from; i < s.n; i++) {
        if (s.o[i] == 0xFFFD)
            return i;
        if (s.o[i] == '?' && i + 1 < s.n) {
            uint32_t nx = s.o[i + 1];
            if (nx == '?' || nx == ';' || cp_is_cjk(nx) || (nx >= 'A' && nx <= 'z'))
                return i;
        }
    }
    return (size_t)-1;
}

/* Title and body of a numbered item: the title is the text before the first 。 (or the whole
 * heading line); damage cuts it short. */
static void item_text(struct arena *a, struct para *p, const char **title, const char **body,
                      size_t *title_end)
{
    size_t from = p->body;
    while (from < p->s.n && cp_is_space(p->s.k[from]))
        from++;
    size_t stop = span_find(p->s, from, "。");
    size_t dmg = damage_at(p->s, from);
    if (stop == (size_t)-1)
        stop = p->s.n;
    if (dmg < stop)
        stop = dmg;
    if (stop - from > TASK_TITLE_MAX) {
        size_t comma = span_find(p->s, from, ",");
        stop = comma != (size_t)-1 && comma - from <= TASK_TITLE_MAX ? comma : from + TASK_TITLE_MAX;
    }
    *title = span_text(a, p->s, from, stop);
    *body = span_text(a, p->s, from, p->s.n);
    if (title_end)
        *title_end = stop;
}

static void warn_damage(struct arena *a, struct plan_doc *d, struct para *p, const char *what)
{
    size_t dmg = damage_at(p->s, p->body);
    if (dmg == (size_t)-1)
        return;
    size_t before = dmg > p->body + 8 ? dmg - 8 : p->body;
    doc_warn(a, d, p->line, SEV_WARNING, "damaged_text",
             "%s: damaged text after \"%s\" (\"%s\"): a byte was lost and the characters that "
             "follow are garbled; check against the original document",
             what, span_text(a, p->s, before, dmg), span_text(a, p->s, dmg, dmg + 6));
}

static void plan_pairing_from_title(struct arena *a, struct plan_doc *d, struct span t)
{
    /* 辽宁省与江苏省对口合作实施方案 → 辽宁省, 江苏省 */
    size_t end = span_find(t, 0, "对口合作");
    if (end == (size_t)-1)
        end = span_find(t, 0, "合作");
    if (end == (size_t)-1)
        end = t.n - 4;
    size_t sep = (size_t)-1;
    for (size_t i = 1; i < end; i++)
        if (t.k[i] == 0x4E0E || t.k[i] == 0x548C || t.k[i] == 0x540C) { /* 与 和 同 */
            sep = i;
            break;
        }
    if (sep == (size_t)-1)
        return;
    const struct gazetteer *g = gazetteer_get();
    size_t bounds[2][2] = {{0, sep}, {sep + 1, end}};
    for (int s = 0; s < 2; s++) {
        d->pairing[s] = span_text(a, t, bounds[s][0], bounds[s][1]);
        const struct region *r = NULL;
        size_t len = bounds[s][1] - bounds[s][0];
        if (region_match_prefix(g, t.k + bounds[s][0], len, &r) == len && r)
            d->pairing_code[s] = r->code;
    }
}

/* Reads one plan from paragraphs ps[0..n) (ps[0] is the title). */
static void build_plan(struct arena *a, struct plan_doc *d, struct para *ps, size_t n)
{
    size_t cap_areas = 0, cap_tasks = 0, cap_pr = 0, cap_sg = 0;
    enum section sec = SEC_PREAMBLE, sub = SEC_PREAMBLE;
    bool seen_goals = false, seen_areas = false, seen_safeguards = false;
    struct para *last_para = NULL;

    d->title = span_text(a, ps[0].s, 0, ps[0].s.n);
    d->line = ps[0].line;
    plan_pairing_from_title(a, d, ps[0].s);

    for (size_t i = 1; i < n; i++) {
        struct para *p = &ps[i];
        const char *body;
        last_para = p;
        enum section cur = sub != SEC_PREAMBLE ? sub : sec;
        if (p->mk == MK_L0) {
            sec = classify(p->s, p->body);
            sub = SEC_PREAMBLE;
            seen_goals |= sec == SEC_GOALS;
            seen_areas |= sec == SEC_AREAS;
            seen_safeguards |= sec == SEC_SAFEGUARDS;
            continue;
        }
        if (p->mk == MK_L1 && (sec == SEC_CONTAINER || (sec == SEC_OTHER && p->heading))) {
            enum section s = classify(p->s, p->body);
            if (s != SEC_OTHER && s != SEC_CONTAINER) {
                sub = s;
                seen_goals |= s == SEC_GOALS;
                seen_areas |= s == SEC_AREAS;
                continue;
            }
        }
        if (cur == SEC_AREAS && p->mk == MK_L1) {
            struct plan_area *ar = ARRAY_PUSH(a, d->areas, d->n_areas, cap_areas);
            ar->marker = arena_printf(a, "(%s)", span_text(a, p->s, 1, p->body - 1));
            item_text(a, p, &ar->title, &body, NULL);
            ar->line = p->line;
            continue;
        }
        if (cur == SEC_AREAS && p->mk == MK_TASK) {
            struct plan_task *t = ARRAY_PUSH(a, d->tasks, d->n_tasks, cap_tasks);
            t->number = p->value;
            t->area = (int)d->n_areas - 1;
            t->line = p->line;
            item_text(a, p, &t->title, &t->body, NULL);
            if (damage_at(p->s, p->body) != (size_t)-1) {
                t->damaged = true;
                warn_damage(a, d, p, arena_printf(a, "task %d", t->number));
            }
            if (d->n_tasks > 1 && t->number != d->tasks[d->n_tasks - 2].number + 1)
                doc_warn(a, d, p->line, SEV_WARNING, "task_gap",
                         "task %d follows task %d: check for a missing or misnumbered task",
                         t->number, d->tasks[d->n_tasks - 2].number);
            struct span body_span = {p->s.o + p->body, p->s.k + p->body, p->s.n - p->body};
            find_pairings(a, d, body_span, t->number, p->line);
            find_targets(a, d, body_span, t->number, p->line);
            continue;
        }
        if (cur == SEC_AREAS && p->mk == MK_NONE && d->n_tasks > 0) {
            /* A task that runs over several paragraphs (or a title-only task line). */
            struct plan_task *t = &d->tasks[d->n_tasks - 1];
            t->body = ps[i - 1].heading && ps[i - 1].mk == MK_TASK
                          ? span_text(a, p->s, 0, p->s.n)
                          : arena_printf(a, "%s\n%s", t->body, span_text(a, p->s, 0, p->s.n));
            find_pairings(a, d, p->s, t->number, p->line);
            find_targets(a, d, p->s, t->number, p->line);
            continue;
        }
        if (cur == SEC_PRINCIPLES && p->mk != MK_NONE) {
            struct plan_item *it = ARRAY_PUSH(a, d->principles, d->n_principles, cap_pr);
            it->marker = p->mk == MK_DASH ? "——"
                                          : arena_printf(a, "(%s)",
                                                         span_text(a, p->s, 1, p->body - 1));
            item_text(a, p, &it->title, &it->body, NULL);
            it->line = p->line;
            continue;
        }
        if (cur == SEC_SAFEGUARDS) {
            if (p->mk == MK_L1 || p->mk == MK_TASK) {
                struct plan_item *it = ARRAY_PUSH(a, d->safeguards, d->n_safeguards, cap_sg);
                it->marker = p->mk == MK_L1 ? arena_printf(a, "(%s)",
                                                           span_text(a, p->s, 1, p->body - 1))
                                            : arena_printf(a, "%d.", p->value);
                item_text(a, p, &it->title, &it->body, NULL);
                it->line = p->line;
                continue;
            }
            if (!ends_sentence(p->s)) {
                /* Promotional text after the plan (距离不是问题!): the plan ended before. */
                last_para = &ps[i - 1];
                break;
            }
            if (d->n_safeguards)
                append_text(a, &d->safeguards[d->n_safeguards - 1].body,
                            span_text(a, p->s, 0, p->s.n));
            continue;
        }
        const char *txt = span_text(a, p->s, 0, p->s.n);
        switch (cur) {
        case SEC_PREAMBLE: append_text(a, &d->preamble, txt); break;
        case SEC_IDEOLOGY: append_text(a, &d->ideology, txt); break;
        case SEC_GOALS:
            append_text(a, &d->goals, txt);
            find_targets(a, d, p->s, 0, p->line);
            break;
        case SEC_PRINCIPLES:
            if (d->n_principles)
                append_text(a, &d->principles[d->n_principles - 1].body, txt);
            break;
        default: break;
        }
    }
    d->end_line = last_para ? last_para->end : d->line;

    for (size_t i = 0; i < d->n_targets; i++)
        if (d->targets[i].task == 0 && d->targets[i].year && !d->target_year)
            d->target_year = d->targets[i].year;
    if (!seen_areas || d->n_tasks == 0)
        doc_warn(a, d, d->line, SEV_ERROR, "no_tasks",
                 "the plan has no key tasks (no 合作重点/重点任务 section with numbered tasks)");
    if (!seen_goals)
        doc_warn(a, d, d->line, SEV_WARNING, "missing_section",
                 "the plan has no 主要目标 (goals) section");
    if (!seen_safeguards)
        doc_warn(a, d, d->end_line, SEV_ERROR, "truncated",
                 "the plan has no 保障措施 (safeguards) section: the text may be cut off");
    /* A plan never ends on a heading or mid-sentence: the text was cut off. */
    if (last_para && !ends_terminal(last_para->s))
        doc_warn(a, d, last_para->line, SEV_ERROR, "truncated",
                 "the plan ends in the middle of a sentence: the text looks cut off");
}

/* The plan's own lines as decoded, for its identity hash and for display. */
static void plan_text(struct arena *a, struct plan_doc *d, struct line *lines, size_t nlines)
{
    struct sb b = SB_INIT;
    for (size_t i = 0; i < nlines; i++) {
        if (lines[i].no < d->line || lines[i].no > d->end_line)
            continue;
        /* Continuation lines of the last paragraph belong to the plan too. */
        char *t = span_text(a, lines[i].s, 0, lines[i].s.n);
        sb_append(&b, t);
        sb_appendc(&b, '\n');
    }
    d->text = arena_strndup(a, sb_str(&b), b.len);
    sha256_hex(d->text, b.len, d->sha256);
    sb_free(&b);
}

static void add_file_warning(struct arena *a, struct ingest_result *r, int line,
                             enum ingest_severity sev, const char *code, const char *msg)
{
    struct ingest_warning *w = arena_alloc(a, (r->n_warnings + 1) * sizeof *w);
    if (r->n_warnings)
        memcpy(w, r->warnings, r->n_warnings * sizeof *w);
    w[r->n_warnings++] = (struct ingest_warning){line, sev, code, msg, 0};
    r->warnings = w;
}

void ingest_parse_text(struct arena *a, const char *buf, size_t len, struct ingest_result *r)
{
    memset(r, 0, sizeof *r);
    r->format = "text";
    r->bytes = len;
    if (len > INGEST_MAX_BYTES) {
        r->error = arena_printf(a, "the file is too large (%zu MB; at most %d MB)",
                                len >> 20, INGEST_MAX_BYTES >> 20);
        r->error_code = "too_large";
        return;
    }
    sha256_hex(buf, len, r->sha256);
    size_t tlen = 0;
    const char *err = NULL, *code = NULL;
    char *text = ingest_decode(a, buf, len, &tlen, &r->encoding, &err, &code, &r->warnings,
                               &r->n_warnings);
    if (!text) {
        r->error = err;
        r->error_code = code;
        return;
    }
    char *nfc = text_nfc(a, text, tlen);
    if (!text_t2s_available())
        add_file_warning(a, r, 0, SEV_WARNING, "no_opencc",
                         "OpenCC data is missing: Traditional text is matched as written");
    size_t nlines;
    struct line *lines = split_lines(a, nfc, &nlines);

    size_t cap = 0;
    ptrdiff_t pending = -1;
    for (size_t i = 0; i < nlines; i++) {
        if (is_title(lines[i].s)) {
            pending = (ptrdiff_t)i;
            continue;
        }
        int v;
        size_t after;
        if (lines[i].s.n == 0 || pending < 0)
            continue;
        if (parse_marker(lines[i].s, &v, &after) != MK_L0 || v != 1) {
            if (i - (size_t)pending > PREAMBLE_MAX)
                pending = -1;
            continue;
        }
        /* A title followed by 一、: a plan starts at the title. */
        size_t np, stop;
        struct para *ps = paragraphs(a, lines, (size_t)pending, nlines, &np, &stop);
        struct plan_doc *d = ARRAY_PUSH(a, r->plans, r->n_plans, cap);
        build_plan(a, d, ps, np);
        plan_text(a, d, lines, nlines);
        i = stop - 1;
        /* The line that stopped this plan may be the next plan's title. */
        pending = -1;
        if (stop < nlines && is_title(lines[stop].s)) {
            pending = (ptrdiff_t)stop;
            i = stop;
        }
    }
    if (r->n_plans == 0) {
        r->error = "no plan found: a plan starts with a title line ending in 实施方案 followed "
                   "by numbered sections (一、…)";
        r->error_code = "no_plan";
        return;
    }
    r->ok = true;
}

void ingest_parse_file(struct arena *a, const char *path, struct ingest_result *r)
{
    memset(r, 0, sizeof *r);
    FILE *f = fopen(path, "rb");
    if (!f) {
        r->error = arena_printf(a, "cannot open the file: %s", strerror(errno));
        r->error_code = "unreadable";
        return;
    }
    char *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        r->error = "cannot read the file (not a regular file?)";
        r->error_code = "unreadable";
        goto done;
    }
    if (size > INGEST_MAX_BYTES) {
        r->bytes = (size_t)size;
        r->error = arena_printf(a, "the file is too large (%ld MB; at most %d MB)", size >> 20,
                                INGEST_MAX_BYTES >> 20);
        r->error_code = "too_large";
        goto done;
    }
    buf = xmalloc((size_t)size + 1);
    size_t got = fread(buf, 1, (size_t)size, f);
    if (got != (size_t)size) {
        r->error = "cannot read the whole file";
        r->error_code = "unreadable";
        goto done;
    }
    ingest_parse(a, buf, got, r);
done:
    free(buf);
    fclose(f);
}

bool ingest_has_errors(const struct ingest_result *r)
{
    if (!r->ok)
        return true;
    for (size_t i = 0; i < r->n_warnings; i++)
        if (r->warnings[i].severity == SEV_ERROR)
            return true;
    for (size_t p = 0; p < r->n_plans; p++)
        for (size_t i = 0; i < r->plans[p].n_warnings; i++)
            if (r->plans[p].warnings[i].severity == SEV_ERROR)
                return true;
    return false;
}
