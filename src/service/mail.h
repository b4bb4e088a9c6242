/* mail: notifications by e-mail — each user's choice per kind (the inbox only, the inbox and a
 * mail, or a daily digest), and the outbox that a trigger fills in the transaction that makes
 * the notification (schema 14), delivered over SMTP (core/smtp.h) with retries.
 *
 * A mail goes queued → sending → sent. Sending is committed before the message goes out and
 * sent after, so a crash in between leaves it "sending": the next start marks it failed
 * ("interrupted: it may have arrived"), never sends it twice; what was still queued goes out
 * then. A 4xx answer or no connection: queued again after retry_seconds × 2^(attempts − 1)
 * (at most 6 hours), failed after MAIL_MAX_ATTEMPTS; a 5xx answer: failed at once. The
 * server's answer is kept with the mail (`duikou outbox`). A digest mail waits for the day
 * after its notification (China time) and goes with the others of that user in one message.
 * Delivery is bookkeeping of the outbox, not a change of what users see, and is not audited;
 * the choices are (notification.pref, on the account). */
#ifndef DUIKOU_SERVICE_MAIL_H
#define DUIKOU_SERVICE_MAIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sb.h"

struct ctx;
struct arena;
struct notification_view;

enum { MAIL_MAX_ATTEMPTS = 8, MAIL_BATCH = 100, MAIL_KINDS = 10 };

extern const char *const mail_kinds[MAIL_KINDS];   /* notification kinds, in display order */
extern const char *const mail_channels[3];         /* inbox, mail, digest */

struct mail_settings {
    const char *url;        /* smtp:// or smtps:// (core/smtp.h smtp_url_ok) */
    const char *from;       /* the sender's address */
    const char *public_url; /* the links' base, e.g. https://duikou.example.gov.cn */
    int retry_seconds;      /* the first back-off; 60 by default */
};

/* The words of a mail: subject and plain-text body of n notifications of one user (n > 1: a
 * digest) in language ("zh-Hans", "zh-Hant", "en"), links from public_url. web/notification.c
 * makes them, as the inbox does. */
typedef void (*mail_compose_fn)(struct arena *a, const char *language,
                                const struct notification_view *v, size_t n,
                                const char *public_url, struct sb *subject, struct sb *body);

/* One mail handed over or given up, for a caller's log (`duikou remind --smtp`). */
struct mail_done {
    int64_t id;
    const char *login, *address, *state, *answer, *subject;
    int notifications;
};

/* At a server's start: mails left "sending" by a crash are failed (they may have arrived);
 * what is queued is due now. The number of mails failed so. */
int mail_recover(struct ctx *c, int64_t *interrupted);
/* Sends what is due now (at most MAIL_BATCH messages). *sent: how many were accepted. */
int mail_deliver(struct ctx *c, const struct mail_settings *s, mail_compose_fn compose,
                 void (*each)(void *arg, const struct mail_done *d), void *arg, int *sent);

struct mail_view {
    int64_t id, notification_id, user_id;
    const char *login, *address, *kind, *state, *answer, *created_at, *next_at, *sent_at;
    int attempts;
    bool digest;
};
/* The outbox, newest first (failed_only: the failed and the no_address ones). An admin or the
 * command line. */
int mail_list(struct ctx *c, bool failed_only, int limit, struct mail_view **out, size_t *n);

/* The caller's choice per kind (mail_kinds order): "inbox", "mail" or "digest". */
int mail_prefs(struct ctx *c, const char *out[MAIL_KINDS]);
/* Sets the caller's choice for one kind; audited. SVC_INVALID err_invalid (field "kind" or
 * "channel") for a kind or channel that is not one. */
int mail_pref_set(struct ctx *c, const char *kind, const char *channel);

#endif
