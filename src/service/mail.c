/* mail: the outbox and each user's choices (see mail.h). */
#include "service/mail.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/smtp.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/notification.h"
#include "service/perm.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

const char *const mail_kinds[MAIL_KINDS] = {"report_due",      "report_missing",
                                            "report_urged",    "report_returned",
                                            "plan_submitted",  "review_waiting",
                                            "plan_reopened",   "project_stage",
                                            "evaluation_step", "event_registration"};
const char *const mail_channels[3] = {"inbox", "mail", "digest"};

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "mail", what);
}

static const char *at_ms(struct ctx *c, int64_t ms)
{
    char *s = arena_alloc(c->arena, 25);
    clock_format(ms, s);
    return s;
}

int mail_recover(struct ctx *c, int64_t *interrupted)
{
    *interrupted = 0;
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the outbox's recovery");
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE mail SET state = 'failed', answer = :why WHERE state = 'sending'");
    db_bind_text(&st, ":why", "interrupted while being sent (it may have arrived): not sent again");
    int rc = db_step(&st);
    db_finalize(&st);
    *interrupted = rc >= 0 ? db_changes(c->db) : 0;
    if (rc >= 0) {
        db_prepare(c->db, &st,
                   "UPDATE mail SET next_at = :now WHERE state = 'queued' AND next_at > :now");
        db_bind_text(&st, ":now", svc_now(c));
        rc = db_step(&st);
        db_finalize(&st);
    }
    if (rc < 0 || db_commit(c->db) < 0) {
        db_rollback(c->db);
        return store_failed(c, "recovering the outbox");
    }
    return SVC_OK;
}

/* One message to send: the mails it covers (one, or a user's digest). */
struct batch {
    int64_t user_id;
    const char *login, *address, *language;
    bool digest;
    struct {
        int64_t id, notification;
    } *m;
    int attempts; /* the most of its mails' */
    size_t n, cap;
};

/* Marks the batch's mails sending, in a transaction of their own: false when another process
 * took one of them first (then nothing is marked). */
static int claim(struct ctx *c, const struct batch *b, bool *ok)
{
    *ok = false;
    if (db_begin(c->db) < 0)
        return -1;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE mail SET state = 'sending', attempts = attempts + 1 "
               "WHERE id = :id AND state = 'queued'");
    int rc = 0;
    size_t took = 0;
    for (size_t i = 0; i < b->n && rc >= 0; i++) {
        db_reset(&st);
        db_bind_int64(&st, ":id", b->m[i].id);
        if ((rc = db_step(&st)) >= 0)
            took += (size_t)db_changes(c->db);
    }
    db_finalize(&st);
    if (rc < 0 || took != b->n) {
        db_rollback(c->db);
        return rc < 0 ? rc : 0;
    }
    if (db_commit(c->db) < 0) {
        db_rollback(c->db);
        return -1;
    }
    *ok = true;
    return 0;
}

static int settle(struct ctx *c, const struct batch *b, const char *state, const char *next_at,
                  const char *answer)
{
    if (db_begin(c->db) < 0)
        return -1;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE mail SET state = :state, answer = :answer, next_at = :next, "
               "sent_at = CASE WHEN :state = 'sent' THEN :now END WHERE id = :id");
    int rc = 0;
    const char *now = svc_now(c);
    for (size_t i = 0; i < b->n && rc >= 0; i++) {
        db_reset(&st);
        db_bind_text(&st, ":state", state);
        db_bind_text(&st, ":answer", answer);
        db_bind_text(&st, ":next", next_at);
        db_bind_text(&st, ":now", now);
        db_bind_int64(&st, ":id", b->m[i].id);
        rc = db_step(&st);
    }
    db_finalize(&st);
    if (rc < 0 || db_commit(c->db) < 0) {
        db_rollback(c->db);
        return -1;
    }
    return 0;
}

/* "duikou.12.20261207T120000@example.org": the same for every attempt of one message. */
static const char *message_id(struct ctx *c, const struct batch *b, const char *from)
{
    const char *domain = strchr(from, '@');
    struct sb id = SB_INIT;
    sb_appendf(&id, "duikou.%lld.%lld.%d%s", (long long)b->m[0].id, (long long)b->user_id,
               (int)b->n, domain ? domain : "@duikou.invalid");
    const char *out = arena_strdup(c->arena, sb_str(&id));
    sb_free(&id);
    return out;
}

