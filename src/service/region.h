/* region: the region table, filled from the gazetteer compiled into the binary. */
#ifndef DUIKOU_SERVICE_REGION_H
#define DUIKOU_SERVICE_REGION_H
#include <stdint.h>

struct ctx;

/* Adds the gazetteer's regions that the table lacks (all of them on a new database), in one
 * audited transaction. *added (may be NULL) receives how many rows were added. */
int region_sync(struct ctx *c, int64_t *added);
/* The region row id for a gazetteer code, or 0 when absent. */
int64_t region_id(struct ctx *c, const char *code);

#endif
