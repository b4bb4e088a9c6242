/* gazetteer: the region table and the alias index behind region names in plan text.
 *
 * Built once per process from the embedded CSVs (data/regions/, see data/README.md) into one
 * arena that gazetteer_shutdown() frees. Regions sit in one array sorted by code, so
 * region_by_code() is a binary search and parents come before their children.
 *
 * Every region is known by its full name and a short name (辽宁省/辽宁, 盘锦市/盘锦,
 * 广西壮族自治区/广西, 浦东新区/浦东); zones also by the aliases in zones.csv. Each alias is
 * stored as the code points of its text_key(), so input keyed the same way matches whatever
 * OpenCC and folding did to it.
 *
 * Running text is full of county names that are words (合作, 振兴, 资源, 通道 and 港口 are
 * all counties), so some aliases are context-only: they match only right after a region that
 * contains their own (大连+金州, 北京+朝阳, 大连+高新区); after a province, only when that
 * province is their parent. Context-only are: district short names, district names that read
 * as words (沿海城市 holds 海城市), a few city short names (来宾, 白银), and zone aliases that
 * zones.csv marks with a leading '~'. region_find(), which is given a whole name, still takes
 * district and city short names alone (浦东, 鼓楼 — the latter flagged ambiguous).
 *
 * region_match_prefix() runs at most positions of every sentence, and most positions match
 * nothing: a table of the first two code points of every alias, with a bit per alias length,
 * turns a miss into one probe, and a hit into one probe per length that really occurs. */
#include "ingest/gazetteer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "core/utf8.h"

enum { MAX_ALIAS_CPS = 64 };

/* Candidate flags. A context-only alias matches only right after a region that contains
 * its own; one that is also bare-in-find may still stand alone in region_find(), where the
 * whole input is known to be a name, but never at the start of a chain in running text. */
enum { CAND_CONTEXT_ONLY = 1, CAND_BARE_IN_FIND = 2 };

/* A region plus what the public struct does not carry; the region comes first so a
 * const struct region * handed out can be turned back into its node. */
struct node {
    struct region r;
    const char *kind;   /* zones: new_area, park …; NULL otherwise */
    const char *pcode;  /* parent code while building */
    const char *extra;  /* zones: the aliases column while building */
    size_t parent;      /* index while building; SIZE_MAX for none */
    bool pseudo;        /* 省直辖县级行政区划 placeholders: listed, never matched */
    bool dropped;
};

struct cand {
    uint32_t node;
    uint32_t flags;
};

struct alias {
    const uint32_t *cps;
    uint32_t len;
    uint32_t ncand;
    uint32_t cand; /* first index into g->cands; candidates are in preference order */
    uint64_t hash;
};

struct gazetteer {
    struct arena arena;
    struct node *nodes; /* sorted by code */
    size_t n;
    struct alias *aliases;
    size_t naliases;
    struct cand *cands;
    uint32_t *slots; /* alias index + 1; 0 is empty */
    size_t slot_mask;
    uint64_t *bigram_keys; /* cp0 << 32 | cp1; 0 is empty */
    uint64_t *bigram_lens; /* bit L-1 set when an alias of L code points starts so */
    size_t bigram_mask;
};

static const struct node *node_of(const struct region *r)
{
    return (const struct node *)r;
}

/* ---- hashing ---------------------------------------------------------------------- */

static inline uint64_t hash_step(uint64_t h, uint32_t cp)
{
    return (h ^ cp) * 0x100000001b3ull;
}

