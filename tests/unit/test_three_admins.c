/* test_three_admins: 三员分立 under --mlps (service/perm.h). Each kind of administrator may
 * call its own routes only; the security administrator only disables and enables accounts,
 * the system administrator everything else but that; administrator accounts are made and
 * changed on the command line, each with exactly one kind, never a second; the audit log is
 * the audit administrator's, and no one else reads the rows an administrator wrote. Without
 * --mlps an admin of any kind (or none) does everything, as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"
#include "service/audit_log.h"
#include "service/auth.h"
#include "service/perm.h"
#include "service/service.h"
#include "service/setting.h"
#include "service/user.h"
#include "store/db.h"

#include "test_util.h"

#define PW "Correct-horse-battery-9"

struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
    struct arena arena;
    struct ctx ctx;
    struct user acting;
    int64_t p_lj, u_ln, u_sy;
    int64_t sys, sec, aud, none, ln_leader, sy_member;
};

static struct ctx *cli(struct fixture *f)
{
    f->ctx = (struct ctx){.db = f->db, .arena = &f->arena, .actor = "cli:test"};
    return &f->ctx;
}

static struct ctx *as(struct fixture *f, int64_t id)
{
    assert_int_equal(user_load(cli(f), id, &f->acting), SVC_OK);
    f->ctx.user = &f->acting;
    f->ctx.actor = arena_printf(&f->arena, "user:%s", f->acting.login);
    f->ctx.client = "192.0.2.1";
    return &f->ctx;
}

static int64_t account(struct fixture *f, const char *login, const char *role, int64_t unit_id,
                       const char *kind)
{
    struct user_input in = {.login = login, .role = role, .unit_id = unit_id, .password = PW,
                            .admin_kind = kind};
    int64_t id = 0;
    if (user_create(cli(f), &in, &id) != SVC_OK)
        fail_msg("user %s: %s", login, f->ctx.error);
    return id;
}

static void expect(struct fixture *f, int rc, int want, const char *code)
{
    if (rc != want)
        fail_msg("expected %d (%s), got %d (%s: %s)", want, code ? code : "ok", rc,
                 f->ctx.code ? f->ctx.code : "-", f->ctx.error ? f->ctx.error : "-");
    if (want != SVC_OK)
        assert_string_equal(f->ctx.code, code);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "three_admins", "test.db", &f->db) != 0)
        return -1;
    arena_init(&f->arena);
    auth_policy.mlps = false; /* the accounts as a deployment had them before --mlps */
    f->p_lj = tu_insert_pairing(f->db, 0, "辽宁省", "江苏省");
    struct unit_input u = {.pairing_id = f->p_lj, .side = 0,
                           .name = "辽宁省发展和改革委员会",
                           .kind = "department", .tier = "coordination"};
    assert_int_equal(unit_create(cli(f), &u, &f->u_ln), SVC_OK);
    u.name = "沈阳市人民政府";
    u.tier = "execution";
    assert_int_equal(unit_create(cli(f), &u, &f->u_sy), SVC_OK);
    f->sys = account(f, "sys.admin", "admin", 0, "system");
    f->sec = account(f, "sec.admin", "admin", 0, "security");
    f->aud = account(f, "aud.admin", "admin", 0, "audit");
    f->none = account(f, "old.admin", "admin", 0, NULL);
    f->ln_leader = account(f, "ln.leader", "leader", f->u_ln, NULL);
    f->sy_member = account(f, "sy.member", "member", f->u_sy, NULL);
    auth_policy.mlps = true;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    auth_policy.mlps = false;
    arena_free(&f->arena);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

