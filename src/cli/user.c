/* user: `duikou unit …`, `duikou user …` and `duikou token …`: units, accounts and API tokens
 * from the command line, which acts with every right (whoever can write the database file
 * could change it anyway). There are no default accounts: the first admin is made here.
 * Passwords are read from standard input (one line; without echo on a terminal) or, when
 * none is given, generated and printed once. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/auth.h"
#include "service/region.h"
#include "service/service.h"
#include "service/setting.h"
#include "service/two_factor.h"
#include "service/user.h"
#include "store/db.h"

static const char unit_usage[] =
    "unit add --pairing ID --side 0|1 --name NAME --kind KIND --tier TIER [--region CODE]\n"
    "       duikou unit list [--pairing ID] [--side 0|1]\n"
    "  KIND: government department city enterprise university institute association park other\n"
    "  TIER: decision coordination execution";
static const char user_usage[] =
    "user add --login LOGIN --role ROLE [--unit UNIT_ID_OR_NAME] [--name NAME]\n"
    "                 [--admin-kind KIND] [--language zh-Hans|zh-Hant|en] [--email ADDRESS]\n"
    "                 [--password-stdin]\n"
    "       duikou user list [--unit UNIT_ID_OR_NAME]\n"
    "       duikou user disable --login LOGIN | user enable --login LOGIN\n"
    "       duikou user password --login LOGIN      (the new password on standard input)\n"
    "       duikou user set-admin-kind --login LOGIN --kind KIND\n"
    "       duikou user two-factor-reset --login LOGIN   (lost phone and recovery codes)\n"
    "  ROLE: admin (no unit) leader coordinator member\n"
    "  KIND: system security audit (三员分立: an admin's one kind; required once the database\n"
    "        is under --mlps (serve --mlps; only `duikou mlps off --confirm` lowers it), and\n"
    "        then never changed: make another account)";
static const char token_usage[] = "token create --login LOGIN [--name NAME]\n"
                                  "       duikou token list [--login LOGIN]\n"
                                  "       duikou token revoke ID";


/* One line from standard input: the password. Without echo when it is a terminal. NULL on
 * end of input or a line longer than a password may be. */
static const char *read_password(struct cli *c, const char *prompt)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *buf = arena_alloc(&c->arena, AUTH_PASSWORD_MAX + 3);
    bool ok = fgets(buf, AUTH_PASSWORD_MAX + 3, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return NULL;
    size_t n = strlen(buf);
    bool whole_line = n && buf[n - 1] == '\n';
    if (!whole_line && !feof(stdin))
        return NULL; /* longer than the limit */
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = 0;
    return buf;
}

/* ---- unit ----------------------------------------------------------------------------- */

static int unit_add(struct cli *c)
{
    const char *pairing = cli_option(c, "--pairing", true), *side = cli_option(c, "--side", true);
    const char *name = cli_option(c, "--name", true), *kind = cli_option(c, "--kind", true);
    const char *tier = cli_option(c, "--tier", true), *region = cli_option(c, "--region", true);
    struct unit_input in = {0};
    if (c->argc != 1 || !pairing || !side || !name || !kind || !tier)
        return cli_usage(unit_usage);
    if (!cli_parse_id(pairing, &in.pairing_id))
        return cli_fail("--pairing '%s' is not a pairing id", pairing);
    if (strcmp(side, "0") != 0 && strcmp(side, "1") != 0)
        return cli_fail("--side is 0 (the pairing's first region) or 1 (its second)");
    in.side = side[0] - '0';
    in.name = name;
    in.kind = kind;
    in.tier = tier;
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (region) {
        region_sync(&ctx, NULL);
        in.region_id = region_id(&ctx, region);
        if (!in.region_id) {
            rc = cli_fail("--region '%s' is not a region code (see duikou region find NAME)",
                          region);
            goto done;
        }
    }
    int64_t id = 0;
    if (unit_create(&ctx, &in, &id) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "unit add");
        goto done;
    }
    struct unit_view u;
    if (unit_get(&ctx, id, &u) == SVC_OK)
        printf("unit %" PRId64 ": %s (pairing %" PRId64 " %s–%s, side %d: %s; %s, %s)\n", u.id,
               u.name, u.pairing_id, u.pairing_a, u.pairing_b, u.side,
               u.side ? u.pairing_b : u.pairing_a, u.kind, u.tier);
done:
    db_close(ctx.db);
    return rc;
}

static int unit_list_cmd(struct cli *c)
{
    const char *pairing = cli_option(c, "--pairing", true), *side = cli_option(c, "--side", true);
    int64_t pid = 0;
    int s = -1;
    if (c->argc != 1)
        return cli_usage(unit_usage);
    if (pairing && !cli_parse_id(pairing, &pid))
        return cli_fail("--pairing '%s' is not a pairing id", pairing);
    if (side) {
        if (strcmp(side, "0") != 0 && strcmp(side, "1") != 0)
            return cli_fail("--side is 0 or 1");
        s = side[0] - '0';
    }
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct unit_view *u;
    size_t n;
    int rc = CLI_OK;
    if (unit_list(&ctx, pid, s, &u, &n) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "unit list");
    } else if (n == 0) {
        printf("no units yet: duikou unit add …\n");
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%4" PRId64 "  %s  [pairing %" PRId64 " side %d: %s; %s, %s; %d account%s]\n",
                   u[i].id, u[i].name, u[i].pairing_id, u[i].side,
                   u[i].side ? u[i].pairing_b : u[i].pairing_a, u[i].kind, u[i].tier, u[i].users,
                   u[i].users == 1 ? "" : "s");
    }
    db_close(ctx.db);
    return rc;
}

