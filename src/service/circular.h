/* circular: 通报 — a lead office's circular on how its side's units did in a period of the
 * year's work plan ("定期督促检查完成情况，相互通报和向上级报告"). Drawn up from the data: per
 * unit, its items (done, overdue), its reports in the period (expected, reported, accepted,
 * returned, missing) and the days a 催办 was sent; the worst first, the best commended. The
 * coordinator then edits the wording and publishes it to both sides of the pairing (相互通报),
 * or prints it or exports it as XLSX for the superior (向上级报告).
 *
 * The figures are kept with the circular as they were when it was drawn up, so a published
 * circular never changes under its readers; "as_of" says the day.
 *
 * Who does what:
 *   draw up, edit, publish   a coordinator of that side of the pairing (perm_manage_side),
 *                            an admin, the command line; only a draft is edited;
 *   read                     a published circular: anyone of the pairing, both sides
 *                            (others: forbidden, as for the pairing's other records); a
 *                            draft: who may draw it up; to anyone else it does not exist.
 * Every write is one transaction with its audit row (entity "circular"). */
#ifndef DUIKOU_SERVICE_CIRCULAR_H
#define DUIKOU_SERVICE_CIRCULAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"

struct ctx;

enum { CIRCULAR_TITLE_MAX = 100, CIRCULAR_BODY_MAX = 20000, CIRCULAR_COMMENDED_MAX = 3 };

/* One unit's line. */
struct circular_row {
    int64_t unit_id;
    const char *name;
    int64_t items, done, overdue;                             /* its work items */
    int64_t expected, reported, accepted, returned, missing;  /* its reports in the period */
    int64_t urged;                                            /* days 催办 was sent this year */
    bool commended;                                           /* 通报表扬 */
};

/* The rows' figures in struct order (items … urged): their API names, and one by index,
 * for the tables, JSON and workbooks that list them all. */
enum { CIRCULAR_FIGURES = 9 };
extern const char *const circular_figure_names[CIRCULAR_FIGURES];
int64_t circular_figure(const struct circular_row *r, int k);

struct circular_view {
    int64_t id, pairing_id;
    int side, year;
    const char *period;          /* 2026-11, 2026-Q4, or "" for the whole year */
    const char *name_a, *name_b, *side_name;
    const char *title, *body, *status; /* draft, published */
    const char *as_of;           /* the day the figures are of (YYYY-MM-DD, China) */
    const char *created_by, *created_at, *updated_at, *published_at;
    struct circular_row *rows;   /* the worst first */
    size_t n_rows;
    int64_t total[CIRCULAR_FIGURES]; /* the rows' sums, circular_figure order */
};

/* The figures of side's units for period (one of the year's periods begun by today, or "" or
 * NULL for the whole year) as of today, ranked, with the default title and wording in
 * language l; nothing stored. SVC_CONFLICT err_no_work_plan without a work plan that year;
 * SVC_INVALID err_period (field "period") for a period the plan has not begun. */
int circular_compute(struct ctx *c, int64_t pairing_id, int side, int year, const char *period,
                     enum lang l, struct circular_view *out);
/* circular_compute, stored as a draft (title and body: NULL for the default). */
int circular_create(struct ctx *c, int64_t pairing_id, int side, int year, const char *period,
                    enum lang l, const char *title, const char *body, int64_t *id);
/* A draft's title and body (NULL keeps one); SVC_STALE unless updated_at is if_updated_at
 * (NULL: no check); SVC_CONFLICT err_circular_state once published. */
int circular_edit(struct ctx *c, int64_t id, const char *title, const char *body,
                  const char *if_updated_at);
int circular_publish(struct ctx *c, int64_t id, const char *if_updated_at);
int circular_get(struct ctx *c, int64_t id, struct circular_view *out);
/* A pairing's circulars, newest first: the published ones, and the drafts the caller may
 * edit. Rows are not read (n_rows 0). */
int circular_list(struct ctx *c, int64_t pairing_id, struct circular_view **out, size_t *n);

#endif
