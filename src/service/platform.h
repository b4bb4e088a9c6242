/* platform: 共建园区 / 合作平台, the parks, innovation centres, trading platforms and training
 * bases a pairing builds together, and the projects inside them ("共建產業合作園區等重大合作平臺").
 *
 * Who does what:
 *   write   a coordinator (lead office) of the pairing, either side — a platform is run
 *           jointly; an admin anywhere; the command line as an admin.
 *   read    everyone of the pairing (leaders, coordinators, members).
 * A project names its platform (service/project.h); a platform's counts of projects by stage,
 * investment and enterprises settled roll up from them. Every write records an audit row
 * (entity "platform"); an edit names the updated_at it was made against (SVC_STALE when the
 * platform changed meanwhile). */
#ifndef DUIKOU_SERVICE_PLATFORM_H
#define DUIKOU_SERVICE_PLATFORM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/project.h"
#include "service/service.h"

enum {
    PLATFORM_NAME_MAX = 100,
    PLATFORM_DESCRIPTION_MAX = 2000,
    PLATFORM_UNITS_MAX = 20,
    PLATFORM_LIST_MAX = 500, /* a pairing has tens, not thousands */
};

/* "park", "innovation", "trading", "training", "other": true for these. */
bool platform_kind_valid(const char *kind);

struct platform_input {
    int64_t pairing_id;       /* create: the province pairing (0: a coordinator's own) */
    const char *name, *kind;  /* create: required; edit: NULL keeps */
    const char *region_code;  /* NULL keeps; "" clears */
    const char *area_ha;      /* hectares as typed, up to 4 decimals; NULL keeps; "" clears */
    const char *description;  /* NULL keeps; "" clears */
    int founded;              /* -1 keeps; 0 clears; else the year */
    bool set_units;           /* replace the running units with unit_ids */
    const int64_t *unit_ids;  /* units of the pairing, either side */
    size_t n_units;
    const char *if_updated_at; /* edit: SVC_STALE unless the platform's updated_at is this */
};

struct platform_unit {
    int64_t id;
    int side;
    const char *name;
};

struct platform_view {
    int64_t id, pairing_id;
    const char *name_a, *name_b;
    const char *name, *kind, *region_code, *region_name, *description;
    int founded;       /* 0: not given */
    int64_t area_m2;   /* -1: not given */
    const char *created_at, *updated_at;
    struct platform_unit *units;
    size_t n_units;
    /* rolled up from its projects */
    int64_t by_stage[STAGE_N], projects, contracted, paid, enterprises;
};

int platform_create(struct ctx *c, const struct platform_input *in, int64_t *id);
int platform_edit(struct ctx *c, int64_t id, const struct platform_input *in);
/* One platform with units and rollups, for its pairing's users (else SVC_FORBIDDEN). */
int platform_get(struct ctx *c, int64_t id, struct platform_view *out);
/* The platforms of a pairing (0: the caller's own; an admin: every pairing), by name, with
 * their rollups. */
int platform_list(struct ctx *c, int64_t pairing_id, struct platform_view **out, size_t *n);
bool platform_may_write(const struct ctx *c, const struct platform_view *v);
/* Whether c may create platforms at all (a coordinator or an admin). */
bool platform_may_create(const struct ctx *c);
/* The area as hectares text: 12.5 for 125000 m². Arena string. */
const char *platform_area_ha(struct ctx *c, int64_t area_m2);

#endif
