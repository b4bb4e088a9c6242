/* session_cache: the answers of auth_session kept for the process (see session_cache.c). */
#ifndef DUIKOU_SESSION_CACHE_H
#define DUIKOU_SESSION_CACHE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/hash.h"
#include "service/auth.h"
#include "store/db.h"

/* Fills out (strings in arena) from the entry of hash when it was stored under the accounts
 * version `version` and now_ms is before its valid_until_ms; false otherwise. */
bool session_cache_get(const char hash[SHA256_HEX_LEN + 1], int64_t version, int64_t now_ms,
                       struct arena *arena, struct session_info *out);
/* Keeps what auth_session answered for hash, read at the accounts version `version` (read
 * before the data), until valid_until_ms at the latest. */
void session_cache_put(const char hash[SHA256_HEX_LEN + 1], int64_t version,
                       int64_t valid_until_ms, const struct session_info *si);
/* Forgets every session (tests; a server starting again in the same process). */
void session_cache_clear(void);

#endif