static inline uint64_t hash_final(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint64_t hash_cps(const uint32_t *cps, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = hash_step(h, cps[i]);
    return hash_final(h);
}

static inline uint64_t bigram_key(uint32_t a, uint32_t b)
{
    return (uint64_t)a << 32 | b;
}

static inline size_t bigram_slot(uint64_t k, size_t mask)
{
    return (size_t)hash_final(k * 0x9e3779b97f4a7c15ull) & mask;
}

static uint64_t bigram_get(const struct gazetteer *g, uint32_t a, uint32_t b)
{
    uint64_t k = bigram_key(a, b);
    for (size_t i = bigram_slot(k, g->bigram_mask);; i = (i + 1) & g->bigram_mask) {
        if (g->bigram_keys[i] == k)
            return g->bigram_lens[i];
        if (g->bigram_keys[i] == 0)
            return 0;
    }
}

static const struct alias *alias_get(const struct gazetteer *g, const uint32_t *cps, size_t len,
                                     uint64_t hash)
{
    for (size_t i = (size_t)hash & g->slot_mask;; i = (i + 1) & g->slot_mask) {
        uint32_t s = g->slots[i];
        if (s == 0)
            return NULL;
        const struct alias *a = &g->aliases[s - 1];
        if (a->hash == hash && a->len == len && memcmp(a->cps, cps, len * sizeof *cps) == 0)
            return a;
    }
}

/* ---- short names ---------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Ethnic groups as they appear in the names of autonomous regions, prefectures, counties
 * and banners (each may be followed by 族; 各族 is "all nationalities"). */
static const char *const ethnic[] = {
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
    "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京",
    "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
};

/* True when s is one or more ethnic names, each optionally followed by 族. */
static bool all_ethnic(const char *s)
{
    if (!*s)
        return false;
    for (size_t i = 0; i < sizeof ethnic / sizeof *ethnic; i++) {
        size_t m = strlen(ethnic[i]);
        if (strncmp(s, ethnic[i], m) != 0)
            continue;
        const char *rest = s + m;
        if (strncmp(rest, "族", strlen("族")) == 0)
            rest += strlen("族");
        if (!*rest || all_ethnic(rest))
            return true;
    }
    return false;
}

/* Cuts the trailing ethnic names off an autonomous area's name whose 自治X suffix is gone:
 * 海西蒙古族藏族 -> 海西, 宁夏回族 -> 宁夏; 内蒙古 and 鄂伦春 stay (two code points stay at
 * least). A lone trailing 族 goes too (鄂温克族 -> 鄂温克). */
static void strip_ethnic(char *s)
{
    size_t len = strlen(s), i = 0, cps = 0;
    while (i < len) {
        if (cps >= 2 && all_ethnic(s + i)) {
            s[i] = '\0';
            return;
        }
        utf8_decode(s, len, &i);
        cps++;
    }
    if (ends_with(s, "族") && utf8_count(s, len - strlen("族")) >= 2)
        s[len - strlen("族")] = '\0';
}

/* Strips suffix when at least two code points remain; true when it did. */
static bool strip_suffix(char *s, const char *suffix)
{
    if (!ends_with(s, suffix))
        return false;
    size_t keep = strlen(s) - strlen(suffix);
    if (utf8_count(s, keep) < 2)
        return false;
    s[keep] = '\0';
    return true;
}

static const char *short_name_of(struct arena *a, const char *name, enum region_level level)
{
    char *s = arena_strdup(a, name);
    switch (level) {
    case REGION_PROVINCE:
        if (strip_suffix(s, "自治区"))
            strip_ethnic(s);
        else if (!strip_suffix(s, "特别行政区") && !strip_suffix(s, "省"))
            strip_suffix(s, "市");
        break;
    case REGION_CITY:
        if (strip_suffix(s, "自治州"))
            strip_ethnic(s);
        else if (!strip_suffix(s, "地区") && !strip_suffix(s, "盟"))
            strip_suffix(s, "市");
        break;
    case REGION_DISTRICT:
        if (strip_suffix(s, "自治县") || strip_suffix(s, "自治旗"))
            strip_ethnic(s);
        else if (!strip_suffix(s, "新区") && !strip_suffix(s, "矿区") &&
                 !strip_suffix(s, "林区") && !strip_suffix(s, "特区") &&
                 !strip_suffix(s, "区") && !strip_suffix(s, "县") && !strip_suffix(s, "市"))
            strip_suffix(s, "旗");
        break;
    case REGION_ZONE:
        break;
    }
    return s;
}

/* District names that are also everyday words in plan text (中心城区, 城市中心, 新城区建设 …):
 * they match only after their city or province, even in region_find(). */
static const char *const generic_names[] = {
    "城区", "郊区", "矿区", "东区", "西区", "城中", "市中", "城关", "新城", "城东", "城西", "城北",
    "城南", "新市", "新华", "和平", "长安", "新兴", "开发", "高新", "经开", "新区", "中心",
    "城中区", "市中区", "城关区", "新城区", "新市区", "城厢区", "开发区", "高新区",
};

/* City short names that are ordinary words (来宾 "guests", 白银 "silver", 三明治 …): in
 * running text they need their province first; region_find() takes them alone. */
static const char *const wordlike_cities[] = {"来宾", "白银", "三明", "安康", "大同"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* How an administrative division's alias may be used. District short names (振兴, 资源,
 * 合作, 通道, 港口 … are all counties) and county-level cities that read as words
 * (沿海城市 holds 海城市, 合作市场 holds 合作市) need context in running text. */
static uint32_t division_flags(const struct node *nd, const char *alias, bool is_short)
{
    if (nd->r.level == REGION_DISTRICT) {
        if (in_list(alias, generic_names, sizeof generic_names / sizeof *generic_names))
            return CAND_CONTEXT_ONLY;
        if (is_short || ends_with(alias, "城市") || strcmp(alias, "合作市") == 0)
            return CAND_CONTEXT_ONLY | CAND_BARE_IN_FIND;
    } else if (nd->r.level == REGION_CITY && is_short &&
               in_list(alias, wordlike_cities, sizeof wordlike_cities / sizeof *wordlike_cities)) {
        return CAND_CONTEXT_ONLY | CAND_BARE_IN_FIND;
    }
    return 0;
}

/* ---- loading ---------------------------------------------------------------------------- */

/* Splits the next line of *p into at most max comma-separated fields (in place; the data
 * holds no quotes). Returns the field count, 0 at the end. */
static int csv_next(char **p, char **fields, int max)
{
    char *s = *p;
    if (!*s)
        return 0;
    char *eol = strchr(s, '\n');
    char *next = eol ? eol + 1 : s + strlen(s);
    if (eol) {
        *eol = '\0';
        if (eol > s && eol[-1] == '\r')
            eol[-1] = '\0';
    }
    *p = next;
    int n = 0;
    fields[n++] = s;
    for (char *c = s; *c && n < max; c++)
        if (*c == ',') {
            *c = '\0';
            fields[n++] = c + 1;
        }
    return n;
}

static char *embedded_copy(struct arena *a, const char *name)
{
    const struct embedded_file *f = embedded_find(name);
    if (!f) {
        log_error("gazetteer: %s is not embedded", name);
        return arena_strdup(a, "");
    }
    return arena_strndup(a, (const char *)f->data, f->len);
}

static bool is_code(const char *s)
{
    if (strlen(s) != 6)
        return false;
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

struct builder {
    struct arena *a;
    struct node *nodes;
    size_t n, cap;
};

static struct node *add_node(struct builder *b, const char *code, const char *name,
                             enum region_level level)
{
    struct node *nd = ARRAY_PUSH(b->a, b->nodes, b->n, b->cap);
    nd->r.code = code;
    nd->r.name = name;
    nd->r.level = level;
    nd->parent = SIZE_MAX;
    return nd;
}

static void load_divisions(struct builder *b, const char *file, enum region_level level)
{
    char *p = embedded_copy(b->a, file), *f[6];
    int line = 0, n;
    while ((n = csv_next(&p, f, 6)) > 0) {
        if (line++ == 0 || (n == 1 && !*f[0]))
            continue; /* header, blank line */
        if (n < 2 || !is_code(f[0]) || !*f[1]) {
            log_warn("gazetteer: %s:%d: bad row skipped", file, line);
            continue;
        }
        struct node *nd = add_node(b, f[0], f[1], level);
        nd->pseudo = strchr(f[1], '-') != NULL; /* 湖北省-自治区直辖县级行政区划 */
        if (level == REGION_CITY)
            nd->pcode = arena_printf(b->a, "%.2s0000", f[0]);
        else if (level == REGION_DISTRICT)
            nd->pcode = arena_printf(b->a, "%.4s00", f[0]);
    }
}

static void load_zones(struct builder *b)
{
    char *p = embedded_copy(b->a, "zones.csv"), *f[6];
    int line = 0, n;
    while ((n = csv_next(&p, f, 6)) > 0) {
        if (line++ == 0 || (n == 1 && !*f[0]))
            continue;
        if (n < 5 || f[0][0] != 'Z' || !*f[1] || !*f[4]) {
            log_warn("gazetteer: zones.csv:%d: bad row skipped", line);
            continue;
        }
        struct node *nd = add_node(b, f[0], f[1], REGION_ZONE);
        nd->extra = f[2];
        nd->kind = f[3];
        nd->pcode = f[4];
    }
}

static int node_cmp(const void *x, const void *y)
{
    return strcmp(((const struct node *)x)->r.code, ((const struct node *)y)->r.code);
}

static size_t find_index(const struct node *nodes, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(nodes[mid].r.code, code);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* Resolves parent codes to pointers. A district whose city row is missing or a placeholder
 * hangs under its province (北京 districts, 省直辖 county-level cities); a zone with an
 * unknown parent, or in a cycle of zones, is dropped with a warning. */
static void link_nodes(struct gazetteer *g, struct builder *b)
{
    qsort(b->nodes, b->n, sizeof *b->nodes, node_cmp);
    for (size_t i = 0; i < b->n; i++) {
        struct node *nd = &b->nodes[i];
        if (i > 0 && strcmp(nd->r.code, b->nodes[i - 1].r.code) == 0) {
            log_warn("gazetteer: duplicate code %s skipped", nd->r.code);
            nd->dropped = true;
            continue;
        }
        if (!nd->pcode)
            continue;
        size_t p = find_index(b->nodes, b->n, nd->pcode);
        if (nd->r.level == REGION_DISTRICT && (p == SIZE_MAX || b->nodes[p].pseudo))
            p = find_index(b->nodes, b->n, arena_printf(b->a, "%.2s0000", nd->r.code));
        if (p == SIZE_MAX || p == i)
            nd->dropped = true;
        else
            nd->parent = p;
    }
    /* Drop whatever does not reach a province in a few steps (unknown parents, cycles). */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < b->n; i++) {
            struct node *nd = &b->nodes[i];
            if (nd->dropped || nd->r.level == REGION_PROVINCE)
                continue;
            size_t p = nd->parent;
            int depth = 0;
            while (p != SIZE_MAX && !b->nodes[p].dropped &&
                   b->nodes[p].r.level != REGION_PROVINCE && depth < 16) {
                p = b->nodes[p].parent;
                depth++;
            }
            if (p == SIZE_MAX || b->nodes[p].dropped || depth >= 16) {
                log_warn("gazetteer: %s %s: parent %s unknown, skipped", nd->r.code, nd->r.name,
                         nd->pcode ? nd->pcode : "-");
                nd->dropped = true;
                changed = true;
            }
        }
    }
    size_t *remap = xmalloc((b->n + 1) * sizeof *remap);
    g->nodes = arena_alloc(&g->arena, (b->n + 1) * sizeof *g->nodes);
    g->n = 0;
    for (size_t i = 0; i < b->n; i++) {
        remap[i] = g->n;
        if (!b->nodes[i].dropped)
            g->nodes[g->n++] = b->nodes[i];
    }
    for (size_t i = 0; i < g->n; i++) {
        struct node *nd = &g->nodes[i];
        nd->r.parent = nd->parent == SIZE_MAX ? NULL : &g->nodes[remap[nd->parent]].r;
    }
    for (size_t i = 0; i < g->n; i++) {
        const struct region *r = &g->nodes[i].r;
        while (r->parent)
            r = r->parent;
        g->nodes[i].r.province = r;
    }
    free(remap);
}

/* ---- the alias index ------------------------------------------------------------------ */

struct entry {
    const char *text; /* as written (Simplified) */
    const uint32_t *cps;
    uint32_t len;
    uint32_t node;
    uint32_t flags;
};

struct entries {
    struct entry *items;
    size_t n, cap;
};

static void add_alias(struct gazetteer *g, struct entries *es, size_t node, const char *text,
                      uint32_t flags)
{
    if (*text == '~') {
        text++;
        flags |= CAND_CONTEXT_ONLY;
    }
    if (!*text || strchr(text, ' ')) {
        if (*text)
            log_warn("gazetteer: alias \"%s\" holds a space, skipped", text);
        return;
    }
    struct entry *e = ARRAY_PUSH(&g->arena, es->items, es->n, es->cap);
    e->text = text;
    e->node = (uint32_t)node;
    e->flags = flags;
}

/* Fills in the code points of every entry's text_key(). The aliases go through text_key()
 * joined by spaces in one call (OpenCC is slow to call thousands of times, and its phrases
 * hold no spaces, so they cannot reach across one); if the pieces do not come back one for
 * one, each alias is keyed alone. */
static void key_entries(struct gazetteer *g, struct entries *es)
{
    struct arena tmp;
    arena_init(&tmp);
    struct sb all = SB_INIT;
    for (size_t i = 0; i < es->n; i++) {
        if (i)
            sb_appendc(&all, ' ');
        sb_append(&all, es->items[i].text);
    }
    char *key = text_key(&tmp, sb_str(&all));
    sb_free(&all);
    size_t pieces = es->n ? 1 : 0;
    for (const char *c = key; *c; c++)
        pieces += *c == ' ';
    bool batch = pieces == es->n;
    if (!batch)
        log_warn("gazetteer: batch keying gave %zu pieces for %zu aliases", pieces, es->n);
    char *save = NULL, *piece = batch ? strtok_r(key, " ", &save) : NULL;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        const char *k = batch ? piece : text_key(&tmp, e->text);
        size_t n = 0;
        uint32_t *cps = utf8_to_cps(&tmp, k, strlen(k), &n);
        if (n > MAX_ALIAS_CPS)
            n = 0; /* too long to index: dropped below */
        uint32_t *own = arena_alloc(&g->arena, (n + 1) * sizeof *own);
        memcpy(own, cps, n * sizeof *own);
        e->cps = own;
        e->len = (uint32_t)n;
        if (batch)
            piece = strtok_r(NULL, " ", &save);
    }
    arena_free(&tmp);
}

