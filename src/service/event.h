/* event: 活动 — the high-level consultations, joint meetings, docking events (对接活动: the
 * plan's "遼寧行" / "江蘇行" with "不少于50家企業"), forums, exhibitions and trainings of a
 * pairing; who registers for them, who came, and what they produced (意向 and 签约, which may
 * become projects).
 *
 * Who does what:
 *   create          a coordinator (lead office) of the pairing, either side; an admin
 *                   anywhere; the command line as an admin.
 *   edit, minutes,  the organisers: the pairing's coordinators and the users of the event's
 *   outcomes,       organising units (event_may_organise); an admin.
 *   check-in
 *   register        for an enterprise of one's side or for one's own unit: a coordinator
 *                   (any unit or enterprise of their side) or a member (their own unit, or an
 *                   enterprise of their side); organisers register anyone of the pairing.
 *   withdraw        who may register it, and the organisers.
 *   read            everyone of the pairing. A public event's facts and counts (never its
 *                   registrations) are public: the portal and /events.ics.
 * Times are China time as typed (YYYY-MM-DDTHH:MM); an event is past once its end is before
 * now in the plans' time zone (light_policy). Every write records an audit row (entity event,
 * registration or event_outcome) in its own transaction. Capacity is never exceeded: a
 * registration past it goes to the waiting list, which moves up in order when someone
 * withdraws; every check of a free seat and the write that takes it are one transaction. */
#ifndef DUIKOU_SERVICE_EVENT_H
#define DUIKOU_SERVICE_EVENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum {
    EVENT_TITLE_MAX = 100,     /* code points */
    EVENT_PLACE_MAX = 200,
    EVENT_AGENDA_MAX = 5000,
    EVENT_MINUTES_MAX = 20000,
    EVENT_THEMES_MAX = 5,
    EVENT_UNITS_MAX = 20,
    EVENT_CITIES_MAX = 20,
    EVENT_CAPACITY_MAX = 100000,
    EVENT_LIST_MAX = 1000,     /* a pairing holds tens of events a year */
    EVENT_THEMES_PER_YEAR = 2, /* "每年選擇1—2個重點產業或招商主題" */
    OUTCOME_TITLE_MAX = 100, /* a project's name (PROJECT_NAME_MAX): it may become one */
    OUTCOME_PARTIES_MAX = 20,
};

enum event_kind {
    EVENT_CONSULTATION,  /* 高层会商 */
    EVENT_JOINT_MEETING, /* 联席会议 */
    EVENT_DOCKING,       /* 对接活动 */
    EVENT_FORUM,         /* 论坛 */
    EVENT_EXHIBITION,    /* 展会 */
    EVENT_TRAINING,      /* 培训 */
    EVENT_KIND_N
};
/* "consultation" … "training" (API and CSS names); the kind of a name, EVENT_KIND_N for none. */
const char *event_kind_name(enum event_kind k);
enum event_kind event_kind_from(const char *name);
/* Now in the plans' time zone as YYYY-MM-DDTHH:MM, into out[17]: what events' times compare
 * with (an event is past once its end is before it). */
void event_now_local(char out[17]);

/* Create: every field as given (NULL / -1 = none or the default). Edit: NULL / -1 keeps the
 * stored value; "" clears an optional text; the set_ flags replace the lists. */
struct event_input {
    int64_t pairing_id;        /* create: the province pairing (0: a coordinator's own) */
    const char *kind, *title;  /* create: required */
    int host_side;             /* create: required (0 or 1); edit: -1 keeps */
    const char *host_region_code; /* a gazetteer code of the host city; "" clears */
    const char *starts, *ends; /* YYYY-MM-DDTHH:MM, China time; ends after starts */
    const char *place, *agenda;
    int64_t capacity;          /* -1 keep (create: none); 0 none; else 1..EVENT_CAPACITY_MAX */
    int is_public;             /* -1 keep (create: 0) */
    int64_t task_id;           /* -1 keep; 0 none; else a task of the pairing's plans */
    int64_t target_enterprises; /* -1 keep (create: the task's "不少于 N 家企业" target, if
                                   any); -2 clears; else the target typed */
    const char *state;         /* edit: "planned" or "cancelled"; NULL keeps */
    bool set_themes, set_units, set_cities;
    const char *const *themes; /* GB/T 4754 codes (data/industry.csv) */
    size_t n_themes;
    const int64_t *unit_ids;   /* organising units of the pairing, either side */
    size_t n_units;
    const int64_t *city_pairing_ids; /* city pairings of the pairing */
    size_t n_cities;
    const char *if_updated_at; /* edit: SVC_STALE unless the event's updated_at is this */
};

struct event_unit {
    int64_t id;
    int side;
    const char *name;
};
struct event_city {
    int64_t id;
    const char *name_a, *name_b;
};

