/* files: the attachments' bytes, kept beside the database in <database>.files/, one file per
 * content named by its SHA-256 (ab/abcdef…): the same file uploaded twice is stored once,
 * and a file's name says what its bytes must hash to, so `duikou check` can verify each one.
 * A file is written to a temporary name, synced, linked into place and its directory synced
 * before the database row that names it is committed: an acknowledged upload survives
 * kill -9 and power loss, and a crash between the two leaves at most an unnamed file. */
#ifndef DUIKOU_STORE_FILES_H
#define DUIKOU_STORE_FILES_H
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct sb;

/* The files directory of the database db is open on: "<path>.files". Arena string. */
const char *files_dir(struct db *db, struct arena *a);
/* SHA-256 of data as 64 lower-case hex digits into hex[65]. */
void files_sha256(const void *data, size_t len, char hex[65]);
/* Stores data under its hash in dir (creating dir as needed); 0, or -1 with errno kept. */
int files_put(const char *dir, const void *data, size_t len, const char hex[65]);
/* The stored bytes of hex into an arena buffer (NUL-terminated, *len without it); -1 when
 * missing or unreadable. */
int files_get(const char *dir, const char *hex, struct arena *a, char **data, size_t *len);
/* Checks every file the database names (attachment.sha256) against its hash: lines into
 * report; returns the number of bad or missing files, or -1 when the check could not run. */
int files_check(struct db *db, struct sb *report);
/* Copies every named file of src_db's files directory into "<dest_path>.files" (synced):
 * the files that go with a backup of the database. 0 or -1. */
int files_backup(struct db *src_db, const char *dest_path);

#endif
