/* serve: `duikou serve`, the HTTP server in the foreground until SIGTERM or SIGINT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

static const char *usage =
    "serve [--listen HOST:PORT] [--db PATH] [--threads N] [--behind-tls]\n"
    "             [--max-connections N] [--timeout SECONDS] [--login-rate N] [--write-rate N]";

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

int cmd_serve(struct cli *c)
{
    struct http_config cfg = {0};
    const char *listen = cli_option(c, "--listen", true);
    const char *db = cli_option(c, "--db", true);
    const char *threads = cli_option(c, "--threads", true);
    const char *maxconn = cli_option(c, "--max-connections", true);
    const char *timeout = cli_option(c, "--timeout", true);
    const char *login_rate = cli_option(c, "--login-rate", true);
    const char *write_rate = cli_option(c, "--write-rate", true);
    cfg.behind_tls = cli_option(c, "--behind-tls", false) != NULL;
    if (c->argc != 0)
        return cli_usage(usage);
    long v;
    cfg.listen = listen ? listen : "127.0.0.1:8080";
    cfg.db_path = db ? db : c->db_path;
    if (threads) {
        if (!number(threads, 1, 1024, &v))
            return cli_fail("--threads: a number from 1 to 1024");
        cfg.threads = (unsigned)v;
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
            return cli_fail("--login-rate: sign-in attempts per minute and address (0: no limit)");
        cfg.login_per_minute = v ? (int)v : -1;
    }
    if (write_rate) {
        if (!number(write_rate, 0, 1000000, &v))
            return cli_fail("--write-rate: writes per second and user (0: no limit)");
        cfg.writes_per_second = v ? (int)v : -1;
    }
    return http_serve(&cfg) == 0 ? CLI_OK : CLI_FAIL;
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
