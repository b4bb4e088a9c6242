/* seal: personal data encrypted at rest (a secondment's 身份证号码 and phone), so that the
 * database file, its backups and its copies hold no such datum in the clear.
 *
 * The data key lives OUTSIDE the database, in a file beside it (<db>.data-key, mode 0600,
 * made on first need by the server and the commands that write; never overwritten), like
 * the audit key (store/audit.h). A sealed text is
 *     "v1:" base64(nonce ‖ crypto_secretbox_easy(plain, nonce, key))
 * with a fresh random nonce each time (XSalsa20-Poly1305, libsodium), so equal data seal to
 * different texts and a sealed text changed or opened under another key is refused. A
 * database copied without its key still opens: its sealed fields read as unavailable.
 * The key is process-wide, set once before any thread (seal_use_key). */
#ifndef DUIKOU_SEAL_H
#define DUIKOU_SEAL_H
#include <stdbool.h>

struct arena;

enum { SEAL_KEY_BYTES = 32 };

struct seal_key {
    unsigned char key[SEAL_KEY_BYTES];
};

/* For the rest of the process: seal and open with k (copied; NULL: no key, every seal
 * fails and every open says unavailable). Set before any thread. */
void seal_use_key(const struct seal_key *k);
/* Whether a key is in use. */
bool seal_have_key(void);

/* Reads a key file: 0, or -1 with *why (an English sentence) when it cannot be read, is not
 * a data key file, or may be read by others than its owner. */
int seal_key_read(const char *path, struct seal_key *out, const char **why);
/* Makes a new random key into a new file at path (mode 0600, synced; an existing file is
 * never overwritten): 0, or -1 with *why. */
int seal_key_create(const char *path, struct seal_key *out, const char **why);
/* The key of path for this process: read when the file is there, else made when create;
 * then used (seal_use_key). 1 a key is in use, 0 there is none (no file and !create), -1
 * with *why. */
int seal_key_load(const char *path, bool create, const char **why);

/* plain (NUL-terminated) sealed under the key in use: an arena string "v1:…"; NULL when no
 * key is in use. */
const char *seal_text(struct arena *a, const char *plain);
/* The plain text of a sealed one, in the arena; NULL when it cannot be opened: no key in
 * use, another key's, altered, or not a sealed text at all. */
const char *seal_open(struct arena *a, const char *sealed);

#endif
