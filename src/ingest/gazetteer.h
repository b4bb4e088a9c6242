/* gazetteer: China's administrative divisions (GB/T 2260, from the CSV files in data/regions/) and the
 * zones the plans name (data/regions/zones.csv), compiled into the binary. Pure lookup, no
 * database: the ingester uses it to find region names inside sentences, the services use it
 * to link pairings to region rows. All names here are Simplified; callers match on
 * text_key() copies (core/text.h), so Traditional input finds the same regions. */
#ifndef DUIKOU_GAZETTEER_H
#define DUIKOU_GAZETTEER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum region_level { REGION_PROVINCE, REGION_CITY, REGION_DISTRICT, REGION_ZONE };

struct region {
    const char *code;   /* GB/T 2260 code, or "Z…" for hand-made zones */
    const char *name;   /* official name, Simplified: 辽宁省, 盘锦市, 金普新区 */
    const char *short_name; /* 辽宁, 盘锦, 金普新区 */
    enum region_level level;
    const struct region *parent;   /* NULL for provinces */
    const struct region *province; /* itself for provinces */
};

struct gazetteer;

/* The process-wide gazetteer, built once from the embedded data (thread-safe). */
const struct gazetteer *gazetteer_get(void);
void gazetteer_shutdown(void); /* frees it, for leak-clean exits */

size_t gazetteer_count(const struct gazetteer *g);
const struct region *gazetteer_at(const struct gazetteer *g, size_t i);
const struct region *region_by_code(const struct gazetteer *g, const char *code);
const char *region_level_name(enum region_level l); /* "province" … "zone" */
/* A zone's kind from zones.csv (new_area, park, ftz, ftz_area, nidz, hitech, port_area);
 * NULL for administrative divisions. */
const char *region_kind(const struct region *r);

/* Resolves a name as people write it, in either script: 盤錦 = 盤錦市 = 遼寧省盤錦市 = 盘锦市.
 * NULL when unknown. *ambiguous (may be NULL) is set when several regions fit equally
 * well and the first by level (province before city before district) was chosen. */
const struct region *region_find(const struct gazetteer *g, const char *name, bool *ambiguous);

/* The longest chain of region names at the start of cps[0..n) (Simplified, folded code
 * points, e.g. from text_key), such as 辽宁省+盘锦市 or 大连+金普新区. Returns the number of
 * code points consumed (0 when none) and the most specific region in *out. */
size_t region_match_prefix(const struct gazetteer *g, const uint32_t *cps, size_t n,
                           const struct region **out);

/* True when r is ancestor or lies under it. */
bool region_within(const struct region *r, const struct region *ancestor);

#endif
