/* industry: the national industry classification GB/T 4754-2017 《国民经济行业分类》 (with
 * amendment No. 1 of 2019), so that an enterprise or a project can be tagged with the
 * industry the plans and the statistics speak of, and picked from a list by name or code.
 *
 * Only the two top levels are shipped (data/industry.csv, compiled in; see data/README.md):
 * the 20 sections (门类, code "A" … "T") and the 97 divisions (大类, code "01" … "97"),
 * each division under its section. The table is parsed once and lives for the process;
 * every pointer returned here stays valid until exit and must not be freed. Thread-safe. */
#ifndef DUIKOU_SERVICE_INDUSTRY_H
#define DUIKOU_SERVICE_INDUSTRY_H
#include <stdbool.h>
#include <stddef.h>

struct arena;

struct industry {
    const char *code;    /* "C" for a section, "39" for a division */
    const char *section; /* the section letter; a section's own code for a section */
    const char *name;    /* Simplified Chinese, as in the standard */
};

/* The row with exactly that code (a capital letter A–T or two digits), or NULL when there
 * is none (also for NULL and ""). */
const struct industry *industry_find(const char *code);

/* All rows in file order: each section, then its divisions. industry_at() is NULL past the
 * end. */
size_t industry_count(void);
const struct industry *industry_at(size_t i);

/* Whether query_key, a text_key() of what the user typed, is a substring of the row's code
 * or of the text_key() of its name: 製造 finds 制造业 rows, "65" finds division 65, "c"
 * finds section C. An empty or NULL query matches every row. The keys of the rows are made
 * at load, so a is not used today; it is there for callers that pass their request arena.
 * ind must come from this module. */
bool industry_matches(struct arena *a, const struct industry *ind, const char *query_key);

#endif
