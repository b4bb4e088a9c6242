/* explain: EXPLAIN QUERY PLAN of every statement `duikou serve` prepared while the API and
 * browser tests ran (DUIKOU_SQL_LOG, see store/db.h), against a generated database of scale
 * 1 (tests/explain/run.sh makes it). A plan that scans a whole report, review, audit,
 * work_item or session table fails: those tables grow with use (a million reports at scale
 * 10), so such a request costs more every month. No request may read more rows than it
 * returns plus a constant: it must SEARCH those tables through an index.
 *
 * Usage: explain DB BOUNDED LOG [LOG …]. Prints every offending statement with its plan;
 * BOUNDED (tests/explain/bounded.txt) lists the few walks that are bounded by their form. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "core/sb.h"
#include "store/db.h"

static const char *const watched[] = {"report", "review", "audit", "work_item", "session"};
enum { N_WATCHED = sizeof watched / sizeof *watched, MAX_NAMES = 64, MAX_TOKENS = 4096 };

static bool is_watched(const char *name)
{
    for (int i = 0; i < N_WATCHED; i++)
        if (strcasecmp(name, watched[i]) == 0)
            return true;
    return false;
}

/* Words after which a name is not an alias. */
static bool keyword(const char *w)
{
    static const char *const kw[] = {"WHERE", "JOIN",  "LEFT",  "INNER", "CROSS", "ON",
                                     "USING", "GROUP", "ORDER", "LIMIT", "SET",   "VALUES",
                                     "AS",    "UNION", "HAVING", "NATURAL", "INDEXED",
                                     "NOT",   "RETURNING", "WINDOW", "EXCEPT", "INTERSECT"};
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (strcasecmp(w, kw[i]) == 0)
            return true;
    return false;
}

/* The names a statement gives the watched tables: the tables themselves and their aliases
 * (FROM report r, JOIN review AS v). */
static int watched_names(const char *sql, char names[][64])
{
    static char tok[MAX_TOKENS][64];
    int nt = 0, nn = 0;
    for (const char *p = sql; *p && nt < MAX_TOKENS;) {
        if (isalnum((unsigned char)*p) || *p == '_') {
            int k = 0;
            while ((isalnum((unsigned char)*p) || *p == '_') && k < 63)
                tok[nt][k++] = *p++;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            tok[nt++][k] = '\0';
        } else if (*p == '\'') { /* a string literal is no name */
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
                ;
            if (*p)
                p++;
        } else {
            if (*p == ',' || *p == '(' || *p == ')')
                snprintf(tok[nt++], 64, "%c", *p);
            p++;
        }
    }
    for (int i = 1; i < nt && nn < MAX_NAMES - 2; i++) {
        const char *prev = tok[i - 1];
        if (!is_watched(tok[i]) ||
            !(strcasecmp(prev, "FROM") == 0 || strcasecmp(prev, "JOIN") == 0 ||
              strcasecmp(prev, "UPDATE") == 0 || strcasecmp(prev, "INTO") == 0 ||
              strcmp(prev, ",") == 0))
            continue;
        snprintf(names[nn++], 64, "%s", tok[i]);
        int a = i + 1;
        if (a < nt && strcasecmp(tok[a], "AS") == 0)
            a++;
        if (a < nt && (isalpha((unsigned char)tok[a][0]) || tok[a][0] == '_') && !keyword(tok[a]))
            snprintf(names[nn++], 64, "%s", tok[a]);
    }
    return nn;
}

/* "SCAN x …" naming one of names, or "SEARCH x USING INTEGER PRIMARY KEY (rowid>?)" (or <?,
 * or both): a walk along the ids with nothing else to narrow it, which reads the whole table
 * whenever the rows the statement wants are few (a keyset page of a filter that matches
 * little, a member's pending reports when there are none). */
static bool full_scan(const char *detail, char names[][64], int nn)
{
    const char *w;
    if (strncmp(detail, "SCAN ", 5) == 0)
        w = detail + 5;
    else if (strncmp(detail, "SEARCH ", 7) == 0 &&
             strstr(detail, "USING INTEGER PRIMARY KEY (rowid") && !strstr(detail, "rowid=?"))
        w = detail + 7;
    else
        return false;
    size_t len = strcspn(w, " ");
    for (int i = 0; i < nn; i++)
        if (strlen(names[i]) == len && strncasecmp(w, names[i], len) == 0)
            return true;
    return false;
}

/* tests/explain/bounded.txt: the walks that do not fail, each with its reason, one per line
 * "KIND<TAB>PREFIX<TAB>why": KIND "bounded" for a walk its form bounds whatever the data (the
 * last row by id), "accepted" for a known walk left for later (printed on every run, so it
 * stays in sight). A statement starting with PREFIX is not counted. */
struct bounded {
    char *prefix, *why;
    bool accepted, used;
};