static const struct node *entry_nodes; /* for entry_cmp only, during the build (locked) */

static int entry_cmp(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    int c = memcmp(a->cps, b->cps, a->len * sizeof *a->cps);
    if (c)
        return c;
    const struct node *na = &entry_nodes[a->node], *nb = &entry_nodes[b->node];
    if (na->r.level != nb->r.level)
        return na->r.level < nb->r.level ? -1 : 1;
    if (a->node != b->node)
        return a->node < b->node ? -1 : 1; /* nodes are sorted by code */
    return a->flags < b->flags ? -1 : a->flags > b->flags;
}

static size_t pow2_at_least(size_t n)
{
    size_t p = 16;
    while (p < n)
        p *= 2;
    return p;
}

static void build_index(struct gazetteer *g)
{
    struct entries es = {0};
    for (size_t i = 0; i < g->n; i++) {
        struct node *nd = &g->nodes[i];
        if (nd->pseudo)
            continue;
        add_alias(g, &es, i, nd->r.name, division_flags(nd, nd->r.name, false));
        if (strcmp(nd->r.short_name, nd->r.name) != 0)
            add_alias(g, &es, i, nd->r.short_name, division_flags(nd, nd->r.short_name, true));
        if (nd->extra && *nd->extra) {
            char *list = arena_strdup(&g->arena, nd->extra), *save = NULL;
            for (char *t = strtok_r(list, "|", &save); t; t = strtok_r(NULL, "|", &save))
                add_alias(g, &es, i, t, 0);
        }
    }
    key_entries(g, &es);
    entry_nodes = g->nodes;
    qsort(es.items, es.n, sizeof *es.items, entry_cmp);

    g->aliases = arena_alloc(&g->arena, (es.n + 1) * sizeof *g->aliases);
    g->cands = arena_alloc(&g->arena, (es.n + 1) * sizeof *g->cands);
    size_t ncands = 0;
    g->naliases = 0;
    for (size_t i = 0; i < es.n; i++) {
        const struct entry *e = &es.items[i];
        if (e->len < 2)
            continue; /* one code point is never a region name */
        struct alias *a = g->naliases ? &g->aliases[g->naliases - 1] : NULL;
        if (!a || a->len != e->len || memcmp(a->cps, e->cps, e->len * sizeof *e->cps) != 0) {
            a = &g->aliases[g->naliases++];
            a->cps = e->cps;
            a->len = e->len;
            a->cand = (uint32_t)ncands;
            a->hash = hash_cps(e->cps, e->len);
        } else if (g->cands[ncands - 1].node == e->node) {
            continue; /* same region again: the first (fewer flags) stays */
        }
        g->cands[ncands].node = e->node;
        g->cands[ncands].flags = e->flags;
        ncands++;
        a->ncand++;
    }
    g->slot_mask = pow2_at_least(g->naliases * 2) - 1;
    g->slots = arena_alloc(&g->arena, (g->slot_mask + 1) * sizeof *g->slots);
    g->bigram_mask = pow2_at_least(g->naliases * 2) - 1;
    g->bigram_keys = arena_alloc(&g->arena, (g->bigram_mask + 1) * sizeof *g->bigram_keys);
    g->bigram_lens = arena_alloc(&g->arena, (g->bigram_mask + 1) * sizeof *g->bigram_lens);
    for (size_t k = 0; k < g->naliases; k++) {
        const struct alias *a = &g->aliases[k];
        size_t i = (size_t)a->hash & g->slot_mask;
        while (g->slots[i])
            i = (i + 1) & g->slot_mask;
        g->slots[i] = (uint32_t)(k + 1);
        uint64_t bk = bigram_key(a->cps[0], a->cps[1]);
        size_t j = bigram_slot(bk, g->bigram_mask);
        while (g->bigram_keys[j] && g->bigram_keys[j] != bk)
            j = (j + 1) & g->bigram_mask;
        g->bigram_keys[j] = bk;
        g->bigram_lens[j] |= 1ull << (a->len - 1);
    }
}

