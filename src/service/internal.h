/* internal: helpers the service files share and nothing outside src/service calls. They keep
 * one wording for one failure (a store error, a work item out of scope) and one way to copy
 * a row or build an audit row's JSON, so the services do not each grow their own copy. */
#ifndef DUIKOU_SERVICE_INTERNAL_H
#define DUIKOU_SERVICE_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "core/sb.h"

struct ctx;
struct stmt;

/* Column i of the current row, copied into c's arena; NULL for an SQL NULL. */
const char *svc_col(struct ctx *c, struct stmt *st, int i);

/* Binds id, or NULL for 0 (optional foreign keys). */
void svc_bind_opt_id(struct stmt *st, const char *name, int64_t id);

/* Whether row id belongs to the province pairing, by the query SVC_OF_PAIRING(table,
 * column) makes (table and column: literals of the caller, never input): the check every
 * reference from an object to another of its pairing makes (a project's platform …). */
bool svc_of_pairing(struct ctx *c, const char *sql_exists, int64_t id, int64_t pairing);
#define SVC_OF_PAIRING(table, column) "SELECT 1 FROM " table " WHERE id = :id AND " column " = :p"

/* The units an object of pairing names (its organisers, the units running a platform …):
 * each a unit of the pairing, either side (else SVC_INVALID err_unit_unknown, field
 * unit_ids); a repeated one once. ids[] and sides[] (room for n each) get them in order,
 * *k how many. */
int svc_check_units(struct ctx *c, int64_t pairing, const int64_t *unit_ids, size_t n,
                    int64_t *ids, int *sides, size_t *k);

/* qsort comparison of int64_t ids. */
int svc_cmp_id(const void *a, const void *b);

/* perm_read_pairing as a yes or no: the caller words the refusal. */
bool svc_can_read_pairing(struct ctx *c, int64_t pairing_id);

/* Logs the store's error as "<module>: <what>: …" and fails c with err_internal
 * "<what> failed". Returns SVC_ERROR. */
int svc_store_failed(struct ctx *c, const char *module, const char *what);

/* Checks and normalises a text input: valid UTF-8 without control characters other than tab
 * and line breaks, NFC, trimmed (ideographic space too). *out (arena) is NULL for an absent
 * or blank optional text; blank_code is the error of a blank required one. */
int svc_check_text(struct ctx *c, const char *in, bool required, const char *blank_code,
                   size_t max, const char *field, const char **out);

/* A page size: 0 means def; anything outside 1..max is refused (field "limit"). */
int svc_check_limit(struct ctx *c, int *limit, int def, int max);

/* The pairing of a work item's plan; 0 when there is no such item (with live, no item that
 * is not removed either), -1 when the store fails. */
int64_t svc_item_pairing(struct ctx *c, int64_t item_id, bool live);

/* The province pairing of a task's plan; 0 when there is no such task, -1 when the store
 * fails. */
int64_t svc_task_pairing(struct ctx *c, int64_t task_id);

/* The refusals of a read of work item item_id whose plan is of pairing: not found when
 * !found, forbidden when the caller may not read the pairing; SVC_OK otherwise. */
int svc_item_readable(struct ctx *c, int64_t item_id, bool found, int64_t pairing);

/* The JSON object of an audit row: svc_json_begin opens it, the caller writes its members
 * through the returned writer, svc_json_end closes it and returns its text in c's arena
 * (the builder's own memory is freed then). */
struct svc_json {
    struct sb b;
    struct jw w;
};
struct jw *svc_json_begin(struct svc_json *j);
const char *svc_json_end(struct ctx *c, struct svc_json *j);

/* Inside a write transaction on event event_id (service/event.h): gives the free seats (all,
 * capacity 0) to the waiting list in order, each audited and told; nothing when the event is
 * cancelled or over. *first the first moved up (or 0). <0 when the store fails. */
int event_fill_seats(struct ctx *c, int64_t event_id, int64_t capacity, int64_t *first);

#endif