struct event_view {
    int64_t id, pairing_id;
    const char *name_a, *name_b; /* the pairing's sides */
    const char *kind, *title, *host_region_code, *host_region_name;
    int host_side, year;
    const char *starts, *ends, *place, *agenda, *minutes, *state;
    int64_t capacity;            /* 0: no limit */
    bool is_public, past;        /* past: its end is before now (China time) */
    int64_t task_id;             /* 0: none */
    int task_number;             /* the task's number in its plan */
    const char *task_title;
    int64_t target_enterprises;  /* -1: no target */
    /* counts: registrations holding a seat, of them enterprises; on the waiting list;
     * checked in, of them enterprises; outcomes by kind and their amounts */
    int64_t registered, registered_enterprises, waiting, attended, attended_enterprises;
    int64_t intentions, signed_count, intention_yuan, signed_yuan;
    const char **themes;
    size_t n_themes;
    struct event_unit *units;
    size_t n_units;
    struct event_city *cities;
    size_t n_cities;
    const char *created_at, *updated_at;
};

struct event_filter {
    int64_t pairing_id; /* 0: the caller's own pairing (admin: every pairing) */
    int year;           /* 0: any */
    const char *kind;   /* NULL: any */
    const char *theme;  /* NULL: any; a section letter matches its divisions too */
    int when;           /* 0 any, 1 upcoming (not past), 2 past */
    int64_t unit_id;    /* 0: any; else the events this unit organises or registered for */
};

int event_create(struct ctx *c, const struct event_input *in, int64_t *id);
int event_edit(struct ctx *c, int64_t id, const struct event_input *in);
/* The minutes (纪要) after the event: "" clears. */
int event_set_minutes(struct ctx *c, int64_t id, const char *minutes, const char *if_updated_at);
/* One event with counts, themes, organisers and cities, for its pairing's users. */
int event_get(struct ctx *c, int64_t id, struct event_view *out);
/* The events under the filter, by start (upcoming: soonest first; otherwise latest first). */
int event_list(struct ctx *c, const struct event_filter *f, struct event_view **out, size_t *n);
/* Public events, whoever asks (only the public facts and counts are filled): upcoming
 * (soonest first) or all (latest first), at most limit (0: EVENT_LIST_MAX). */
int event_list_public(struct ctx *c, bool upcoming, int limit, struct event_view **out,
                      size_t *n);
/* The events a user's unit takes part in (organises or registered for; the pairing's
 * coordinators and leaders: every event of the pairing), latest first: the calendar feed. */
int event_list_for_user(struct ctx *c, const struct user *u, struct event_view **out,
                        size_t *n);
/* Whether c may organise v (edit, minutes, outcomes, check-in). Leaves no failure in c. */
bool event_may_organise(struct ctx *c, const struct event_view *v);
/* Whether c may create events at all (a coordinator or an admin). */
bool event_may_create(const struct ctx *c);
/* For attachments (service/attachment.c): the pairing of event id, and whether c may add
 * files to it (write: the organisers) or read them. */
int event_access(struct ctx *c, int64_t id, bool write, int64_t *pairing);

/* Rotation of docking events (遼寧行 / 江蘇行 take turns): the pairing's docking events by
 * start, and the side and city suggested for the next one — the other side than the latest
 * one's, and of its cities (the pairing's city pairings) the one that hosted least lately. */
struct event_rotation {
    struct event_view *previous; /* latest first, at most 10 */
    size_t n_previous;
    int suggested_side;          /* -1: no docking event yet (either side) */
    const char *suggested_region_code, *suggested_region_name; /* NULL: none to suggest */
};
int event_rotation(struct ctx *c, int64_t pairing_id, struct event_rotation *out);

/* The year's theme industries (the distinct themes of the pairing's events of the year) and
 * the plan's rule on them: warning "event_themes_many" when more than EVENT_THEMES_PER_YEAR,
 * "event_themes_none" when none by June of this year (China time), else NULL. */
struct event_year_themes {
    const char **themes, **names; /* codes and their GB/T 4754 names */
    size_t n;
    const char *warning;          /* a message id of core/i18n, or NULL */
};
int event_year_themes(struct ctx *c, int64_t pairing_id, int year, struct event_year_themes *out);

/* A pairing's year of events for its dashboard: held (not cancelled, ended before today in
 * China: by the day, as the dashboard's reading is kept) and coming ones (today's too), the
 * enterprises registered for and attending the held ones, and the held ones whose attending
 * enterprises fell short of their target (≤ EVENT_SHORT_MAX, latest first). */
enum { EVENT_SHORT_MAX = 10 };
struct event_short {
    int64_t id, attended, target;
    const char *title, *starts;
};
struct event_totals {
    int64_t held, upcoming, registered_enterprises, attended_enterprises, signed_count;
    struct event_short *short_of_target;
    size_t n_short;
};
int event_totals(struct ctx *c, int64_t pairing_id, int year, struct event_totals *out);

/* ---- registrations (service/registration.c) ---------------------------------------------- */
struct registration_view {
    int64_t id, event_id, number, enterprise_id, unit_id; /* one of the two ids is 0 */
    int side;
    const char *name, *credit_code; /* the enterprise's or unit's name; its code */
    const char *status;             /* registered, waiting, withdrawn */
    int64_t position;               /* on the waiting list: 1 = next; 0 otherwise */
    const char *queued_at, *registered_by, *checked_in_at, *checked_in_by;
    const char *updated_at;
};

