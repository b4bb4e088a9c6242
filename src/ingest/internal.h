/* ingest internals shared by decode.c, parse.c, pairing.c, target.c and json.c. Not for
 * use outside src/ingest. */
#ifndef DUIKOU_INGEST_INTERNAL_H
#define DUIKOU_INGEST_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

struct arena;

/* A run of text held twice with equal length: o is the original code points (for display),
 * k the matching key (full-width folded, Simplified). Index i in one is index i in the other,
 * so a match found in k is cut out of o. */
struct span {
    const uint32_t *o, *k;
    size_t n;
};

/* Original text of s[from..to) as an arena UTF-8 string. */
char *span_text(struct arena *a, struct span s, size_t from, size_t to);
/* Index of the key string lit (UTF-8) in s.k at or after from, or (size_t)-1. */
size_t span_find(struct span s, size_t from, const char *lit);
bool span_has_prefix(struct span s, size_t at, const char *lit);

void doc_warn(struct arena *a, struct plan_doc *d, int line, enum ingest_severity sev,
              const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Parses plan text (any encoding decode.c knows); ingest_parse also takes documents. */
void ingest_parse_text(struct arena *a, const char *buf, size_t len, struct ingest_result *r);

/* Finds city and zone pairings (結對) in one task's text and appends them to d. */
void find_pairings(struct arena *a, struct plan_doc *d, struct span s, int task, int line);
/* Finds quantitative targets (不少于50家企业, 每年1—2个, 到2020年) and appends them to d. */
void find_targets(struct arena *a, struct plan_doc *d, struct span s, int task, int line);

#endif
