/* audit: the append-only, hash-chained record of every change (who, when, what, before,
 * after). Services append in the same transaction as the change they record, so a change and
 * its audit row commit or vanish together. */
#ifndef DUIKOU_AUDIT_H
#define DUIKOU_AUDIT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/hash.h"

struct db;

/* The keyed chain (issue #10: a chain anyone who can write the file can recompute proves
 * nothing). With a key — kept outside the database (--audit-key FILE, mode 0600, backed up
 * separately) — each row from the one that installed it carries
 *     mac = HMAC(key, "duikou.audit.mac.v1" 0x00 id 0x00 hash 0x00 previous row's mac)
 * (the first keyed row's previous mac is empty); its hash already covers the row and every
 * row before it, so rows before the key are covered too. HMAC-SHA256, or HMAC-SM3 where
 * 商用密码 is required. Anchors — the head's id, hash and mac with the time — are appended to a
 * file outside the database (--audit-anchors FILE) by the server every minute and when it
 * stops, and by each command that wrote, so a log cut short is found too: an attacker who can
 * write the database can neither recompute the MACs nor reach the anchors. */
struct audit_key {
    char alg[16];          /* hmac-sha256 or hmac-sm3 */
    unsigned char key[32];
    int64_t from;          /* the first row it MACs: the row that installed it */
};
/* For the rest of the process: appends MAC with k (NULL: none), audit_verify checks MACs with
 * it; anchors go to path (NULL: none) and audit_verify checks them. Set before any thread. */
void audit_use_key(const struct audit_key *k);
void audit_use_anchors(const char *path);
/* Reads a key file; -1 with *why when it is not one, or is readable by others than its owner. */
int audit_key_read(const char *path, struct audit_key *out, const char **why);
/* Makes a key (alg hmac-sha256 or hmac-sm3) into a new file at path (mode 0600; an existing
 * file is never overwritten), installs it with one audited row (audit.key, the first with a
 * MAC) and uses it. Refused when the chain does not verify or is keyed already. 0, or -1 with
 * *why. */
int audit_key_create(struct db *db, const char *path, const char *alg, const char *actor,
                     struct audit_key *out, const char **why);
/* 1 when k is this log's key (the row it was installed at is there, with a MAC), 0 when not,
 * <0 when the log cannot be read. */
int audit_key_fits(struct db *db, const struct audit_key *k);
/* 1 when the log is keyed (its last row has a MAC), 0 when not, <0 when it cannot be read. */
int audit_is_keyed(struct db *db);
/* Appends an anchor for the chain's head when it moved since the last anchor this process
 * wrote (or read at its first call); nothing without a key or an anchors file. 0, or -1. */
int audit_anchor(struct db *db);

/* Appends one row. Must be called inside the caller's transaction (db_begin); outside one it
 * fails (and asserts in debug builds). entity_id 0 means "none" and is stored as NULL;
 * before_json, after_json and client may be NULL. The row's time is clock_now_ms().
 * Returns 0 or a negative DB_* code. */
int audit_append(struct db *db, const char *actor, const char *action, const char *entity,
                 int64_t entity_id, const char *before_json, const char *after_json,
                 const char *client);

/* Walks the log in id order — from the last archive's boundary (audit_archive below), whose
 * record an audit.archive row of the log must vouch for — and checks each row's hash, its
 * link to the previous row, and that no id is missing; with a key (audit_use_key), each keyed row's MAC; with anchors
 * (audit_use_anchors), that every anchored row is there as anchored. Returns 0 when the chain is intact, 1 when it is broken, a
 * negative DB_* code when the log could not be read. Outputs (each may be NULL):
 * *first_bad_id the first row that fails (0 if none); *rows_checked the rows read, the bad
 * one included; *why an English sentence saying what failed (NULL if nothing did; valid
 * until the thread's next call). Without anchors a chain cannot show rows cut from its end. */
int audit_verify(struct db *db, int64_t *first_bad_id, int64_t *rows_checked, const char **why);

/* Retention and archive (issue #10, 等保三级; 网络安全法: logs kept at least six months). Rows
 * six calendar months old (always at least 180 days) may leave the live log only through
 * audit_archive: exported with their hashes, MACs and anchors into a file
 * (docs/audit-archive.md), the file verified, then removed in one transaction with an
 * audit_archive record (id range, last hash and MAC, the file's SHA-256) and an audit.archive
 * row naming them. The table's trigger (migration 26) refuses the DELETE of any row younger
 * than that or not covered by a record that an audit.archive row after it names, whoever runs
 * it: a guard against accidents. Against someone who can write the file (DROP TRIGGER),
 * audit_verify starts from the record's last hash and MAC, and checks that an audit.archive
 * row of the live (keyed) chain vouches for the record. */
enum { AUDIT_RETENTION_MONTHS = 6 };
/* The instant AUDIT_RETENTION_MONTHS calendar months before now_ms (UTC; the last day of the
 * month when it has no such day, as migration 26's trigger reckons): rows at or after it stay. */
int64_t audit_retention_limit_ms(int64_t now_ms);
/* The day (days since the epoch) six calendar months before day, clamped the same way. */
int64_t audit_retention_day(int64_t day);
struct audit_archive_info {
    int64_t first_id, last_id, rows, anchors;
    char last_hash[SHA256_HEX_LEN + 1];
    char sha256[SHA256_HEX_LEN + 1]; /* of the whole file */
    bool joined;                      /* audit_verify_archive: checked against the database */
};
/* Exports the rows before the instant before_ms (every id below the first row at or after
 * it) and the anchors that name them to a new file at path (written to a unique temporary
 * file beside it, synced, published with link(), never overwritten), verifies it, then removes
 * the rows, audited as actor. Refused when before_ms is after audit_retention_limit_ms(now),
 * when the log does not verify, or when there is nothing to archive. 0 with *out, or -1 with *why (an English sentence,
 * valid until the thread's next call). */
int audit_archive(struct db *db, int64_t before_ms, const char *path, const char *actor,
                  struct audit_archive_info *out, const char **why);
/* Checks an archive file on its own: its chain from the header's previous hash, each row's
 * hash, the MACs and the trailer's MAC (both ends of the file) when a key is in use
 * (audit_use_key), the anchors in it, its trailer; and,
 * when db is not NULL, that it joins the database's chain (the row after it links to its last
 * hash, or the database's archive record names it). 0 when intact, 1 when broken (*bad the
 * first bad row, or 0 for the file as a whole; *why says what), -1 when it cannot be read. */
int audit_verify_archive(const char *path, struct db *db, struct audit_archive_info *out,
                         int64_t *bad, const char **why);
/* The last archived row's id (0 when none was archived), or a negative DB_* code. */
int64_t audit_archived_through(struct db *db);

#endif
