/* exchange: exchanges of people (干部挂职 · 培训 · 人才交流) — "选派两省优秀干部互派挂职",
 * trainings of cadres and skilled workers, exchanges of talent, experts, teachers and
 * students.
 *
 * Kinds: secondment (挂职: one named person from a unit of one side to a host unit of the
 * other, with a post, a field and dates; its 身份证号码 and phone are personal data, sealed at
 * rest with the data key, core/seal.h); training (培训: a topic, the organiser's side and
 * unit, dates, place, participants per side and optionally their names); talent, expert,
 * teacher, student (people per side, units, purpose). Each may name the plan task it serves;
 * where that task has a target (量化目标) the counts show it.
 *
 * Who does what:
 *   record, edit   a coordinator (lead office) of the pairing, either side — exchanges are
 *                  arranged jointly; an admin anywhere; the command line as an admin.
 *   read           everyone of the pairing (leaders, coordinators, members: the members of
 *                  the from and host units among them).
 *   personal data  the id number and phone are opened and shown only to admins (and the
 *                  command line) and to the coordinators of the secondment's sending side;
 *                  to everyone else the pages and the API do not show them (not even whether
 *                  they were given). Only those may set them.
 * Every write records an audit row (entity "exchange") whose before/after never holds the
 * personal data, only whether it is sealed — who recorded personal data, and when, is the
 * audit log's to say (its readers: leaders and admins) —; an edit names the updated_at it
 * was made against (SVC_STALE when the exchange changed meanwhile). */
#ifndef DUIKOU_SERVICE_EXCHANGE_H
#define DUIKOU_SERVICE_EXCHANGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum {
    EXCHANGE_TITLE_MAX = 200,  /* code points */
    EXCHANGE_SHORT_MAX = 100,  /* name, post, field, place */
    EXCHANGE_PURPOSE_MAX = 2000,
    EXCHANGE_NAMES_MAX = 500,  /* names listed for a training */
    EXCHANGE_COUNT_MAX = 100000,
    EXCHANGE_LIST_MAX = 1000,  /* a pairing records tens a year */
    EXCHANGE_RETURNING_DAYS = 30,
};

enum exchange_kind {
    EXCHANGE_SECONDMENT, /* 干部挂职 */
    EXCHANGE_TRAINING,   /* 培训 */
    EXCHANGE_TALENT,     /* 人才交流 */
    EXCHANGE_EXPERT,     /* 专家交流 */
    EXCHANGE_TEACHER,    /* 教师交流 */
    EXCHANGE_STUDENT,    /* 学生交流 */
    EXCHANGE_KIND_N
};
/* "secondment" … "student"; the name's kind, or EXCHANGE_KIND_N when it is none. */
const char *exchange_kind_name(enum exchange_kind k);
enum exchange_kind exchange_kind_from(const char *name);

/* The fields the plans name for secondments (放管服改革, 自贸试验区建设 …): suggestions; any
 * text is accepted. */
extern const char *const exchange_fields[];
extern const size_t exchange_n_fields;

/* A 居民身份证号码 (GB 11643-1999): 17 digits, a real birth date, and its check character
 * over them ("10X98765432"[Σ digit×weight mod 11]). Its canonical form (full-width folded,
 * spaces dropped, x upper-cased) into out; false when it is not one. */
bool exchange_id_number_normalise(const char *in, char out[19]);
/* A phone number as typed: 5–20 of digits, '+' and '-'. */
bool exchange_phone_valid(const char *s);