static int send_batch(struct ctx *c, const struct mail_settings *s, mail_compose_fn compose,
                      struct batch *b, void (*each)(void *, const struct mail_done *), void *arg,
                      int *sent)
{
    bool ok;
    if (claim(c, b, &ok) < 0)
        return store_failed(c, "claiming a mail");
    if (!ok)
        return SVC_OK; /* another process sends it */
    struct notification_view *v = arena_alloc(c->arena, b->n * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        int rc = notification_of(c, b->user_id, b->m[i].notification, &v[n]);
        if (rc == SVC_OK)
            n++;
        else if (rc != SVC_NOT_FOUND)
            return rc;
    }
    struct sb subject = SB_INIT, body = SB_INIT, msg = SB_INIT;
    compose(c->arena, b->language, v, n, s->public_url, &subject, &body);
    int64_t now = clock_now_ms();
    struct smtp_mail m = {.from = s->from, .to = b->address, .subject = sb_str(&subject),
                          .body = sb_str(&body), .message_id = message_id(c, b, s->from),
                          .date_ms = now};
    smtp_compose(&msg, &m);
    char answer[512];
    enum smtp_result r = smtp_send(s->url, s->from, b->address, sb_str(&msg), msg.len, answer,
                                   sizeof answer);
    const char *state = "sent", *next = at_ms(c, now);
    if (r == SMTP_RETRY && b->attempts + 1 < MAIL_MAX_ATTEMPTS) {
        int64_t wait = (int64_t)(s->retry_seconds > 0 ? s->retry_seconds : 60) * 1000;
        for (int k = 0; k < b->attempts && wait < 6 * 3600 * 1000LL; k++)
            wait *= 2;
        if (wait > 6 * 3600 * 1000LL)
            wait = 6 * 3600 * 1000LL;
        state = "queued";
        next = at_ms(c, now + wait);
    } else if (r != SMTP_SENT) {
        state = "failed";
    }
    int rc = settle(c, b, state, next, answer) < 0 ? store_failed(c, "noting a mail") : SVC_OK;
    if (r == SMTP_SENT)
        ++*sent;
    if (each) {
        struct mail_done d = {.id = b->m[0].id, .login = b->login, .address = b->address,
                              .state = state, .answer = arena_strdup(c->arena, answer),
                              .subject = arena_strdup(c->arena, sb_str(&subject)),
                              .notifications = (int)b->n};
        each(arg, &d);
    }
    sb_free(&subject);
    sb_free(&body);
    sb_free(&msg);
    return rc;
}

int mail_deliver(struct ctx *c, const struct mail_settings *s, mail_compose_fn compose,
                 void (*each)(void *arg, const struct mail_done *d), void *arg, int *sent)
{
    *sent = 0;
    if (!s->url || !smtp_url_ok(s->url) || !s->from || !smtp_address_ok(s->from))
        return svc_fail(c, SVC_INVALID, "err_invalid", "smtp",
                        "an smtp:// or smtps:// URL and a sender's address are needed");
    /* A digest is due from the day after its notification, in China. */
    char today[11], soon[11];
    light_today(today, soon);
    int64_t day = 0;
    clock_parse_date(today, &day, NULL);
    const char *midnight = at_ms(c, day * 86400000LL - 8 * 3600000LL);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT m.id, m.notification_id, m.user_id, u.login, m.address, u.language, "
               "m.digest, m.attempts FROM mail m JOIN users u ON u.id = m.user_id "
               "WHERE m.state = 'queued' AND m.next_at <= :now "
               "AND (m.digest = 0 OR m.created_at < :midnight) "
               "ORDER BY m.digest, m.user_id, m.id LIMIT :limit");
    db_bind_text(&st, ":now", svc_now(c));
    db_bind_text(&st, ":midnight", midnight);
    db_bind_int64(&st, ":limit", MAIL_BATCH * 4);
    struct batch *bs = NULL;
    size_t nb = 0, cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        int64_t user = db_col_int64(&st, 2);
        bool digest = db_col_int64(&st, 6) != 0;
        struct batch *b = nb ? &bs[nb - 1] : NULL;
        if (!b || !digest || !b->digest || b->user_id != user) {
            if (nb == MAIL_BATCH)
                break;
            b = ARRAY_PUSH(c->arena, bs, nb, cap);
            memset(b, 0, sizeof *b);
            b->user_id = user;
            b->login = svc_col(c, &st, 3);
            b->address = svc_col(c, &st, 4);
            b->language = svc_col(c, &st, 5);
            b->digest = digest;
        }
        ARRAY_PUSH(c->arena, b->m, b->n, b->cap);
        b->m[b->n - 1].id = db_col_int64(&st, 0);
        b->m[b->n - 1].notification = db_col_int64(&st, 1);
        int attempts = (int)db_col_int64(&st, 7);
        if (attempts > b->attempts)
            b->attempts = attempts;
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the outbox");
    for (size_t i = 0; i < nb; i++)
        if ((rc = send_batch(c, s, compose, &bs[i], each, arg, sent)) != SVC_OK)
            return rc;
    return SVC_OK;
}

