/* filetype: one libmagic cookie for the process. libmagic is not thread-safe on a shared
 * cookie, and loading its database takes milliseconds, so the cookie is made once and used
 * under a lock (an upload is rare next to the reads around it). */
#include "core/filetype.h"

#include <magic.h>
#include <pthread.h>

#include "core/log.h"
#include "core/mem.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;
static bool failed;

const char *filetype_of(struct arena *a, const void *data, size_t len)
{
    const char *out = NULL;
    pthread_mutex_lock(&lock);
    if (!cookie && !failed) {
        cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        if (!cookie || magic_load(cookie, NULL) != 0) {
            log_error("filetype: cannot load libmagic's database: %s",
                      cookie ? magic_error(cookie) : "magic_open failed");
            if (cookie)
                magic_close(cookie);
            cookie = NULL;
            failed = true;
        }
    }
    if (cookie) {
        const char *t = magic_buffer(cookie, data, len);
        if (t)
            out = arena_strdup(a, t);
    }
    pthread_mutex_unlock(&lock);
    return out;
}

void filetype_shutdown(void)
{
    pthread_mutex_lock(&lock);
    if (cookie)
        magic_close(cookie);
    cookie = NULL;
    failed = false;
    pthread_mutex_unlock(&lock);
}