struct exchange_input {
    int64_t pairing_id;   /* create: the province pairing (0: a coordinator's own) */
    const char *kind;     /* create: required; edit: NULL (or the same kind) */
    /* text: NULL keeps; "" clears (title, starts: required) */
    const char *title, *person_name, *post, *field, *starts, *ends, *place, *purpose;
    const char *id_number, *phone; /* personal data of a secondment; NULL keeps, "" clears */
    const char *const *names;      /* with set_names: the names of a training's people */
    size_t n_names;
    bool set_names;
    int64_t from_unit_id, host_unit_id; /* -1 keeps; 0 clears */
    int side;                           /* -1: keeps, or the from unit's; else 0 or 1 */
    int64_t count_a, count_b;           /* -1 keeps; people per side (not for a secondment) */
    int64_t task_id;                    /* -1 keeps; 0 clears */
    const char *if_updated_at; /* edit: SVC_STALE unless the exchange's updated_at is this */
};
/* An input that keeps everything (for edits): set what changes. */
void exchange_input_init(struct exchange_input *in);

struct exchange_target {
    int64_t task_id;
    int task_number;
    const char *text; /* the target as the plan says it */
    int64_t min, max; /* -1 when not given */
    const char *unit, *per;
};

struct exchange_view {
    int64_t id, pairing_id;
    const char *name_a, *name_b; /* the pairing's sides */
    enum exchange_kind kind;
    const char *title, *person_name, *post, *field, *starts, *ends, *place, *purpose;
    int64_t from_unit_id, host_unit_id; /* 0: none */
    const char *from_unit, *host_unit;
    int side, year;
    int64_t count_a, count_b;
    const char **names;
    size_t n_names;
    int64_t task_id; /* 0: none */
    int task_number;
    const char *task_title;
    bool in_post, returning; /* a secondment in progress today; ending within 30 days */
    /* personal data, for those who may see it (personal_visible): the plain values, NULL
     * when not given; personal_unavailable when given but the data key cannot open it (a
     * database copied without its key). For everyone else all four are NULL/false. */
    bool personal_visible, personal_unavailable;
    const char *id_number, *phone;
    const char *created_at, *updated_at;
    /* internal: the sealed texts as stored */
    const char *id_sealed_, *phone_sealed_;
};

/* The filters of a list: 0 / -1 / NULL for none. */
struct exchange_filter {
    int64_t pairing_id; /* 0: the caller's own (an admin: every pairing) */
    int year;           /* 0: every year */
    int kind;           /* an enum exchange_kind, or -1 */
    int side;           /* 0, 1, or -1 */
    bool now;           /* secondments in progress today */
    bool returning;     /* secondments ending within EXCHANGE_RETURNING_DAYS of today */
};

int exchange_create(struct ctx *c, const struct exchange_input *in, int64_t *id);
int exchange_edit(struct ctx *c, int64_t id, const struct exchange_input *in);
/* One exchange, for its pairing's users (else SVC_FORBIDDEN). */
int exchange_get(struct ctx *c, int64_t id, struct exchange_view *out);
/* The exchanges by the filter, by starts then id (now and returning: by ends). */
int exchange_list(struct ctx *c, const struct exchange_filter *f, struct exchange_view **out,
                  size_t *n);
bool exchange_may_write(const struct ctx *c, const struct exchange_view *v);
/* Whether c may record exchanges at all (a coordinator or an admin). */
bool exchange_may_create(const struct ctx *c);
/* Whether c sees the personal data of a secondment of that pairing and sending side. */
bool exchange_sees_personal(const struct ctx *c, int64_t pairing_id, int side);

/* A year's counts of a pairing per kind: entries and people per side (a secondment is one
 * person of its sending side; the other kinds add their count_a and count_b), and the
 * targets of the tasks those exchanges serve. */
struct exchange_counts {
    int64_t pairing_id;
    int year;
    struct exchange_kind_count {
        int64_t entries;
        int64_t people[2];
        struct exchange_target *targets;
        size_t n_targets;
    } kind[EXCHANGE_KIND_N];
    int64_t people[2]; /* all kinds */
};
int exchange_counts(struct ctx *c, int64_t pairing_id, int year, struct exchange_counts *out);
/* Whether any exchange holds sealed personal data (then a missing data key is lost, not new:
 * cli/data_key.c refuses to make another). True when the store fails too. */
bool exchange_has_sealed(struct ctx *c);

#endif