int cmd_unit(struct cli *c)
{
    if (c->argc >= 1 && strcmp(c->argv[0], "add") == 0)
        return unit_add(c);
    if (c->argc >= 1 && strcmp(c->argv[0], "list") == 0)
        return unit_list_cmd(c);
    return cli_usage(unit_usage);
}

/* ---- user ----------------------------------------------------------------------------- */

/* Whether the database is under --mlps (service/setting.h: raised by a serve --mlps that
 * started, lowered only by `duikou mlps off --confirm`); the account commands apply the same
 * rules (an admin has exactly one kind, never a second: 三员分立). */
static void mlps_from_db(struct ctx *ctx)
{
    auth_policy.mlps = setting_mlps(ctx);
}

static int user_add(struct cli *c)
{
    const char *login = cli_option(c, "--login", true), *unit = cli_option(c, "--unit", true);
    const char *role = cli_option(c, "--role", true), *name = cli_option(c, "--name", true);
    const char *language = cli_option(c, "--language", true);
    const char *email = cli_option(c, "--email", true);
    const char *kind = cli_option(c, "--admin-kind", true);
    bool from_stdin = cli_option(c, "--password-stdin", false) != NULL;
    if (kind && cli_option(c, "--admin-kind", true)) /* a second one: two kinds at once */
        return cli_fail("--admin-kind: an administrator holds one kind (三员分立): system, "
                        "security or audit, not two");
    if (c->argc != 1 || !login || !role)
        return cli_usage(user_usage);
    struct user_input in = {.login = login, .name = name, .role = role, .language = language,
                            .email = email, .admin_kind = kind};
    const char *pw = NULL;
    if (from_stdin) {
        pw = read_password(c, "new password: ");
        if (!pw)
            return cli_fail("no password on standard input (one line of at most %d bytes)",
                            AUTH_PASSWORD_MAX);
    }
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    mlps_from_db(&ctx);
    if (unit && unit_find(&ctx, unit, &in.unit_id) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "--unit");
        goto done;
    }
    in.password = pw ? pw : user_generate_password(&ctx);
    int64_t id = 0;
    if (user_create(&ctx, &in, &id) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "user add");
        goto done;
    }
    struct user_view u;
    if (user_get(&ctx, id, &u) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "user add");
        goto done;
    }
    if (u.unit_id)
        printf("user %" PRId64 ": %s (%s), %s of %s (unit %" PRId64 ")\n", u.id, u.login, u.name,
               u.role, u.unit_name, u.unit_id);
    else if (u.admin_kind)
        printf("user %" PRId64 ": %s (%s), %s (%s)\n", u.id, u.login, u.name, u.role,
               u.admin_kind);
    else
        printf("user %" PRId64 ": %s (%s), %s\n", u.id, u.login, u.name, u.role);
    if (!pw)
        printf("password (shown this once; pass it on safely): %s\n", in.password);
done:
    db_close(ctx.db);
    return rc;
}

static int user_list_cmd(struct cli *c)
{
    const char *unit = cli_option(c, "--unit", true);
    if (c->argc != 1)
        return cli_usage(user_usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    int64_t unit_id = 0;
    struct user_view *u;
    size_t n;
    if (unit && unit_find(&ctx, unit, &unit_id) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "--unit");
    } else if (user_list(&ctx, unit_id, &u, &n) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "user list");
    } else if (n == 0) {
        printf("no accounts yet: duikou user add --login LOGIN --role admin\n");
    } else {
        bool mlps = setting_mlps(&ctx); /* the flag only binds under --mlps */
        for (size_t i = 0; i < n; i++)
            printf("%4" PRId64 "  %-20s %-12s %s%s%s%s\n", u[i].id, u[i].login,
                   u[i].admin_kind ? arena_printf(&c->arena, "admin:%s", u[i].admin_kind)
                                   : u[i].role,
                   u[i].unit_name ? u[i].unit_name : "(no unit)",
                   u[i].disabled ? "  [disabled]" : "",
                   u[i].locked ? "  [locked]" : "",
                   mlps && u[i].pw_must_change ? "  [password to change]" : "");
    }
    db_close(ctx.db);
    return rc;
}

/* disable, enable, password, set-admin-kind and the hidden check-login: commands on one
 * --login. */
