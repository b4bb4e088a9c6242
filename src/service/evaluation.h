/* evaluation: 考核评估, the yearly evaluation of a pairing's cooperation ("加強督促檢查和考核
 * 評估 … 組織開展年度工作總結評估"), run the way the east–west cooperation assessment is:
 * self-evaluation → the paired side's opinion → the leaderships' confirmation.
 *
 * An evaluation belongs to a province pairing and a year (one per year). Its indicators —
 * name, weight, method, evidence expected — are configurable while it is a draft (weights
 * sum to 100) and locked when it opens. A method is either one of the computations below
 * or "hand" (scored 0–100 by the people of the steps):
 *   items_done              the scope's work items done (an accepted report says so)
 *   items_on_time           … done by their due day, or not yet due (not late)
 *   reports_on_time         the periods whose due day has passed that were reported by it
 *   reports_first_accepted  the periods whose first reviewed report was accepted
 *   projects_progress       the scope's projects (not stopped) signed, started or operating
 *   investment_paid         investment paid in against investment contracted
 * Each computed indicator's value is a share (0–1) of records; the records counted are its
 * inputs, each named, so a score can be explained down to them. An indicator with no record
 * in a scope does not apply there: the others' weights then count for 100. Points =
 * weight × value; a score = the points over the weights that apply × 100. A scope where no
 * computed indicator applies (no record of its own: its score would be the hand scores
 * alone) is not ranked, and so not commended.
 *
 * Scopes: a side (its units' items, its reports, its projects), a unit (the items it owns and
 * their reports, the projects it is a partner of), a city pairing (the items of the plan's
 * tasks that name it, the projects placed in it). Hand scores are given per side; a unit has
 * its side's, a city pairing the mean of the two sides'.
 *
 * Steps, per side being evaluated (stage):
 *   self     its lead office (coordinator of that side) writes the self-evaluation — text and
 *            a hand score for every hand indicator — may save it, then submits it;
 *   opinion  the other side's coordinator gives its opinion (text; may propose other hand
 *            scores) and submits, or returns the self-evaluation with a reason;
 *   final    waits for the confirmation.
 * When both sides are final, each side's leader confirms (an admin, for a superior body,
 * confirms for both); either may instead return a side to self or opinion with a reason,
 * which clears the confirmations. With both confirmations the evaluation closes: the final
 * hand scores (the opinion's proposal where it made one, else the self-evaluation's) and
 * every computed figure are stored with it, so a closed evaluation never changes. Leaders
 * then choose the commendation list (通报表扬) from the top of the units' ranking.
 *
 * Who reads: anyone of the pairing (an admin, the command line); a self-evaluation not yet
 * submitted only its own side. Every write is one transaction with its audit row (entity
 * "evaluation") and, for the steps, a row of its history. */
#ifndef DUIKOU_SERVICE_EVALUATION_H
#define DUIKOU_SERVICE_EVALUATION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"

struct ctx;

enum {
    EVALUATION_INDICATORS_MAX = 20,
    EVALUATION_NAME_MAX = 50,      /* an indicator's name, code points */
    EVALUATION_EVIDENCE_MAX = 200, /* what evidence is expected */
    EVALUATION_TEXT_MAX = 20000,   /* a self-evaluation, an opinion, a summary */
    EVALUATION_REASON_MAX = 500,
    EVALUATION_COMMEND_TOP = 10, /* commendations come from the units' first ten */
};

enum evaluation_method {
    EM_ITEMS_DONE,
    EM_ITEMS_ON_TIME,
    EM_REPORTS_ON_TIME,
    EM_REPORTS_FIRST_ACCEPTED,
    EM_PROJECTS_PROGRESS,
    EM_INVESTMENT_PAID,
    EM_EVENTS_TARGET, /* held docking events whose attending enterprises met their target */
    EM_EXCHANGES,     /* cadres seconded and people trained: both, one, or neither */
    EM_HAND,
    EM_N
};
/* "items_done" … "hand"; and back (EM_N for none). */
const char *evaluation_method_name(enum evaluation_method m);
enum evaluation_method evaluation_method_from(const char *name);

struct evaluation_indicator {
    const char *key;      /* [a-z0-9_], unique in the evaluation */
    const char *name;     /* shown */
    int weight;           /* 0–100; the set sums to 100 */
    enum evaluation_method method;
    const char *evidence; /* what evidence is expected; may be NULL */
};

/* The default set, in language l: the six computations and four hand-scored indicators
 * (对接活动, 干部人才交流, 组织领导, 创新举措). */
size_t evaluation_default_indicators(struct ctx *c, enum lang l,
                                     struct evaluation_indicator **out);

enum evaluation_stage { ES_SELF, ES_OPINION, ES_FINAL, ES_N };
const char *evaluation_stage_name(enum evaluation_stage s); /* self, opinion, final */

/* A side's hand scores: one per indicator (index as the indicators), -1 where none. */
struct evaluation_side {
    int64_t row_id; /* its evidence files are attachments of object evaluation_side, this id */
    enum evaluation_stage stage;
    const char *self_text, *opinion_text; /* NULL: none (or not visible to the reader) */
    int *self_scores, *opinion_scores, *final_scores;
    const char *summary;                  /* the lead office's summary for the yearly report */
    const char *confirmed_by, *confirmed_at; /* this side's leadership's confirmation */
    bool self_visible;                    /* the reader may see the self-evaluation */
};

struct evaluation_step {
    int64_t id;
    int side; /* the side the step concerns; -1: the whole evaluation */
    const char *action; /* create, indicators, open, save, self, opinion, return, confirm,
                           close, commend, summary */
    const char *text, *by, *at;
};

