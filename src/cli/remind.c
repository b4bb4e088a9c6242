/* remind: `duikou remind [--dry-run] [--at DATE] [--smtp URL --smtp-from ADDRESS]` — the
 * reminder pass of the inbox once (service/notification.h): what is due in 7, 3 and 1 days,
 * what is missing and how late, one line per notification made (or, with --dry-run, that
 * would be made); with --smtp, then the e-mail outbox delivered once, one line per message
 * (service/mail.h). The server runs the same pass every hour and delivers mail by itself;
 * running it twice the same day makes nothing twice.
 * `duikou outbox [--failed]`: the outbox, newest first, with each mail's state and the SMTP
 * server's answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/smtp.h"
#include "service/mail.h"
#include "service/notification.h"
#include "service/service.h"
#include "store/db.h"
#include "web/web.h"

static const char usage[] =
    "remind [--dry-run] [--at YYYY-MM-DD] [--smtp smtp[s]://[USER:PASSWORD@]HOST[:PORT] "
    "--smtp-from ADDRESS] [--public-url URL]";

int cli_mail_options(struct cli *c, struct mail_settings *s)
{
    memset(s, 0, sizeof *s);
    s->url = cli_option(c, "--smtp", true);
    s->from = cli_option(c, "--smtp-from", true);
    s->public_url = cli_option(c, "--public-url", true);
    const char *retry = cli_option(c, "--smtp-retry", true);
    s->retry_seconds = 60;
    if (retry) {
        char *end;
        long v = strtol(retry, &end, 10);
        if (!*retry || *end || v < 1 || v > 86400)
            return cli_fail("--smtp-retry: seconds before the first retry, 1 to 86400");
        s->retry_seconds = (int)v;
    }
    if (s->public_url && strncmp(s->public_url, "http://", 7) != 0 &&
        strncmp(s->public_url, "https://", 8) != 0)
        return cli_fail("--public-url: the address users open, http:// or https://");
    if (!s->url) {
        if (s->from)
            return cli_fail("--smtp-from needs --smtp");
        return CLI_OK;
    }
    if (!smtp_url_ok(s->url))
        return cli_fail("--smtp: an smtp:// or smtps:// URL with a host, e.g. "
                        "smtp://mail.example.org:587 (not '%s')",
                        s->url);
    if (!s->from || !smtp_address_ok(s->from))
        return cli_fail("--smtp-from: the sender's address, e.g. duikou@example.org");
    return CLI_OK;
}

static void line(void *arg, const char *login, const char *kind, const char *title,
                 const char *period, int step)
{
    (void)arg;
    printf("%s\t%s\t%s\tstep %d\t%s\n", login, kind, period, step, title);
}

static void mailed(void *arg, const struct mail_done *d)
{
    (void)arg;
    printf("mail %lld\t%s\t%s\t%s\t%s\t%s\n", (long long)d->id, d->address, d->state,
           d->answer ? d->answer : "", d->notifications > 1 ? "digest" : "", d->subject);
}

int cmd_remind(struct cli *c)
{
    bool dry = cli_option(c, "--dry-run", false) != NULL;
    const char *at = cli_option(c, "--at", true);
    struct mail_settings mail;
    int st = cli_mail_options(c, &mail);
    if (st != CLI_OK)
        return st;
    if (c->argc != 0)
        return cli_usage(usage);
    if (!mail.public_url)
        mail.public_url = "http://127.0.0.1:8080";
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int64_t made = 0;
    int status = CLI_OK;
    if (notification_remind(&ctx, at, dry, line, NULL, &made) != SVC_OK) {
        status = cli_svc_fail(&ctx, "remind");
    } else {
        fprintf(stderr, "%s%lld notification%s\n", dry ? "would make " : "made ", (long long)made,
                made == 1 ? "" : "s");
        int sent = 0;
        if (mail.url && !dry &&
            mail_deliver(&ctx, &mail, web_mail_compose, mailed, NULL, &sent) != SVC_OK)
            status = cli_svc_fail(&ctx, "mail");
        else if (mail.url && !dry)
            fprintf(stderr, "sent %d mail%s\n", sent, sent == 1 ? "" : "s");
    }
    db_close(ctx.db);
    return status;
}

int cmd_outbox(struct cli *c)
{
    bool failed = cli_option(c, "--failed", false) != NULL;
    if (c->argc != 0)
        return cli_usage("outbox [--failed]");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct mail_view *v;
    size_t n;
    int status = CLI_OK;
    if (mail_list(&ctx, failed, 1000, &v, &n) != SVC_OK) {
        status = cli_svc_fail(&ctx, "outbox");
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%lld\t%s\t%s\t%s\t%s%s\tattempts %d\t%s\t%s\n", (long long)v[i].id,
                   v[i].state, v[i].login, v[i].address ? v[i].address : "-", v[i].kind,
                   v[i].digest ? " (digest)" : "", v[i].attempts,
                   v[i].sent_at ? v[i].sent_at : v[i].created_at, v[i].answer ? v[i].answer : "");
        fprintf(stderr, "%zu mail%s\n", n, n == 1 ? "" : "s");
    }
    db_close(ctx.db);
    return status;
}