/* Which routes each kind may call (the router asks perm_admin_route). */
static void test_routes(void **state)
{
    struct fixture *f = *state;
    enum { OWN = PERM_ROUTE_OWN, SEC = PERM_ROUTE_SECURITY, AUD = PERM_ROUTE_AUDIT };
    const struct {
        int64_t *who;
        unsigned areas;
        int want;
    } cases[] = {
        {&f->sys, 0, SVC_OK},           {&f->sys, SEC, SVC_OK},
        {&f->sys, AUD, SVC_FORBIDDEN},  {&f->sys, OWN, SVC_OK},
        {&f->sec, 0, SVC_FORBIDDEN},    {&f->sec, SEC, SVC_OK},
        {&f->sec, AUD, SVC_FORBIDDEN},  {&f->sec, OWN, SVC_OK},
        {&f->aud, 0, SVC_FORBIDDEN},    {&f->aud, SEC, SVC_FORBIDDEN},
        {&f->aud, AUD, SVC_OK},         {&f->aud, OWN, SVC_OK},
        {&f->none, 0, SVC_FORBIDDEN},   {&f->none, OWN, SVC_OK},
        {&f->ln_leader, 0, SVC_OK},     {&f->ln_leader, AUD, SVC_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = perm_admin_route(as(f, *cases[i].who), cases[i].areas);
        if (rc != cases[i].want)
            fail_msg("case %zu (%s, areas %u): %d", i, f->acting.login, cases[i].areas, rc);
        if (rc != SVC_OK)
            assert_string_equal(f->ctx.code, *cases[i].who == f->none ? "err_admin_kind_missing"
                                                                       : "err_admin_kind");
    }
    /* the scope checks every service makes: only the system administrator is "the admin" */
    expect(f, perm_read_pairing(as(f, f->sys), f->p_lj), SVC_OK, NULL);
    expect(f, perm_read_pairing(as(f, f->sec), f->p_lj), SVC_FORBIDDEN, "err_forbidden");
    expect(f, perm_read_pairing(as(f, f->aud), f->p_lj), SVC_FORBIDDEN, "err_forbidden");
    expect(f, perm_manage_unit(as(f, f->aud), f->u_sy), SVC_FORBIDDEN, "err_forbidden");
    /* without --mlps every admin is all three, whatever its kind */
    auth_policy.mlps = false;
    expect(f, perm_admin_route(as(f, f->aud), 0), SVC_OK, NULL);
    expect(f, perm_admin_route(as(f, f->none), AUD), SVC_OK, NULL);
    expect(f, perm_read_pairing(as(f, f->sec), f->p_lj), SVC_OK, NULL);
    auth_policy.mlps = true;
}

/* Administrator accounts: exactly one kind, made on the command line, never a second. */
static void test_accounts(void **state)
{
    struct fixture *f = *state;
    struct user_input in = {.login = "new.admin", .role = "admin", .password = PW};
    expect(f, user_create(cli(f), &in, NULL), SVC_INVALID, "err_admin_kind_required");
    in.admin_kind = "system,audit";
    expect(f, user_create(cli(f), &in, NULL), SVC_INVALID, "err_admin_kind_value");
    in.admin_kind = "audit";
    expect(f, user_create(as(f, f->sys), &in, NULL), SVC_FORBIDDEN, "err_admin_cli");
    struct user_input member = {.login = "new.member", .role = "member", .unit_id = f->u_sy,
                                .password = PW, .admin_kind = "audit"};
    expect(f, user_create(cli(f), &member, NULL), SVC_INVALID, "err_admin_kind_role");
    int64_t id = 0;
    expect(f, user_create(cli(f), &in, &id), SVC_OK, NULL);
    expect(f, user_set_admin_kind(cli(f), id, "security"), SVC_CONFLICT, "err_admin_kind_second");
    expect(f, user_set_admin_kind(cli(f), id, "audit"), SVC_OK, NULL); /* the same: no change */
    expect(f, user_set_admin_kind(cli(f), f->sy_member, "audit"), SVC_INVALID,
           "err_admin_kind_role");
    /* one of no kind may not sign in until it has one; then it can */
    expect(f, user_may_sign_in(cli(f), f->none), SVC_FORBIDDEN, "err_admin_kind_missing");
    assert_non_null(strstr(f->ctx.error, "set-admin-kind"));
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.login_refused'", NULL), 1);
    expect(f, user_set_admin_kind(as(f, f->sys), f->none, "audit"), SVC_FORBIDDEN,
           "err_admin_cli");
    int64_t n0 = tu_count(f->db, "SELECT count(*) FROM audit WHERE action = 'user.admin_kind'",
                          NULL);
    expect(f, user_set_admin_kind(cli(f), f->none, "security"), SVC_OK, NULL);
    expect(f, user_may_sign_in(cli(f), f->none), SVC_OK, NULL);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'user.admin_kind'", NULL), n0 + 1);
    /* without --mlps a kind may change, and none is needed */
    auth_policy.mlps = false;
    expect(f, user_set_admin_kind(cli(f), id, "system"), SVC_OK, NULL);
    struct user_input plain = {.login = "plain.admin", .role = "admin", .password = PW};
    expect(f, user_create(cli(f), &plain, NULL), SVC_OK, NULL);
    auth_policy.mlps = true;
}

/* The security administrator disables and enables; the system administrator the rest. */
static void test_account_duties(void **state)
{
    struct fixture *f = *state;
    struct user_input off = {.disable = 1};
    expect(f, user_update(as(f, f->sys), f->sy_member, &off), SVC_FORBIDDEN, "err_admin_kind");
    expect(f, user_update(as(f, f->sec), f->sy_member, &off), SVC_OK, NULL);
    struct user_view v;
    assert_int_equal(user_get(as(f, f->sec), f->sy_member, &v), SVC_OK);
    assert_true(v.disabled);
    struct user_input on = {.disable = -1};
    expect(f, user_update(as(f, f->sec), f->sy_member, &on), SVC_OK, NULL);
    struct user_input rename = {.name = "沈阳联络员"};
    expect(f, user_update(as(f, f->sec), f->sy_member, &rename), SVC_FORBIDDEN, "err_admin_kind");
    expect(f, user_update(as(f, f->sys), f->sy_member, &rename), SVC_OK, NULL);
    /* administrator accounts are the command line's, for either */
    expect(f, user_update(as(f, f->sec), f->aud, &off), SVC_FORBIDDEN, "err_admin_cli");
    expect(f, user_update(as(f, f->sys), f->aud, &rename), SVC_FORBIDDEN, "err_admin_cli");
    struct user_input promote = {.role = "admin"};
    expect(f, user_update(as(f, f->sys), f->sy_member, &promote), SVC_FORBIDDEN, "err_admin_cli");
    /* but each still names itself */
    struct user_input me = {.name = "审计员"};
    expect(f, user_update(as(f, f->aud), f->aud, &me), SVC_OK, NULL);
    /* the audit administrator reads no accounts */
    struct user_view *list;
    size_t n;
    expect(f, user_list(as(f, f->aud), 0, &list, &n), SVC_FORBIDDEN, "err_forbidden");
    expect(f, user_list(as(f, f->sec), 0, &list, &n), SVC_OK, NULL);
}

/* Does the page hold a row written by actor? */
static bool has_actor(const struct audit_entry *e, size_t n, const char *actor)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].actor, actor) == 0)
            return true;
    return false;
}

