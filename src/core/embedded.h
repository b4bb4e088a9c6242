/* embedded: data files compiled into the binary by tools/embed.c. */
#ifndef DUIKOU_EMBEDDED_H
#define DUIKOU_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
    const char *name;
    const unsigned char *data; /* NUL-terminated */
    size_t len;
};

extern const struct embedded_file embedded_files[];

/* The file with that base name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
