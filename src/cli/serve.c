/* serve: `duikou serve`, the HTTP server in the foreground until SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "http/http.h"
#include "service/attachment.h"
#include "service/auth.h"
#include "service/mail.h"
#include "service/service.h"
#include "service/setting.h"
#include "store/db.h"

static const char *usage =
    "serve [--listen HOST:PORT] [--db PATH] [--threads N] [--behind-tls]\n"
    "             [--max-connections N] [--max-per-address N] [--timeout SECONDS]\n"
    "             [--login-rate N] [--write-rate N]\n"
    "             [--lock-failures N] [--lock-seconds N] [--session-idle SECONDS]\n"
    "             [--session-max SECONDS] [--password-rules strict] [--host NAME]…\n"
    "             [--mlps [--password-days N]]\n"
    "             [--trusted-proxy ADDR]…\n"
    "             [--max-upload KIB] [--allow-zip]\n"
    "             [--smtp smtp[s]://[USER:PASSWORD@]HOST[:PORT] --smtp-from ADDRESS]\n"
    "             [--smtp-retry SECONDS] [--public-url URL]";

/* A whole number in [min, max]; false otherwise. */
static bool number(const char *s, long min, long max, long *out)
{
    char *end;
    if (!s || !*s)
        return false;
    long v = strtol(s, &end, 10);
    if (*end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* The command of this serve, for record_mlps (one serve a process). */
static struct cli *serve_cli;

/* serve --mlps, once it listens: the mode recorded for the command line (service/setting.h).
 * Only a server that really started raises it, and no serve lowers it: `duikou mlps off
 * --confirm` does (cmd_mlps). */
static int record_mlps(void)
{
    struct ctx ctx;
    if (cli_open(serve_cli, &ctx) < 0)
        return -1;
    int rc = setting_put(&ctx, "mlps", "1") == SVC_OK ? 0 : -1;
    db_close(ctx.db);
    return rc;
}

int cmd_serve(struct cli *c)
{
    struct http_config cfg = {0};
    const char *listen = cli_option(c, "--listen", true);
    const char *db = cli_option(c, "--db", true);
    const char *threads = cli_option(c, "--threads", true);
    const char *maxconn = cli_option(c, "--max-connections", true);
    const char *per_address = cli_option(c, "--max-per-address", true);
    const char *timeout = cli_option(c, "--timeout", true);
    const char *login_rate = cli_option(c, "--login-rate", true);
    const char *write_rate = cli_option(c, "--write-rate", true);
    const char *lock_failures = cli_option(c, "--lock-failures", true);
    const char *lock_seconds = cli_option(c, "--lock-seconds", true);
    const char *idle = cli_option(c, "--session-idle", true);
    const char *max_age = cli_option(c, "--session-max", true);
    const char *rules = cli_option(c, "--password-rules", true);
    const char *max_upload = cli_option(c, "--max-upload", true);
    const char *password_days = cli_option(c, "--password-days", true);
    bool mlps = cli_option(c, "--mlps", false) != NULL;
    struct mail_settings mail = {0};
    int mail_rc = cli_mail_options(c, &mail);
    if (mail_rc != CLI_OK)
        return mail_rc;
    cfg.mail = mail.url ? &mail : NULL;
    cfg.allow_zip = cli_option(c, "--allow-zip", false) != NULL;
    cfg.behind_tls = cli_option(c, "--behind-tls", false) != NULL;
    for (const char *t; (t = cli_option(c, "--trusted-proxy", true));) {
        unsigned char bin[16];
        if (cfg.n_trusted_proxies == HTTP_MAX_HOSTS ||
            inet_pton(strchr(t, ':') ? AF_INET6 : AF_INET, t, bin) != 1)
            return cli_fail("--trusted-proxy: the address of a reverse proxy (IPv4 or IPv6), at "
                            "most %d",
                            HTTP_MAX_HOSTS);
        cfg.trusted_proxies[cfg.n_trusted_proxies++] = t;
    }
    for (const char *h; (h = cli_option(c, "--host", true));) {
        if (cfg.n_hosts == HTTP_MAX_HOSTS || !*h || strpbrk(h, "/ []"))
            return cli_fail("--host: a host name or address (IPv6 without brackets), at most %d",
                            HTTP_MAX_HOSTS);
        cfg.hosts[cfg.n_hosts++] = h;
    }
    if (c->argc != 0)
        return cli_usage(usage);
    long v;
    cfg.listen = listen ? listen : "127.0.0.1:8080";
    cfg.db_path = db ? db : c->db_path;
    c->db_path = cfg.db_path;
    /* the audit key and anchors (cli_audit_setup), and the refusal of a keyed log without
     * its key, before a single request; and the mode the database is in */
    struct ctx audit_ctx;
    if (cli_open(c, &audit_ctx) < 0)
        return CLI_FAIL;
    bool recorded = setting_mlps(&audit_ctx);
    db_close(audit_ctx.db);
    if (recorded && !mlps) { /* never lowered by a serve that forgot the switch */
        fprintf(stderr, "serve: this database is under --mlps (等级保护 level 3), so this server "
                        "runs with it; `duikou mlps off --confirm` lowers it\n");
        mlps = true;
    }
    if (threads) {
        if (!number(threads, 1, 1024, &v))
            return cli_fail("--threads: a number from 1 to 1024");
        cfg.threads = (unsigned)v;
    }
    if (max_upload) { /* one attachment, in KiB (20480 = 20 MiB by default) */
        if (!number(max_upload, 1, 1024 * 1024, &v))
            return cli_fail("--max-upload: KiB from 1 to 1048576");
        cfg.max_upload = (size_t)v * 1024;
    }
    attachment_policy.max_bytes = cfg.max_upload;
    attachment_policy.allow_zip = cfg.allow_zip;
    if (per_address) { /* 0: no limit (behind a reverse proxy, every client is one address) */
        if (!number(per_address, 0, 1000000, &v))
            return cli_fail("--max-per-address: a number from 0 (no limit) to 1000000");
        cfg.max_per_address = v == 0 ? -1 : (int)v;
    }
    if (maxconn) {
        if (!number(maxconn, 1, 1000000, &v))
            return cli_fail("--max-connections: a number from 1 to 1000000");
        cfg.max_connections = (unsigned)v;
    }
    if (timeout) {
        if (!number(timeout, 1, 86400, &v))
            return cli_fail("--timeout: seconds, from 1 to 86400");
        cfg.connection_timeout = (unsigned)v;
    }
    /* 0 turns a limit off (for load tests); http_config spells that as negative. */
    if (login_rate) {
        if (!number(login_rate, 0, 1000000, &v))
            return cli_fail("--login-rate: sign-in attempts per minute, address and account (0: no limit)");
        cfg.login_per_minute = v ? (int)v : -1;
    }
    if (write_rate) {
        if (!number(write_rate, 0, 1000000, &v))
            return cli_fail("--write-rate: writes per second and user (0: no limit)");
        cfg.writes_per_second = v ? (int)v : -1;
    }
    /* The sign-in and session policy (service/auth.h), set once before any thread starts. */
    struct auth_policy policy = auth_policy;
    if (mlps) { /* 等级保护 level 3: strict by default; the options below may still set them */
        policy.mlps = true;
        policy.composition = true;
        policy.idle_seconds = 600;
    }
    if (password_days) {
        if (!mlps || !number(password_days, 0, 3650, &v))
            return cli_fail("--password-days: with --mlps, days before a password must be "
                            "changed, 0 (never) to 3650");
        policy.password_max_days = (int)v;
    }
    if (lock_failures) {
        if (!number(lock_failures, 0, 1000, &v))
            return cli_fail("--lock-failures: failed sign-ins before a lock, 0 to 1000 (0: never)");
        policy.max_failures = (int)v;
    }
    if (lock_seconds) {
        if (!number(lock_seconds, 1, 7 * 86400, &v))
            return cli_fail("--lock-seconds: how long a lock lasts, 1 to 604800 seconds");
        policy.lock_seconds = (int)v;
    }
    if (idle) {
        if (!number(idle, 1, 30 * 86400, &v))
            return cli_fail("--session-idle: seconds without use before a session ends, "
                            "1 to 2592000");
        /* level 3 asks for at most 10 minutes: --mlps may shorten it, never lengthen it */
        if (mlps && v > 600)
            return cli_fail("--session-idle: with --mlps at most 600 seconds (10 minutes)");
        policy.idle_seconds = (int)v;
    }
    if (max_age) {
        if (!number(max_age, 1, 365 * 86400, &v))
            return cli_fail("--session-max: seconds after sign-in when a session ends anyway, "
                            "1 to 31536000");
        policy.absolute_seconds = (int)v;
    }
    if (rules) {
        if (strcmp(rules, "strict") != 0 && strcmp(rules, "default") != 0)
            return cli_fail("--password-rules: strict (upper, lower, digit and symbol, as "
                            "等级保护 asks) or default");
        policy.composition = strcmp(rules, "strict") == 0;
    }
    auth_policy = policy;
    /* Diagnostics: the statements the server prepares, for tests/explain (EXPLAIN QUERY PLAN). */
    const char *sql_log = getenv("DUIKOU_SQL_LOG");
    if (sql_log && *sql_log && db_log_statements(sql_log) < 0) {
        fprintf(stderr, "serve: DUIKOU_SQL_LOG %s: cannot open it\n", sql_log);
        return 1;
    }
    /* recorded for the account commands (三员分立) once the server listens, if not yet */
    serve_cli = c;
    if (policy.mlps && !recorded)
        cfg.on_listening = record_mlps;
    int rc = http_serve(&cfg);
    api_plan_cache_clear();
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

/* `duikou routes`: the routing table as text, one route a line (method, pattern, least role,
 * summary): for people, and for the test that checks the OpenAPI document covers it. */
int cmd_routes(struct cli *c)
{
    static const char *roles[] = {"public", "member", "coordinator", "leader", "admin"};
    if (c->argc != 0)
        return cli_usage("routes");
    for (size_t i = 0; i < http_n_routes; i++)
        printf("%-6s %-44s %-11s %s\n", http_routes[i].method, http_routes[i].pattern,
               roles[http_routes[i].least], http_routes[i].summary);
    return CLI_OK;
}

/* `duikou mlps [status]` says whether the database is under --mlps (service/setting.h);
 * `duikou mlps off --confirm` lowers it, audited (setting.update): the account commands then
 * accept an admin of no kind and a change of kind, and the next serve without --mlps runs
 * without it. A server running now keeps its mode until it stops. */
int cmd_mlps(struct cli *c)
{
    static const char usage_mlps[] = "mlps [status] | mlps off --confirm";
    bool confirm = cli_option(c, "--confirm", false) != NULL;
    const char *verb = c->argc > 0 ? c->argv[0] : "status";
    if (c->argc > 1 || (strcmp(verb, "status") != 0 && strcmp(verb, "off") != 0) ||
        (confirm && strcmp(verb, "off") != 0))
        return cli_usage(usage_mlps);
    if (strcmp(verb, "off") == 0 && !confirm)
        return cli_fail("mlps off: lowers 等级保护 level 3 (三员分立 and the sign-in policies) "
                        "for this database; say --confirm");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    bool on = setting_mlps(&ctx);
    if (strcmp(verb, "status") == 0)
        printf("%s\n", on ? "mlps on: servers run with --mlps; an admin has exactly one kind"
                          : "mlps off");
    else if (!on)
        printf("mlps was off; nothing changed\n");
    else if (setting_put(&ctx, "mlps", "0") != SVC_OK)
        rc = cli_svc_fail(&ctx, "mlps off");
    else
        printf("mlps off: restart the server; the next serve without --mlps runs without it\n");
    db_close(ctx.db);
    return rc;
}