/* The audit log: every row for the audit administrator, none for the other two, and the
 * rows administrators wrote hidden from a leader. */
static void test_audit_log(void **state)
{
    struct fixture *f = *state;
    struct user_input rename = {.name = "沈阳市联络员"};
    expect(f, user_update(as(f, f->sys), f->sy_member, &rename), SVC_OK, NULL);
    struct user_input self = {.name = "沈阳市联络员甲"};
    expect(f, user_update(as(f, f->sy_member), f->sy_member, &self), SVC_OK, NULL);
    struct audit_filter all = {.limit = AUDIT_LIST_MAX};
    struct audit_entry *e;
    size_t n;
    int64_t next;
    expect(f, audit_log_list(as(f, f->sys), &all, &e, &n, &next), SVC_FORBIDDEN, "err_forbidden");
    expect(f, audit_log_list(as(f, f->sec), &all, &e, &n, &next), SVC_FORBIDDEN, "err_forbidden");
    expect(f, audit_log_list(as(f, f->aud), &all, &e, &n, &next), SVC_OK, NULL);
    assert_true(has_actor(e, n, "user:sys.admin"));
    assert_true(has_actor(e, n, "cli:test"));
    assert_true(has_actor(e, n, "user:sy.member"));
    assert_non_null(e[0].client); /* the audit administrator sees addresses too */
    expect(f, audit_log_list(as(f, f->ln_leader), &all, &e, &n, &next), SVC_OK, NULL);
    assert_true(has_actor(e, n, "user:sy.member"));
    assert_false(has_actor(e, n, "user:sys.admin"));
    assert_false(has_actor(e, n, "cli:test"));
    /* without --mlps the leader sees them, and any admin reads the log */
    auth_policy.mlps = false;
    expect(f, audit_log_list(as(f, f->ln_leader), &all, &e, &n, &next), SVC_OK, NULL);
    assert_true(has_actor(e, n, "user:sys.admin"));
    expect(f, audit_log_list(as(f, f->sec), &all, &e, &n, &next), SVC_OK, NULL);
    auth_policy.mlps = true;
}