/* Registers an enterprise (enterprise_id) or a unit (unit_id) of the event's pairing: status
 * registered when a seat is free, else waiting. Refusals: SVC_CONFLICT
 * err_registration_exists when it is registered or waiting already, err_event_cancelled,
 * err_event_past; SVC_INVALID err_enterprise_unknown / err_unit_unknown. A withdrawn one
 * registers again (a new place in the queue, the same number). */
int registration_add(struct ctx *c, int64_t event_id, int64_t enterprise_id, int64_t unit_id,
                     struct registration_view *out);
/* Withdraws a registration; its seat goes to the first waiting (*promoted: its id, or 0).
 * SVC_CONFLICT err_registration_withdrawn when it is withdrawn already, err_checked_in after
 * check-in. */
int registration_withdraw(struct ctx *c, int64_t id, int64_t *promoted);
int registration_get(struct ctx *c, int64_t id, struct registration_view *out);
/* The event's registrations by number (withdrawn ones too), for its pairing's users. */
int registration_list(struct ctx *c, int64_t event_id, struct registration_view **out,
                      size_t *n);
/* Checks in registration number of the event (the number its QR code carries), by an
 * organiser: SVC_NOT_FOUND err_registration_unknown when the event has no such number;
 * SVC_CONFLICT err_registration_waiting / err_registration_withdrawn. Checking in twice is
 * no error: *already is set and the first check-in kept. */
int registration_check_in(struct ctx *c, int64_t event_id, int64_t number,
                          struct registration_view *out, bool *already);
/* At the door: registers and checks in at once an enterprise or unit not registered, when a
 * seat is free (SVC_CONFLICT err_event_full otherwise: never over capacity). */
int registration_walk_in(struct ctx *c, int64_t event_id, int64_t enterprise_id,
                         int64_t unit_id, struct registration_view *out);
/* The text a registration's QR code carries: the check-in address of the event with the
 * number, relative (the pages prefix the server's origin). Arena string. */
const char *registration_qr_text(struct ctx *c, int64_t event_id, int64_t number);

/* ---- outcomes (service/outcome.c) --------------------------------------------------------
 * 成果: an intention (意向) or a signed agreement (签约) between named parties, each a
 * registration of the event (an enterprise or a unit that came or registered), with an
 * amount. An organiser records them; one becomes a project once (outcome_to_project). */
struct outcome_party {
    int64_t registration_id;
    int side;                       /* out */
    int64_t enterprise_id, unit_id; /* out: one of them */
    const char *name, *credit_code; /* out */
};
struct outcome_input {
    const char *kind, *title;   /* intention or signed; required */
    const char *amount_wan;     /* 万元 as typed (up to 4 decimals); NULL or "": 0 */
    const char *industry;       /* a GB/T 4754 code, optional */
    const char *description;
    const int64_t *registration_ids; /* at least one, registrations of the event that are
                                        not withdrawn (err_outcome_party) */
    size_t n_parties;
};
struct outcome_view {
    int64_t id, event_id, amount_yuan, project_id; /* project_id 0: none yet */
    const char *kind, *title, *industry, *industry_name, *description;
    const char *project_name, *project_stage;  /* of its project, when it has one */
    int64_t project_contracted, project_paid;
    struct outcome_party *parties;
    size_t n_parties;
    const char *created_at, *updated_at;
};
int outcome_add(struct ctx *c, int64_t event_id, const struct outcome_input *in, int64_t *id);
int outcome_get(struct ctx *c, int64_t id, struct outcome_view *out);
/* The event's outcomes, oldest first, for its pairing's users. */
int outcome_list(struct ctx *c, int64_t event_id, struct outcome_view **out, size_t *n);
/* Makes a project of the outcome (service/project.h's rules for who records projects: the
 * owning side is the caller's, an admin's the event's host side): stage 洽谈 for an
 * intention, 签约 for a signed one (dated the event's first day), partners the parties,
 * amount as contracted (signed) or planned (intention) investment, industry, the event's
 * tasks and city pairing, and the event remembered as its origin. SVC_CONFLICT
 * err_outcome_project when it has one already. */
int outcome_to_project(struct ctx *c, int64_t id, int64_t *project_id);

/* ---- the funnel (service/funnel.c) -------------------------------------------------------
 * From events to operating projects, for a pairing's year or one event: events held (past,
 * not cancelled) → enterprises registered (holding a seat) → attended (checked in) →
 * intentions (every outcome) → signed (outcomes signed, or whose project reached 签约 or
 * beyond) → started (its project at 开工 or 投产) → operating (投产). An enterprise counts
 * once per event. The investment of a step: the outcomes' amounts, or their projects'
 * contracted investment once they have projects with one. */
enum { FUNNEL_STEPS = 7 };
struct funnel_step {
    const char *key; /* events, registered, attended, intentions, signed, started, operating */
    int64_t count, invest_yuan;
};
int funnel_get(struct ctx *c, int64_t pairing_id, int year, int64_t event_id,
               struct funnel_step steps[FUNNEL_STEPS]);

#endif