int mail_list(struct ctx *c, bool failed_only, int limit, struct mail_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = perm_is_admin(c);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT m.id, m.notification_id, m.user_id, u.login, m.address, n.kind, m.state, "
               "m.answer, m.created_at, m.next_at, m.sent_at, m.attempts, m.digest "
               "FROM mail m JOIN users u ON u.id = m.user_id "
               "JOIN notification n ON n.id = m.notification_id "
               "WHERE :all = 1 OR m.state IN ('failed', 'no_address') "
               "ORDER BY m.id DESC LIMIT :limit");
    db_bind_int64(&st, ":all", failed_only ? 0 : 1);
    db_bind_int64(&st, ":limit", limit > 0 ? limit : 100);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct mail_view *v = ARRAY_PUSH(c->arena, *out, *n, cap);
        v->id = db_col_int64(&st, 0);
        v->notification_id = db_col_int64(&st, 1);
        v->user_id = db_col_int64(&st, 2);
        v->login = svc_col(c, &st, 3);
        v->address = db_col_is_null(&st, 4) ? NULL : svc_col(c, &st, 4);
        v->kind = svc_col(c, &st, 5);
        v->state = svc_col(c, &st, 6);
        v->answer = db_col_is_null(&st, 7) ? NULL : svc_col(c, &st, 7);
        v->created_at = svc_col(c, &st, 8);
        v->next_at = svc_col(c, &st, 9);
        v->sent_at = db_col_is_null(&st, 10) ? NULL : svc_col(c, &st, 10);
        v->attempts = (int)db_col_int64(&st, 11);
        v->digest = db_col_int64(&st, 12) != 0;
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the outbox") : SVC_OK;
}

static int index_of(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(list[i], s) == 0)
            return (int)i;
    return -1;
}

int mail_prefs(struct ctx *c, const char *out[MAIL_KINDS])
{
    for (int i = 0; i < MAIL_KINDS; i++)
        out[i] = "mail";
    if (!c->user || c->user->id <= 0)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "choices belong to a user");
    struct stmt st;
    db_prepare(c->db, &st, "SELECT kind, channel FROM notification_pref WHERE user_id = :u");
    db_bind_int64(&st, ":u", c->user->id);
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        int k = index_of(mail_kinds, MAIL_KINDS, db_col_text(&st, 0));
        int ch = index_of(mail_channels, 3, db_col_text(&st, 1));
        if (k >= 0 && ch >= 0)
            out[k] = mail_channels[ch];
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the choices") : SVC_OK;
}

int mail_pref_set(struct ctx *c, const char *kind, const char *channel)
{
    if (!c->user || c->user->id <= 0)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "choices belong to a user");
    int k = index_of(mail_kinds, MAIL_KINDS, kind);
    if (k < 0)
        return svc_fail(c, SVC_INVALID, "err_invalid", "kind", "no such kind: %s",
                        kind ? kind : "");
    int ch = index_of(mail_channels, 3, channel);
    if (ch < 0)
        return svc_fail(c, SVC_INVALID, "err_invalid", "channel",
                        "the channel is inbox, mail or digest");
    const char *before[MAIL_KINDS];
    int rc = mail_prefs(c, before);
    if (rc != SVC_OK)
        return rc;
    if (strcmp(before[k], mail_channels[ch]) == 0)
        return SVC_OK; /* nothing changes */
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the choice");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO notification_pref (user_id, kind, channel) VALUES (:u, :k, :ch) "
               "ON CONFLICT (user_id, kind) DO UPDATE SET channel = :ch");
    db_bind_int64(&st, ":u", c->user->id);
    db_bind_text(&st, ":k", mail_kinds[k]);
    db_bind_text(&st, ":ch", mail_channels[ch]);
    rc = db_step(&st);
    db_finalize(&st);
    struct svc_json jb, ja;
    struct jw *w = svc_json_begin(&jb);
    jw_kstr(w, mail_kinds[k], before[k]);
    const char *b = svc_json_end(c, &jb);
    w = svc_json_begin(&ja);
    jw_kstr(w, mail_kinds[k], mail_channels[ch]);
    if (rc < 0 ||
        audit_append(c->db, c->actor, "notification.pref", "users", c->user->id, b,
                     svc_json_end(c, &ja), c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return store_failed(c, "storing the choice");
    }
    return SVC_OK;
}