/* Whether an audit row was an administrator's is decided as it is written: an admin moved to
 * another role keeps its rows hidden from a leader and loses its kind; its rows after the
 * change are a coordinator's. A kind is an admin's alone, whoever writes the table. */
static void test_demoted_admin(void **state)
{
    struct fixture *f = *state;
    int64_t ex = account(f, "ex.admin", "admin", 0, "system");
    struct user_input rename = {.name = "沈阳市联络员乙"};
    expect(f, user_update(as(f, ex), f->sy_member, &rename), SVC_OK, NULL);
    struct user_input demote = {.role = "coordinator", .unit_id = f->u_ln};
    expect(f, user_update(cli(f), ex, &demote), SVC_OK, NULL);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM users WHERE login = 'ex.admin' AND "
                                     "role = 'coordinator' AND admin_kind IS NULL", NULL), 1);
    struct user_input self = {.name = "前系统管理员"};
    expect(f, user_update(as(f, ex), ex, &self), SVC_OK, NULL);
    struct audit_filter mine = {.actor = "ex.admin", .limit = AUDIT_LIST_MAX};
    struct audit_entry *e;
    size_t n;
    int64_t next;
    expect(f, audit_log_list(as(f, f->ln_leader), &mine, &e, &n, &next), SVC_OK, NULL);
    assert_int_equal(n, 1); /* the rename of itself, not the one it made as an admin */
    assert_int_equal(e[0].entity_id, ex);
    expect(f, audit_log_list(as(f, f->aud), &mine, &e, &n, &next), SVC_OK, NULL);
    assert_int_equal(n, 2);
    /* the CHECK of migration 24 */
    assert_int_not_equal(db_exec(f->db, "UPDATE users SET admin_kind = 'audit' WHERE login = "
                                        "'sy.member'"), 0);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM users WHERE admin_kind IS NOT NULL "
                                     "AND role <> 'admin'", NULL), 0);
}

/* A store failure while checking an admin's kind at sign-in is a failure (500), not a
 * refusal (403). */
static void test_sign_in_store_failure(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TEMP TRIGGER fail_refusal BEFORE INSERT ON audit "
                                    "WHEN NEW.action = 'auth.login_refused' "
                                    "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"), 0);
    struct user u;
    struct ctx *c = cli(f);
    c->client = "cli";
    expect(f, auth_check_login(c, "old.admin", PW, &u), SVC_ERROR, "err_internal");
    assert_int_equal(db_exec(f->db, "DROP TRIGGER temp.fail_refusal"), 0);
    expect(f, auth_check_login(cli(f), "old.admin", PW, &u), SVC_FORBIDDEN,
           "err_admin_kind_missing");
}

/* Under --mlps a reading or an export of the log and a refused route leave a row; without it
 * nothing (the counts of the other tests stay). */
static void test_reads_audited(void **state)
{
    struct fixture *f = *state;
    const char *q = "SELECT count(*) FROM audit WHERE action = :t";
    struct audit_filter filt = {.action = "user.", .entity_id = 7};
    expect(f, audit_log_record_read(as(f, f->aud), "audit.read", &filt, NULL, 3), SVC_OK, NULL);
    expect(f, audit_log_record_read(as(f, f->aud), "audit.export", &filt, "csv", 12), SVC_OK,
           NULL);
    assert_int_equal(tu_count(f->db, q, "audit.read"), 1);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = 'audit.export' "
                                     "AND actor = 'user:aud.admin' AND after = "
                                     "'{\"filters\":{\"action\":\"user.\",\"entity_id\":7},"
                                     "\"format\":\"csv\",\"rows\":12}'", NULL), 1);
    struct ctx *c = as(f, f->sec);
    c->code = "err_admin_kind";
    expect(f, audit_log_record_denied(c, "GET", "/audit", "err_admin_kind"), SVC_OK, NULL);
    assert_string_equal(c->code, "err_admin_kind"); /* kept for the answer */
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = 'auth.denied' "
                                     "AND actor = 'user:sec.admin' AND entity = 'route' AND "
                                     "after LIKE '%\"path\":\"/audit\"%'", NULL), 1);
    /* the audit administrator's own rows are its alone too */
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit a JOIN audit_by_admin b ON "
                                     "b.audit_id = a.id WHERE a.action IN ('audit.read', "
                                     "'audit.export', 'auth.denied')", NULL), 3);
    auth_policy.mlps = false;
    expect(f, audit_log_record_read(as(f, f->aud), "audit.read", &filt, NULL, 3), SVC_OK, NULL);
    expect(f, audit_log_record_denied(as(f, f->sec), "GET", "/audit", "err_forbidden"), SVC_OK,
           NULL);
    auth_policy.mlps = true;
    assert_int_equal(tu_count(f->db, q, "audit.read"), 1);
    assert_int_equal(tu_count(f->db, q, "auth.denied"), 1);
}