static struct gazetteer *build(void)
{
    struct gazetteer *g = xcalloc(1, sizeof *g);
    arena_init(&g->arena);
    struct builder b = {.a = &g->arena};
    load_divisions(&b, "province.csv", REGION_PROVINCE);
    load_divisions(&b, "city.csv", REGION_CITY);
    load_divisions(&b, "area.csv", REGION_DISTRICT);
    load_zones(&b);
    link_nodes(g, &b);
    for (size_t i = 0; i < g->n; i++) {
        struct node *nd = &g->nodes[i];
        nd->r.short_name = nd->pseudo ? nd->r.name : short_name_of(&g->arena, nd->r.name,
                                                                    nd->r.level);
        if (nd->r.level == REGION_ZONE && nd->extra) {
            /* A zone's short name is its first alias that stands on its own. */
            char *list = arena_strdup(&g->arena, nd->extra), *save = NULL;
            for (char *t = strtok_r(list, "|", &save); t; t = strtok_r(NULL, "|", &save))
                if (*t != '~') {
                    nd->r.short_name = t;
                    break;
                }
        }
    }
    build_index(g);
    for (size_t i = 0; i < g->n; i++)
        g->nodes[i].pcode = g->nodes[i].extra = NULL;
    return g;
}

/* ---- the process-wide instance -------------------------------------------------------- */

