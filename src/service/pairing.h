/* pairing: the province pairings with their city and zone pairings, as a tree. */
#ifndef DUIKOU_SERVICE_PAIRING_H
#define DUIKOU_SERVICE_PAIRING_H
#include <stddef.h>
#include <stdint.h>

struct ctx;

struct pairing_view {
    int64_t id, parent_id;
    const char *kind, *name_a, *name_b, *code_a, *code_b, *theme;
    int task;      /* the task whose text names a child pairing, 0 at the top */
    int64_t plan_id; /* the current plan of a top-level pairing (0 if none) */
    const char *plan_title;
    struct pairing_view *children;
    size_t n_children;
};

/* Every province pairing with its children, by id. Public: pairings are in the published
 * plans. */
int pairing_tree(struct ctx *c, struct pairing_view **out, size_t *n);
/* One pairing (either level); SVC_NOT_FOUND when absent. A top-level one comes with its
 * children. */
int pairing_get(struct ctx *c, int64_t id, struct pairing_view *out);

#endif