/* Unlocking an account and ending its sessions: the security administrator's under --mlps
 * (not another administrator's, not for an administrator account), any admin's without. */
static void test_care_of_accounts(void **state)
{
    struct fixture *f = *state;
    bool cleared = true;
    expect(f, user_unlock(as(f, f->sys), f->sy_member, &cleared), SVC_FORBIDDEN,
           "err_admin_kind");
    expect(f, user_unlock(as(f, f->ln_leader), f->sy_member, &cleared), SVC_FORBIDDEN,
           "err_forbidden");
    expect(f, user_unlock(as(f, f->sec), f->aud, &cleared), SVC_FORBIDDEN, "err_admin_cli");
    expect(f, user_unlock(as(f, f->sec), 999999, &cleared), SVC_NOT_FOUND, "err_not_found");
    expect(f, user_unlock(as(f, f->sec), f->sy_member, &cleared), SVC_OK, NULL);
    assert_false(cleared);
    assert_int_equal(db_exec(f->db, "UPDATE users SET failed_logins = 3 WHERE login = 'sy.member';"
                                    "INSERT INTO login_lock (user_id, client, failures) SELECT id, "
                                    "'192.0.2.9', 2 FROM users WHERE login = 'sy.member'"), 0);
    expect(f, user_unlock(as(f, f->sec), f->sy_member, &cleared), SVC_OK, NULL);
    assert_true(cleared);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM login_lock", NULL), 0);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = 'user.unlock' "
                                     "AND actor = 'user:sec.admin'", NULL), 1);
    struct session_view *sv;
    size_t n;
    expect(f, user_sessions(as(f, f->aud), f->sy_member, &sv, &n), SVC_FORBIDDEN,
           "err_admin_kind");
    /* without --mlps: any admin, the one of no kind too */
    auth_policy.mlps = false;
    struct session_info si;
    expect(f, auth_login(cli(f), "sy.member", PW, &si), SVC_OK, NULL);
    expect(f, user_sessions(as(f, f->none), f->sy_member, &sv, &n), SVC_OK, NULL);
    assert_int_equal(n, 1);
    assert_int_equal(sv[0].id, si.session_id);
    int ended = -1;
    expect(f, user_end_sessions(as(f, f->none), f->sy_member, si.session_id + 1, &ended),
           SVC_NOT_FOUND, "err_not_found");
    expect(f, user_end_sessions(as(f, f->none), f->sy_member, si.session_id, &ended), SVC_OK,
           NULL);
    assert_int_equal(ended, 1);
    expect(f, user_sessions(as(f, f->sys), f->sy_member, &sv, &n), SVC_OK, NULL);
    assert_int_equal(n, 0);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.revoke_session' AND actor = 'user:old.admin'", NULL), 1);
    expect(f, user_sessions(as(f, f->ln_leader), f->sy_member, &sv, &n), SVC_FORBIDDEN,
           "err_forbidden");
    auth_policy.mlps = true;
}

/* The server records --mlps for the command line; the same value twice is one audit row. */
static void test_setting(void **state)
{
    struct fixture *f = *state;
    assert_false(setting_mlps(cli(f)));
    expect(f, setting_put(cli(f), "mlps", "1"), SVC_OK, NULL);
    expect(f, setting_put(cli(f), "mlps", "1"), SVC_OK, NULL);
    assert_true(setting_mlps(cli(f)));
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'setting.update'", NULL), 1);
    expect(f, setting_put(cli(f), "mlps", "0"), SVC_OK, NULL);
    assert_false(setting_mlps(cli(f)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_account_duties, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_setting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demoted_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_in_store_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_care_of_accounts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