/* Double-checked rather than pthread_once, so that gazetteer_get() after
 * gazetteer_shutdown() builds a fresh one instead of returning freed memory. */
static _Atomic(struct gazetteer *) the_gazetteer;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

const struct gazetteer *gazetteer_get(void)
{
    struct gazetteer *g = atomic_load_explicit(&the_gazetteer, memory_order_acquire);
    if (g)
        return g;
    pthread_mutex_lock(&build_lock);
    g = atomic_load_explicit(&the_gazetteer, memory_order_relaxed);
    if (!g) {
        g = build();
        atomic_store_explicit(&the_gazetteer, g, memory_order_release);
    }
    pthread_mutex_unlock(&build_lock);
    return g;
}

void gazetteer_shutdown(void)
{
    pthread_mutex_lock(&build_lock);
    struct gazetteer *g = atomic_exchange(&the_gazetteer, NULL);
    if (g) {
        arena_free(&g->arena);
        free(g);
    }
    pthread_mutex_unlock(&build_lock);
}

/* ---- lookups ---------------------------------------------------------------------------- */

size_t gazetteer_count(const struct gazetteer *g)
{
    return g ? g->n : 0;
}

const struct region *gazetteer_at(const struct gazetteer *g, size_t i)
{
    return g && i < g->n ? &g->nodes[i].r : NULL;
}