struct evaluation_view {
    int64_t id, pairing_id;
    int year;
    const char *state; /* draft, open, closed */
    const char *name_a, *name_b;
    struct evaluation_indicator *indicators;
    size_t n_indicators;
    struct evaluation_side sides[2];
    struct evaluation_step *steps; /* oldest first */
    size_t n_steps;
    int64_t *commended; /* unit ids */
    size_t n_commended;
    const char *created_at, *updated_at, *opened_at, *closed_at;
};

/* One record an indicator counted: a work item, a report, a project (kind), its id and what
 * it is; counted: whether it is in the numerator (done, on time …); period: for a report
 * period, which (an item's missing report has no report of its own: kind work_item). */
struct evaluation_input {
    const char *kind; /* work_item, report, project */
    int64_t id;
    const char *label, *period;
    bool counted;
    int64_t amount; /* investment_paid: the project's paid (counted) or contracted yuan */
};

struct evaluation_points {
    const char *key;
    int weight;
    bool applies;   /* false: no record in this scope (a hand indicator always applies) */
    double value;   /* 0–1 */
    double points;  /* weight × value */
    int64_t num, den; /* value = num / den (investment: yuan; hand: score / 100) */
    struct evaluation_input *inputs;
    size_t n_inputs;
};

struct evaluation_score {
    const char *scope; /* side, unit, city */
    int64_t id;        /* side: 0 or 1; unit: its id; city: the city pairing's id */
    int side;          /* unit: its side; side: itself; city: -1 */
    const char *name;
    double score;      /* 0–100 */
    bool ranked;       /* some computed indicator applies: a scope with no record of its own
                          (a hand score alone) is shown but not ranked */
    int rank;          /* 1-based among its scope (units: over both sides); 0 unranked */
    bool commended;
    struct evaluation_points *points; /* one per indicator, in their order */
};

struct evaluation_scores {
    const char *as_of; /* the day the figures are of (closed: the day it closed) */
    bool frozen;       /* a closed evaluation's stored figures */
    struct evaluation_score sides[2];
    struct evaluation_score *units, *cities; /* best first */
    size_t n_units, n_cities;
};

/* Creates the draft evaluation of a pairing's year with the default indicators (language l).
 * A coordinator of the pairing (either side), an admin. SVC_CONFLICT err_evaluation_exists
 * when the year has one. */
int evaluation_create(struct ctx *c, int64_t pairing_id, int year, enum lang l, int64_t *id);
/* Replaces a draft's indicators. SVC_INVALID err_evaluation_weights (sum not 100),
 * err_evaluation_indicator (field "indicators[i].…"); SVC_CONFLICT err_evaluation_locked once
 * open. if_updated_at: NULL or the updated_at it was read at (else SVC_STALE). */
int evaluation_set_indicators(struct ctx *c, int64_t id, const struct evaluation_indicator *in,
                              size_t n, const char *if_updated_at);
/* draft → open (who may create it). */
int evaluation_open(struct ctx *c, int64_t id);

/* A step on side's evaluation: action save, self, opinion, return, confirm (side: the
 * confirming leadership's, ignored for an admin), summary (the lead office's summary text).
 * scores: one per indicator (-1 none; only hand indicators read), or NULL; to_stage: where
 * return sends the side (ES_SELF or ES_OPINION). SVC_CONFLICT err_evaluation_step for a step
 * out of order; SVC_FORBIDDEN for the wrong side or role; SVC_INVALID err_evaluation_score
 * (field "scores.KEY") for a hand score outside 0–100 or missing. */
struct evaluation_action {
    const char *action;
    int side;
    const char *text;  /* self / opinion / summary text; return's reason */
    const int *scores; /* n_indicators of them, or NULL */
    enum evaluation_stage to_stage;
};
int evaluation_step(struct ctx *c, int64_t id, const struct evaluation_action *a);
/* Leaders (either side) or an admin, once closed: the commendation list, every unit among
 * the first EVALUATION_COMMEND_TOP of the ranking (else SVC_INVALID err_evaluation_commend). */
int evaluation_commend(struct ctx *c, int64_t id, const int64_t *unit_ids, size_t n);

int evaluation_get(struct ctx *c, int64_t id, struct evaluation_view *out);
/* A pairing's evaluations, newest year first (indicators, sides and steps not read). */
int evaluation_list(struct ctx *c, int64_t pairing_id, struct evaluation_view **out, size_t *n);
/* The open (else the latest) evaluation of a pairing: its id, 0 when there is none. No
 * check: for a page that has already checked the pairing. */
int64_t evaluation_current(struct ctx *c, int64_t pairing_id);
/* The scores of an evaluation read by evaluation_get: live until it closes, stored after. */
int evaluation_scores(struct ctx *c, const struct evaluation_view *v,
                      struct evaluation_scores *out);
/* The scores as the API gives them and a closed evaluation stores them: the members as_of,
 * frozen, sides, scores (the units), cities, written into the object w has open. */
struct jw;
void evaluation_scores_json(struct jw *w, const struct evaluation_scores *s);
/* The member "indicators": [{key, name, weight, method, evidence}], as the API gives them and
 * the audit rows keep them. */
void evaluation_indicators_json(struct jw *w, const struct evaluation_view *v);
/* One unit's score in s (NULL when it is not there). */
const struct evaluation_score *evaluation_unit(const struct evaluation_scores *s,
                                               int64_t unit_id);

/* The attachments' check for an evaluation side's evidence files (object evaluation_side,
 * id row_id): read as the self-evaluation is read; add while it is being written, by its
 * side's lead office. *pairing: the evaluation's. */
int evaluation_side_access(struct ctx *c, int64_t row_id, bool write, int64_t *pairing);

#endif
