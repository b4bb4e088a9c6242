/* audit_internal: what audit.c shares with audit_archive.c (the row encoding, the MAC, the
 * archive boundary); not for other modules. */
#ifndef DUIKOU_AUDIT_INTERNAL_H
#define DUIKOU_AUDIT_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>

#include "core/hash.h"
#include "store/audit.h"

struct db;

struct audit_row {
    int64_t id;
    const char *at, *actor, *action, *entity;
    int64_t entity_id; /* 0: NULL */
    const char *before, *after, *client;
    const char *prev_hash;
};
extern const char AUDIT_ZERO_HASH[SHA256_HEX_LEN + 1];
void audit_row_hash(const struct audit_row *r, char out[SHA256_HEX_LEN + 1]);
bool audit_row_mac(const struct audit_key *k, int64_t id, const char *hash, const char *prev,
                   char out[MAC_HEX_LEN + 1]);
/* The key in use (audit_use_key) into *k, NULL when none; the anchors file ("" when none). */
bool audit_have_key(const struct audit_key **k);
const char *audit_anchors_path(void);

/* The last archive record: the last removed row's id (0: none), hash, MAC ("" when it had
 * none) and the archive file's SHA-256. 0 or a negative DB_* code. */
struct audit_boundary {
    int64_t last_id;
    char hash[SHA256_HEX_LEN + 1], mac[MAC_HEX_LEN + 1], sha256[SHA256_HEX_LEN + 1];
};
int audit_boundary(struct db *db, struct audit_boundary *b);

#endif