const struct region *region_by_code(const struct gazetteer *g, const char *code)
{
    if (!g || !code)
        return NULL;
    size_t i = find_index(g->nodes, g->n, code);
    return i == SIZE_MAX ? NULL : &g->nodes[i].r;
}

const char *region_level_name(enum region_level l)
{
    switch (l) {
    case REGION_PROVINCE:
        return "province";
    case REGION_CITY:
        return "city";
    case REGION_DISTRICT:
        return "district";
    case REGION_ZONE:
        return "zone";
    }
    return "unknown";
}

const char *region_kind(const struct region *r)
{
    return r ? node_of(r)->kind : NULL;
}

bool region_within(const struct region *r, const struct region *ancestor)
{
    if (!ancestor)
        return false;
    for (; r; r = r->parent)
        if (r == ancestor)
            return true;
    return false;
}

/* Whether candidate r may follow context ctx in a chain (ctx NULL: at the chain's start);
 * bare: the input is a name on its own (region_find). */
static bool fits(const struct region *r, uint32_t flags, const struct region *ctx, bool bare)
{
    if (!ctx)
        return !(flags & CAND_CONTEXT_ONLY) || (bare && (flags & CAND_BARE_IN_FIND));
    if (r == ctx || !region_within(r, ctx))
        return false;
    if (flags & CAND_CONTEXT_ONLY) /* 大连+高新区: not 辽宁+高新区, which has many */
        return ctx->level != REGION_PROVINCE || r->parent == ctx;
    return true;
}

