/* remind: `duikou remind [--dry-run] [--at DATE]` — the reminder pass of the inbox once
 * (service/notification.h): what is due in 7, 3 and 1 days, what is missing and how late,
 * one line per notification made (or, with --dry-run, that would be made). The server runs
 * the same pass every hour; running it twice the same day makes nothing twice. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/notification.h"
#include "service/service.h"
#include "store/db.h"

static const char usage[] = "remind [--dry-run] [--at YYYY-MM-DD]";

static void line(void *arg, const char *login, const char *kind, const char *title,
                 const char *period, int step)
{
    (void)arg;
    printf("%s\t%s\t%s\tstep %d\t%s\n", login, kind, period, step, title);
}

int cmd_remind(struct cli *c)
{
    bool dry = cli_option(c, "--dry-run", false) != NULL;
    const char *at = cli_option(c, "--at", true);
    if (c->argc != 0)
        return cli_usage(usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int64_t made = 0;
    int status = CLI_OK;
    if (notification_remind(&ctx, at, dry, line, NULL, &made) != SVC_OK)
        status = cli_svc_fail(&ctx, "remind");
    else
        fprintf(stderr, "%s%lld notification%s\n", dry ? "would make " : "made ", (long long)made,
                made == 1 ? "" : "s");
    db_close(ctx.db);
    return status;
}
