/* mailer: the outbox delivered by a thread of its own (service/mail.h), when the server was
 * given --smtp. At its start it fails what a crash left "sending" (it may have arrived) and
 * makes what is queued due; then it delivers what is due every MAILER_IDLE_MS, and at once
 * after a request that wrote (http_mailer_nudge), so a returned report's mail leaves within
 * a moment. SMTP may take seconds: never in a request's thread, and never holding the write
 * lock (each mail is claimed and settled in transactions of its own around the send). */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/mem.h"
#include "http/internal.h"
#include "service/mail.h"
#include "service/service.h"
#include "store/db.h"
#include "web/web.h"

enum { MAILER_IDLE_MS = 2000 };

static struct {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    bool started, stop, nudged;
    const char *db_path;
    struct mail_settings settings;
} ml = {.mu = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void said(void *arg, const struct mail_done *d)
{
    (void)arg;
    log_info("mail %lld to %s (%s): %s %s", (long long)d->id, d->address, d->login, d->state,
             d->answer ? d->answer : "");
}

static void pass(struct db *db, bool first)
{
    struct arena a;
    arena_init(&a);
    struct ctx c = {.db = db, .arena = &a, .actor = "system:mail", .client = "server"};
    if (first) {
        int64_t interrupted = 0;
        if (mail_recover(&c, &interrupted) != SVC_OK)
            log_warn("mail: recovering the outbox failed (%s)", c.error ? c.error : "store");
        else if (interrupted)
            log_warn("mail: %lld mail%s interrupted while being sent: failed, not sent again "
                     "(duikou outbox --failed)",
                     (long long)interrupted, interrupted == 1 ? "" : "s");
    }
    int sent = 0;
    if (mail_deliver(&c, &ml.settings, web_mail_compose, said, NULL, &sent) != SVC_OK)
        log_warn("mail: delivery failed (%s); again shortly", c.error ? c.error : "store");
    arena_free(&a);
}

static void *mailer(void *arg)
{
    (void)arg;
    struct db *db = NULL;
    bool first = true;
    pthread_mutex_lock(&ml.mu);
    while (!ml.stop) {
        pthread_mutex_unlock(&ml.mu);
        if (!db && db_open(ml.db_path, &db, NULL) < 0)
            db = NULL;
        if (db) {
            pass(db, first);
            first = false;
        }
        pthread_mutex_lock(&ml.mu);
        if (!ml.stop && !ml.nudged) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += MAILER_IDLE_MS / 1000;
            pthread_cond_timedwait(&ml.wake, &ml.mu, &until);
        }
        ml.nudged = false;
    }
    pthread_mutex_unlock(&ml.mu);
    db_close(db);
    return NULL;
}

void http_mailer_nudge(void)
{
    if (!ml.started)
        return;
    pthread_mutex_lock(&ml.mu);
    ml.nudged = true;
    pthread_cond_signal(&ml.wake);
    pthread_mutex_unlock(&ml.mu);
}

int http_mailer_start(const char *db_path, const struct mail_settings *s)
{
    if (!s || !s->url)
        return 0;
    ml.db_path = db_path;
    ml.settings = *s;
    ml.stop = ml.nudged = false;
    if (pthread_create(&ml.thread, NULL, mailer, NULL) != 0) {
        log_error("http: cannot start the mailer");
        return -1;
    }
    ml.started = true;
    /* the URL without a password it may carry (smtp://user:password@host) */
    const char *host = strrchr(s->url, '@');
    log_info("mail: through %.*s%s as %s", (int)(strstr(s->url, "://") - s->url + 3), s->url,
             host ? host + 1 : strstr(s->url, "://") + 3, s->from);
    return 0;
}

void http_mailer_stop(void)
{
    if (!ml.started)
        return;
    pthread_mutex_lock(&ml.mu);
    ml.stop = true; /* a mail being sent is finished and settled first */
    pthread_cond_signal(&ml.wake);
    pthread_mutex_unlock(&ml.mu);
    pthread_join(ml.thread, NULL);
    ml.started = false;
}