/* One link of a chain: the longest alias at cps[0..n) with a candidate that fits ctx.
 * Returns its length (0: none), the preferred candidate in *out, and in *ambiguous whether
 * another candidate of the same level fits as well. */
static size_t match_one(const struct gazetteer *g, const uint32_t *cps, size_t n,
                        const struct region *ctx, bool bare, const struct region **out,
                        bool *ambiguous)
{
    if (n < 2)
        return 0;
    uint64_t lens = bigram_get(g, cps[0], cps[1]);
    if (!lens)
        return 0;
    if (n < 64)
        lens &= (1ull << n) - 1;
    if (!lens)
        return 0;
    size_t top = 64 - (size_t)__builtin_clzll(lens); /* longest length worth a probe */
    uint64_t h[MAX_ALIAS_CPS + 1];
    uint64_t run = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < top; i++) {
        run = hash_step(run, cps[i]);
        h[i + 1] = run;
    }
    for (size_t len = top; len >= 2; len--) {
        if (!(lens >> (len - 1) & 1))
            continue;
        const struct alias *a = alias_get(g, cps, len, hash_final(h[len]));
        if (!a)
            continue;
        const struct region *best = NULL;
        for (uint32_t k = 0; k < a->ncand; k++) {
            const struct cand *c = &g->cands[a->cand + k];
            const struct region *r = &g->nodes[c->node].r;
            if (!fits(r, c->flags, ctx, bare))
                continue;
            if (!best) {
                best = r;
                if (!ambiguous)
                    break;
                *ambiguous = false;
            } else {
                *ambiguous = r->level == best->level;
                break;
            }
        }
        if (best) {
            *out = best;
            return len;
        }
    }
    return 0;
}

static size_t match_chain(const struct gazetteer *g, const uint32_t *cps, size_t n, bool bare,
                          const struct region **out, bool *ambiguous)
{
    const struct region *ctx = NULL;
    size_t pos = 0;
    while (pos < n) {
        const struct region *r = NULL;
        size_t len = match_one(g, cps + pos, n - pos, ctx, bare, &r, ambiguous);
        if (!len)
            break;
        ctx = r;
        pos += len;
    }
    if (out)
        *out = ctx;
    return pos;
}

size_t region_match_prefix(const struct gazetteer *g, const uint32_t *cps, size_t n,
                           const struct region **out)
{
    if (out)
        *out = NULL;
    if (!g || !cps)
        return 0;
    return match_chain(g, cps, n, false, out, NULL);
}

const struct region *region_find(const struct gazetteer *g, const char *name, bool *ambiguous)
{
    if (ambiguous)
        *ambiguous = false;
    if (!g || !name || !*name)
        return NULL;
    struct arena tmp;
    arena_init(&tmp);
    const char *key = text_key(&tmp, name);
    size_t n = 0;
    uint32_t *cps = utf8_to_cps(&tmp, key, strlen(key), &n);
    size_t k = 0; /* spaces between the parts of a name (辽宁省 盘锦市) do not count */
    for (size_t i = 0; i < n; i++)
        if (cps[i] != ' ')
            cps[k++] = cps[i];
    const struct region *r = NULL;
    bool amb = false;
    size_t used = k ? match_chain(g, cps, k, true, &r, &amb) : 0;
    arena_free(&tmp);
    if (used != k || !r)
        return NULL;
    if (ambiguous)
        *ambiguous = amb;
    return r;
}
