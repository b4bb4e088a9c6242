/* filetype: what a file is by its content (libmagic, Debian's file(1) database), never by its
 * name: an attachment is accepted or refused by what its bytes are. */
#ifndef DUIKOU_FILETYPE_H
#define DUIKOU_FILETYPE_H
#include <stdbool.h>
#include <stddef.h>

struct arena;

/* The MIME type of data ("application/pdf", "image/png" …) as an arena string; NULL when
 * libmagic cannot be used (its database missing). Thread-safe. */
const char *filetype_of(struct arena *a, const void *data, size_t len);
/* Frees libmagic's state (for leak-clean exits). */
void filetype_shutdown(void);

#endif
