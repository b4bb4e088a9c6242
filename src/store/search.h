/* search (store): the full-text index behind the search page. SQLite's FTS5 holds one table
 * per kind of thing found (tasks, work items, reports, units); what it indexes is the thing's
 * text in one script (text_key: NFC, full-width folded, Traditional → Simplified by character)
 * with a space around every CJK character, so each character is a token and a query of two
 * characters (辽宁) is a phrase of two adjacent tokens: substring search over Chinese that
 * uses the index. Latin words are tokens of their own and match by prefix.
 *
 * Triggers (migration 4) note each inserted or changed row in search_dirty; search_flush
 * indexes them from that list in the same transaction, just before it commits (db_commit:
 * FTS5 may not be written from a trigger on a connection that does not trust its schema,
 * which ours never does). A search only reads. The SQLite-only syntax (MATCH, the FTS5 query
 * language) stays in this file. */
#ifndef DUIKOU_STORE_SEARCH_H
#define DUIKOU_STORE_SEARCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

enum search_kind { SEARCH_TASK = 0, SEARCH_ITEM, SEARCH_REPORT, SEARCH_UNIT, SEARCH_KINDS };

/* The indexed form of s (arena string): its key with spaces around each CJK character. */
char *search_text(struct arena *a, const char *s);

/* Whether s holds anything the index can match (a letter or a digit of any script). */
bool search_has_token(const char *s);

/* Registers search_text as the SQL function search_text(x) on a connection (db.c calls it
 * before migrating: migration 4 fills the index with it). Returns 0 or a negative code. */
int search_register(struct db *db);

/* The schema version from which the index exists (migration 4). */
enum { SEARCH_SCHEMA_VERSION = 4 };

/* Indexes the rows listed in search_dirty and empties it, inside the caller's transaction:
 * db_commit calls it before every COMMIT. Returns 0 or a negative code. */
int search_flush(struct db *db);

/* The same in a transaction of its own (a connection that defers indexing, a writer that
 * bypassed db_commit). Returns 0, or a negative code (the index stays as it was). */
int search_sync(struct db *db);

/* Before a search: brings the index up to what was committed before it. Without a hook it
 * does nothing (every commit indexed already); the server sets one that waits for its
 * indexer thread (http/indexer.c), so the request never writes. */
void search_set_catch_up(void (*hook)(void));
void search_catch_up(void);

/* The ids of the rows of kind whose text holds every one of words (each a run of text as
 * typed: folded here, matched as a phrase, a Latin last token as a prefix), within province
 * pairing `pairing` (0: every pairing), in the kind's order (tasks and units oldest first,
 * work items and reports newest first), starting after id `after` (0: from the start), at
 * most `limit`, into ids (room for limit). Tasks of superseded plans and removed work items
 * are left out. Returns the count, or a negative code. */
int search_find(struct db *db, struct arena *a, enum search_kind kind, const char *const *words,
                size_t n_words, int64_t pairing, int64_t after, int limit, int64_t *ids);

#endif