static size_t read_bounded(const char *path, struct bounded **out)
{
    FILE *in = fopen(path, "r");
    size_t n = 0;
    *out = NULL;
    if (!in)
        return 0;
    char line[4096];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (line[0] == '#' || !t2)
            continue;
        *t1 = *t2 = '\0';
        bool accepted = strcmp(line, "accepted") == 0;
        if (!accepted && strcmp(line, "bounded") != 0) {
            fprintf(stderr, "explain: %s: kind %s is neither bounded nor accepted\n", path, line);
            exit(2);
        }
        *out = xrealloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = (struct bounded){xstrdup(t1 + 1), xstrdup(t2 + 1), accepted, false};
    }
    fclose(in);
    return n;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_query(const char *sql)
{
    static const char *const verbs[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE"};
    while (isspace((unsigned char)*sql))
        sql++;
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (strncasecmp(sql, verbs[i], strlen(verbs[i])) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: explain DB BOUNDED LOG [LOG …]\n");
        return 2;
    }
    struct bounded *allowed = NULL;
    size_t n_allowed = read_bounded(argv[2], &allowed);
    char **stmts = NULL;
    size_t n = 0, cap = 0;
    for (int f = 3; f < argc; f++) {
        FILE *in = fopen(argv[f], "rb");
        if (!in) {
            fprintf(stderr, "explain: %s: no statement log (run the API and browser tests "
                            "first: they write it)\n", argv[f]);
            return 1;
        }
        struct sb all = SB_INIT;
        char buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, in)) > 0)
            sb_appendn(&all, buf, got);
        fclose(in);
        char *text = all.buf ? all.buf : "";
        for (char *p = text; *p;) {
            char *end = strstr(p, "\n;;\n");
            if (!end)
                break;
            *end = '\0';
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                stmts = xrealloc(stmts, cap * sizeof *stmts);
            }
            stmts[n++] = xstrdup(p);
            p = end + 4;
        }
        sb_free(&all);
    }
    qsort(stmts, n, sizeof *stmts, cmp);
    struct db *db = NULL;
    char *err = NULL;
    if (db_open(argv[1], &db, &err) < 0) {
        fprintf(stderr, "explain: %s: %s\n", argv[1], err ? err : "cannot open");
        return 1;
    }
    size_t distinct = 0, explained = 0, bad = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(stmts[i], stmts[i - 1]) == 0)
            continue;
        distinct++;
        if (!is_query(stmts[i]))
            continue;
        char names[MAX_NAMES][64];
        int nn = watched_names(stmts[i], names);
        struct sb q = SB_INIT, plan = SB_INIT;
        sb_appendf(&q, "EXPLAIN QUERY PLAN %s", stmts[i]);
        struct stmt st;
        if (db_prepare(db, &st, q.buf) < 0) {
            fprintf(stderr, "explain: cannot explain:\n%s\n\n", stmts[i]);
            failed++;
            sb_free(&q);
            continue;
        }
        bool scans = false;
        while (db_step(&st) == DB_ROW) {
            const char *detail = db_col_text(&st, 3);
            if (!detail)
                continue;
            bool hit = full_scan(detail, names, nn);
            scans |= hit;
            sb_appendf(&plan, "    %s%s\n", detail, hit ? "   <-- full scan" : "");
        }
        db_finalize(&st);
        explained++;
        for (size_t k = 0; scans && k < n_allowed; k++)
            if (strncmp(stmts[i], allowed[k].prefix, strlen(allowed[k].prefix)) == 0) {
                scans = false;
                allowed[k].used = true;
                printf("%s (%s):\n%s\n  plan:\n%s\n",
                       allowed[k].accepted ? "ACCEPTED WALK" : "bounded", allowed[k].why,
                       stmts[i], sb_str(&plan));
            }
        if (scans) {
            bad++;
            printf("FULL SCAN:\n%s\n  plan:\n%s\n", stmts[i], sb_str(&plan));
        }
        sb_free(&q);
        sb_free(&plan);
    }
    db_close(db);
    for (size_t k = 0; k < n_allowed; k++) {
        if (!allowed[k].used)
            printf("explain: bounded.txt names a statement no test prepared: %s\n",
                   allowed[k].prefix);
        free(allowed[k].prefix);
        free(allowed[k].why);
    }
    free(allowed);
    for (size_t i = 0; i < n; i++)
        free(stmts[i]);
    free(stmts);
    printf("explain: %zu statements logged, %zu distinct, %zu explained, %zu with a full scan "
           "of %s, %zu not explainable\n",
           n, distinct, explained, bad, "report/review/audit/work_item/session", failed);
    if (explained == 0) {
        printf("explain: nothing was explained: the statement log is empty\n");
        return 1;
    }
    return bad || failed ? 1 : 0;
}
