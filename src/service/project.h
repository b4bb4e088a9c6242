/* project: 合作项目, what the cooperation produced — a project with partners on both sides, an
 * industry, a place, investment and a stage (洽谈 → 签约 → 开工 → 投产, or 中止).
 *
 * Who does what:
 *   record, edit   the coordinator (lead office) of the side that owns the project, for its
 *                  own pairing; it may name partners of either side. An admin anywhere; the
 *                  command line (c->user NULL) as an admin.
 *   change stage   the same. A stage may skip forward, never go back, except out of 中止
 *                  (stopped), which, like stopping, needs a reason. Each change has a date,
 *                  not before the current stage's date and not after today (the plans'
 *                  day), and is kept as history.
 *   major          the same coordinator flags a project 重大项目 when its contracted
 *                  investment reaches the pairing's threshold (1 亿元 unless set); below it
 *                  the flag is refused (err_project_major).
 *   read           leaders and coordinators of the pairing, both sides: all its projects;
 *                  members: the projects one of whose partners is their unit. A public
 *                  project's name, partners, industry, stage and investment are on the
 *                  public portal (project_list_public); nothing else of it is public.
 * Every write records an audit row (entity "project") in its own transaction. An edit names
 * the updated_at it was made against (if_updated_at): a project changed meanwhile is refused
 * with SVC_STALE, never silently overwritten. Amounts are integer yuan. */
#ifndef DUIKOU_SERVICE_PROJECT_H
#define DUIKOU_SERVICE_PROJECT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum {
    PROJECT_NAME_MAX = 100,         /* code points */
    PROJECT_DESCRIPTION_MAX = 2000, /* code points */
    PROJECT_REASON_MAX = 500,       /* code points */
    PROJECT_PARTNERS_MAX = 20,
    PROJECT_TASKS_MAX = 20,
    PROJECT_PAGE_DEFAULT = 50,
    PROJECT_PAGE_MAX = 200,
};
#define PROJECT_YUAN_MAX INT64_C(1000000000000000) /* 10^15 yuan = 10^11 万元 */

enum project_stage {
    STAGE_NEGOTIATING, /* 洽谈 */
    STAGE_SIGNED,      /* 签约 */
    STAGE_STARTED,     /* 开工 */
    STAGE_OPERATING,   /* 投产 */
    STAGE_STOPPED,     /* 中止 */
    STAGE_N
};
/* "negotiating" … "stopped"; the name's stage, or STAGE_N when it is none. */
const char *project_stage_name(enum project_stage s);
enum project_stage project_stage_from(const char *name);

struct project_partner {
    int side;                /* 0 = the pairing's region_a side, 1 = region_b */
    int64_t unit_id;         /* a known unit of that side, or 0 for an enterprise by name */
    const char *enterprise;  /* the enterprise's name when unit_id is 0 */
    const char *credit_code; /* its 统一社会信用代码, optional (GB 32100-2015 checked) */
    const char *unit_name;   /* out: the unit's name */
};

struct project_stage_change {
    const char *stage, *on_date, *reason, *by, *at; /* by: the login (NULL: command line) */
};

/* Create: every field as given (NULL / -1 = none or the default). Edit: NULL / -1 keeps the
 * stored value; the set_ flags replace the lists. */
struct project_input {
    int64_t pairing_id;      /* create: the province pairing (0: a coordinator's own) */
    int side;                /* create: the owning side (-1: a coordinator's own) */
    int64_t city_pairing_id; /* -1 keep; 0 none; else a city pairing of the pairing */
    int64_t platform_id;     /* -1 keep; 0 none; else a platform of the pairing */
    const char *name, *industry, *description; /* industry "" clears; description "" too */
    const char *region_code; /* a gazetteer code (GB/T 2260 or a zone's); "" clears */
    int64_t invest_planned, invest_contracted, invest_paid; /* yuan; -1 keep (create: 0) */
    int64_t jobs;                                           /* -1 keep; -2 clear */
    int major, is_public;                                   /* -1 keep; 0 or 1 */
    const char *stage, *stage_on; /* create only: the stage it is at (default negotiating)
                                     and since when (default today) */
    bool set_partners, set_tasks;
    const struct project_partner *partners;
    size_t n_partners;
    const int64_t *task_ids;
    size_t n_tasks;
    const char *if_updated_at; /* edit: SVC_STALE unless the project's updated_at is this */
    /* create only: the event it came from (service/event.h), and the event's outcome it is
     * made of — taken in the same transaction (SVC_CONFLICT err_outcome_project when the
     * outcome has a project already) */
    int64_t origin_event_id, origin_outcome_id;
};

struct project_view {
    int64_t id, pairing_id, city_pairing_id, platform_id;
    int64_t origin_event_id; /* 0: none; else the event it came from */
    int side;
    const char *platform_name;
    const char *name_a, *name_b;   /* the pairing's sides */
    const char *city_a, *city_b;   /* the city pairing's, NULL without one */
    const char *name, *industry, *industry_name, *region_code, *region_name, *description;
    const char *stage, *stage_on, *signed_on;
    int64_t invest_planned, invest_contracted, invest_paid, jobs; /* jobs -1: not given */
    bool major, is_public;
    const char *created_by, *created_at, *updated_at;
    struct project_partner *partners;
    size_t n_partners;
    int64_t *task_ids;
    int *task_numbers;        /* the tasks' numbers in their plan, and titles */
    const char **task_titles;
    size_t n_tasks;
    struct project_stage_change *stages; /* oldest first; project_get only */
    size_t n_stages;
};

