/* search: one query over tasks, work items, reports and units, in either script (遼寧 finds
 * 辽宁 and 辽宁 finds 遼寧: store/search.h folds both the query and the stored text).
 *
 * Who finds what: anyone signed in (member and up) finds what belongs to their own province
 * pairing — its current plans' tasks, its work items and reports, its units; an admin (and
 * the CLI) finds everything. Each kind is a keyset page of its own, so a page can list the
 * first few of each and a "more" link pages through one kind. Strings live in c->arena. */
#ifndef DUIKOU_SERVICE_SEARCH_H
#define DUIKOU_SERVICE_SEARCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"
#include "store/search.h"

/* The longest query, in characters; the most words used (the rest are ignored); the most
 * hits of one kind on one page. */
enum { SEARCH_Q_MAX = 100, SEARCH_WORDS_MAX = 8, SEARCH_PAGE_MAX = 100 };

struct search_hit {
    int64_t id;          /* the task, work item, report or unit */
    const char *title;   /* task title; item title; a report's item title; unit name */
    const char *meta;    /* task: its plan's title; item, report: the unit; unit: pairing */
    int number;          /* task: its number */
    int64_t task_id;     /* item, report: the item's task (0: none) */
    int64_t item_id;     /* report: its work item */
    bool own;            /* item, report: the caller may report on the item (its unit's) */
    bool manage;         /* unit: the caller may edit it */
    int side;            /* unit: 0 or 1 */
    const char *period;  /* report */
    const char *before, *match, *after; /* report: an excerpt of the narrative around the
                                           first word found (match may be empty) */
};

struct search_list {
    struct search_hit *hits;
    size_t n;
    int64_t next_after; /* pass as `after` for the next page of this kind; 0: no more */
};

struct search_result {
    struct search_list kinds[SEARCH_KINDS]; /* by enum search_kind */
};

/* Searches q (words separated by spaces; each must occur) in every kind (kind < 0) or in one,
 * at most limit (1..SEARCH_PAGE_MAX) hits of each, after `after` (0: from the start; only with
 * one kind). SVC_INVALID with field "q": err_search_empty (blank, or nothing a letter or digit
 * could match), err_too_long (over SEARCH_Q_MAX characters), err_bad_utf8. */
int search_run(struct ctx *c, const char *q, int kind, int64_t after, int limit,
               struct search_result *out);

#endif