static int user_one(struct cli *c, const char *verb)
{
    const char *login = cli_option(c, "--login", true);
    const char *kind = cli_option(c, "--kind", true);
    if (c->argc != 1 || !login)
        return cli_usage(user_usage);
    const char *pw = NULL;
    if (strcmp(verb, "password") == 0 || strcmp(verb, "check-login") == 0) {
        pw = read_password(c, "password: ");
        if (!pw)
            return cli_fail("no password on standard input (one line of at most %d bytes)",
                            AUTH_PASSWORD_MAX);
    }
    if (strcmp(verb, "set-admin-kind") == 0 && !kind)
        return cli_usage(user_usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    int64_t id = 0;
    mlps_from_db(&ctx);
    if (strcmp(verb, "check-login") == 0) {
        /* Checks a password as a sign-in would, without a server; no session is made and
         * the account's last sign-in stays (under --mlps a session would end the others). */
        struct user u;
        ctx.client = "cli";
        if (auth_check_login(&ctx, login, pw, &u) != SVC_OK)
            rc = cli_fail("sign-in refused: %s", ctx.code ? ctx.code : "failed");
        else
            printf("signed in as %s (%s): the password is right; no session was opened\n",
                   u.login, user_role_name(u.role));
        goto done;
    }
    if (user_id_by_login(&ctx, login, &id) != SVC_OK) {
        rc = cli_fail("no account has login '%s'", login);
        goto done;
    }
    if (strcmp(verb, "set-admin-kind") == 0) {
        if (user_set_admin_kind(&ctx, id, kind) != SVC_OK)
            rc = cli_svc_fail(&ctx, "user set-admin-kind");
        else
            printf("%s is the %s administrator; its sessions have ended\n", login, kind);
    } else if (strcmp(verb, "two-factor-reset") == 0) {
        if (two_factor_reset(&ctx, id) != SVC_OK)
            rc = cli_svc_fail(&ctx, "user two-factor-reset");
        else
            printf("two-factor sign-in of %s is off; it signs in with its password alone\n", login);
    } else if (strcmp(verb, "password") == 0) {
        if (auth_change_password(&ctx, id, NULL, pw) != SVC_OK)
            rc = cli_svc_fail(&ctx, "user password");
        else
            printf("password of %s changed; its sessions have ended\n", login);
    } else {
        bool disable = strcmp(verb, "disable") == 0;
        if (user_set_disabled(&ctx, id, disable) != SVC_OK)
            rc = cli_svc_fail(&ctx, verb);
        else
            printf("%s %s\n", login, disable ? "disabled; its sessions have ended" : "enabled");
    }
done:
    db_close(ctx.db);
    return rc;
}

int cmd_user(struct cli *c)
{
    const char *verb = c->argc >= 1 ? c->argv[0] : "";
    if (strcmp(verb, "add") == 0)
        return user_add(c);
    if (strcmp(verb, "list") == 0)
        return user_list_cmd(c);
    if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0 ||
        strcmp(verb, "password") == 0 || strcmp(verb, "check-login") == 0 ||
        strcmp(verb, "set-admin-kind") == 0 || strcmp(verb, "two-factor-reset") == 0)
        return user_one(c, verb);
    return cli_usage(user_usage);
}

/* ---- token ---------------------------------------------------------------------------- */

int cmd_token(struct cli *c)
{
    const char *login = cli_option(c, "--login", true), *name = cli_option(c, "--name", true);
    const char *verb = c->argc >= 1 ? c->argv[0] : "";
    bool create = strcmp(verb, "create") == 0, list = strcmp(verb, "list") == 0,
         revoke = strcmp(verb, "revoke") == 0;
    int64_t token_id = 0;
    if ((create && (c->argc != 1 || !login)) || (list && c->argc != 1) ||
        (revoke && (c->argc != 2 || !cli_parse_id(c->argv[1], &token_id))) ||
        (!create && !list && !revoke))
        return cli_usage(token_usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    int64_t user_id = 0;
    if (login && user_id_by_login(&ctx, login, &user_id) != SVC_OK) {
        rc = cli_fail("no account has login '%s'", login);
        goto done;
    }
    if (create) {
        const char *token;
        int64_t id;
        if (auth_token_issue(&ctx, user_id, name, &token, &id) != SVC_OK) {
            rc = cli_svc_fail(&ctx, "token create");
            goto done;
        }
        fprintf(stderr, "token %" PRId64 " for %s: shown this once, only its hash is kept; "
                        "send it as Authorization: Bearer TOKEN\n",
                id, login);
        printf("%s\n", token);
    } else if (list) {
        struct api_token_view *t;
        size_t n;
        if (auth_token_list(&ctx, user_id, &t, &n) != SVC_OK) {
            rc = cli_svc_fail(&ctx, "token list");
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            printf("%4" PRId64 "  %-20s %-24s created %s, last used %s%s%s\n", t[i].id,
                   t[i].login, t[i].name ? t[i].name : "-", t[i].created_at,
                   t[i].last_used_at ? t[i].last_used_at : "never",
                   t[i].revoked_at ? ", revoked " : "", t[i].revoked_at ? t[i].revoked_at : "");
        if (n == 0)
            printf("no API tokens\n");
    } else {
        if (auth_token_revoke(&ctx, token_id) != SVC_OK)
            rc = cli_svc_fail(&ctx, "token revoke");
        else
            printf("token %" PRId64 " revoked\n", token_id);
    }
done:
    db_close(ctx.db);
    return rc;
}