struct project_filter {
    int64_t pairing_id;      /* 0: the caller's own pairing (admin: every pairing) */
    int64_t city_pairing_id; /* 0: any */
    int64_t task_id;         /* 0: any; else the projects serving this task */
    int64_t platform_id;     /* 0: any; else the projects inside this platform */
    int side;                /* -1: any */
    const char *stage;       /* NULL: any */
    const char *industry;    /* NULL: any; a section letter matches its divisions too */
    int year;                /* 0: any; else signed (签约) in that year */
    int major;               /* -1: any */
    bool by_investment;      /* contracted investment, largest first (else newest first) */
};

/* The contracted investment at which a pairing's projects may be flagged major (yuan), and
 * setting it (an admin or the command line; audited as a change of the pairing). */
int project_major_threshold(struct ctx *c, int64_t pairing_id, int64_t *yuan);
int project_set_major_threshold(struct ctx *c, int64_t pairing_id, int64_t yuan);

/* An amount typed in 万元 (up to 4 decimals, core/money.h) as yuan: SVC_OK, or SVC_INVALID
 * naming field with err_amount_number, err_amount_negative, err_amount_decimals or
 * err_amount (too large). An empty text is 0. */
int project_parse_wan(struct ctx *c, const char *text, const char *field, int64_t *yuan);

int project_create(struct ctx *c, const struct project_input *in, int64_t *id);
int project_edit(struct ctx *c, int64_t id, const struct project_input *in);
/* For an import (service/import.h): project_check runs the checks of project_create (id 0)
 * or of project_edit of id, nothing written, *changed saying whether an edit would change the
 * project; project_put_in creates or edits inside the caller's transaction (*out_id the
 * project, *changed whether anything was written). */
int project_check(struct ctx *c, int64_t id, const struct project_input *in, bool *changed);
int project_put_in(struct ctx *c, int64_t id, const struct project_input *in, int64_t *out_id,
                   bool *changed);
/* The stage changes to stage on on_date (YYYY-MM-DD, default today) with reason (required
 * into and out of stopped). Refusals: err_project_stage_back (SVC_CONFLICT) for a step
 * back, err_project_stage_same, err_date / err_project_date_order (SVC_INVALID). */
int project_set_stage(struct ctx *c, int64_t id, const char *stage, const char *on_date,
                      const char *reason, const char *if_updated_at);

/* One project with partners, tasks and stage history, for who may read it (else
 * SVC_FORBIDDEN; SVC_NOT_FOUND when there is none). */
int project_get(struct ctx *c, int64_t id, struct project_view *out);
/* Whether c may edit v (and change its stage). Leaves no failure in c. */
bool project_may_write(struct ctx *c, const struct project_view *v);
/* Whether c may record projects at all (a coordinator or an admin). */
bool project_may_create(const struct ctx *c);

/* A page of the projects c may read under the filter, with partners and task ids. Keyset:
 * after is the id of the last project of the previous page (0: the first page);
 * *next_after the id to pass next, 0 on the last page. limit 0: PROJECT_PAGE_DEFAULT. */
int project_list(struct ctx *c, const struct project_filter *f, int64_t after, int limit,
                 struct project_view **out, size_t *n, int64_t *next_after);
/* The public projects, newest first, whoever asks: only the public fields are filled. */
int project_list_public(struct ctx *c, int64_t after, int limit, struct project_view **out,
                        size_t *n, int64_t *next_after);

/* ---- progress updates (service/project_update.c) ------------------------------------------
 * 项目进展: who takes part in a project reports how it goes — a user of a partner unit, the
 * owning side's coordinator, an admin. Updates are never changed; the owning side's
 * coordinator (or an admin) accepts or returns each one once, never its own; returning needs a
 * comment. An accepted update that reports the paid-in investment or jobs sets them on the
 * project, in the same transaction and audited as a project change. */
enum { PROJECT_UPDATE_MAX = 5000 /* code points */ };

struct project_update_input {
    const char *body;
    int64_t invest_paid; /* the paid-in investment as it stands, yuan; -1 not reported */
    int64_t jobs;        /* -1 not reported */
};

struct project_update_view {
    int64_t id, project_id, invest_paid, jobs; /* -1: not reported */
    const char *unit_name, *author, *body, *created_at;
    const char *state; /* pending, accepted, returned */
    const char *comment, *reviewer, *reviewed_at;
};

/* Whether c may post updates on v. Leaves no failure in c. */
bool project_may_post_update(struct ctx *c, const struct project_view *v);
int project_update_add(struct ctx *c, int64_t project_id, const struct project_update_input *in,
                       int64_t *id);
/* The project's updates, newest first, for who may read the project. */
int project_update_list(struct ctx *c, int64_t project_id, struct project_update_view **out,
                        size_t *n);
int project_update_get(struct ctx *c, int64_t id, struct project_update_view *out);
/* Accept or return (comment required) a pending update: SVC_CONFLICT err_review_done when it
 * was reviewed, err_review_own for one's own update. */
int project_update_review(struct ctx *c, int64_t id, bool accept, const char *comment);

/* A pairing's year of projects: counts by stage, the year's signings, contracted and
 * paid-in investment per side, the major ones. For who may read the pairing. */
struct project_city_total {
    int64_t city_pairing_id;
    const char *name_a, *name_b;
    int64_t projects, contracted, paid; /* live projects (not stopped) */
};
struct project_totals {
    int64_t by_stage[STAGE_N];
    int64_t signed_in_year;          /* projects whose signed_on is in the year */
    int64_t contracted_in_year;      /* their contracted investment, yuan */
    int64_t projects[2], contracted[2], paid[2]; /* per owning side, live (not stopped) */
    int64_t major;                   /* live major projects */
    struct project_city_total *cities; /* every city pairing, most contracted first */
    size_t n_cities;
};
int project_totals(struct ctx *c, int64_t pairing_id, int year, struct project_totals *out);

#endif
