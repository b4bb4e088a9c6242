/* test_user: units and accounts — validation errors name their field; the scope rules of
 * perm.h hold for each role (a coordinator stays on its own side and creates members only, a
 * member or leader creates nothing); every write leaves an audit row with before and after
 * and no password hash. */
#include <pthread.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/auth.h"
#include "service/perm.h"
#include "service/service.h"
#include "service/user.h"
#include "store/audit.h"
#include "store/db.h"

#include "test_util.h"

#define PW "correct horse battery"

struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
    struct arena arena;
    struct ctx ctx;
    struct user acting;
    /* pairings: 辽宁–江苏 with a city pairing under it, 上海–大连 */
    int64_t p_lj, p_city, p_sd;
    /* units: 辽宁 side (0) lead office and a member city, 江苏 side (1) lead office, 大连 */
    int64_t u_ln, u_sy, u_js, u_dl;
    /* accounts */
    int64_t root, ln_coord, sy_member, js_coord, ln_leader;
};

static struct ctx *cli(struct fixture *f)
{
    f->ctx = (struct ctx){.db = f->db, .arena = &f->arena, .actor = "cli:test"};
    return &f->ctx;
}

/* A context acting as account id, as a signed-in request would have it. */
static struct ctx *as(struct fixture *f, int64_t id)
{
    assert_int_equal(user_load(cli(f), id, &f->acting), SVC_OK);
    f->ctx.user = &f->acting;
    f->ctx.actor = arena_printf(&f->arena, "user:%s", f->acting.login);
    f->ctx.client = "192.0.2.1";
    return &f->ctx;
}

static int64_t unit(struct fixture *f, int64_t pairing, int side, const char *name,
                    const char *tier)
{
    struct unit_input in = {.pairing_id = pairing, .side = side, .name = name,
                            .kind = "department", .tier = tier};
    int64_t id = 0;
    if (unit_create(cli(f), &in, &id) != SVC_OK)
        fail_msg("unit %s: %s", name, f->ctx.error);
    return id;
}

static int64_t account(struct fixture *f, const char *login, const char *role, int64_t unit_id)
{
    struct user_input in = {.login = login, .role = role, .unit_id = unit_id, .password = PW};
    int64_t id = 0;
    if (user_create(cli(f), &in, &id) != SVC_OK)
        fail_msg("user %s: %s", login, f->ctx.error);
    return id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "user", "test.db", &f->db) != 0)
        return -1;
    arena_init(&f->arena);
    f->p_lj = tu_insert_pairing(f->db, 0, "辽宁省", "江苏省");
    f->p_city = tu_insert_pairing(f->db, f->p_lj, "沈阳市", "南京市");
    f->p_sd = tu_insert_pairing(f->db, 0, "上海市", "大连市");
    f->u_ln = unit(f, f->p_lj, 0, "辽宁省发展和改革委员会", "coordination");
    f->u_sy = unit(f, f->p_lj, 0, "沈阳市人民政府", "execution");
    f->u_js = unit(f, f->p_lj, 1, "江苏省发展和改革委员会", "coordination");
    f->u_dl = unit(f, f->p_sd, 1, "大连市发展和改革委员会", "coordination");
    f->root = account(f, "root", "admin", 0);
    f->ln_coord = account(f, "ln.coord", "coordinator", f->u_ln);
    f->sy_member = account(f, "sy.member", "member", f->u_sy);
    f->js_coord = account(f, "js.coord", "coordinator", f->u_js);
    f->ln_leader = account(f, "ln.leader", "leader", f->u_ln);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_free(&f->arena);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

static int64_t count(struct fixture *f, const char *sql)
{
    return tu_count(f->db, sql, NULL);
}

/* rc must be want, with that code and field (field NULL: any). */
static void expect(struct fixture *f, int rc, int want, const char *code, const char *field)
{
    if (rc != want)
        fail_msg("expected %d (%s), got %d (%s: %s)", want, code ? code : "ok", rc,
                 f->ctx.code ? f->ctx.code : "-", f->ctx.error ? f->ctx.error : "-");
    if (want == SVC_OK)
        return;
    assert_string_equal(f->ctx.code, code);
    if (field)
        assert_string_equal(f->ctx.field ? f->ctx.field : "(none)", field);
}

/* ---- units ---------------------------------------------------------------------------- */

static void test_unit_validation(void **state)
{
    struct fixture *f = *state;
    struct unit_input in = {.pairing_id = f->p_lj, .side = 0, .name = "辽宁省商务厅",
                            .kind = "department", .tier = "execution"};
    int64_t id = 0;
    expect(f, unit_create(cli(f), &in, &id), SVC_OK, NULL, NULL);
    struct unit_view v;
    assert_int_equal(unit_get(cli(f), id, &v), SVC_OK);
    assert_string_equal(v.name, "辽宁省商务厅");
    assert_int_equal(v.pairing_id, f->p_lj);
    assert_int_equal(v.side, 0);
    assert_string_equal(v.pairing_a, "辽宁省");

    struct unit_input bad = in;
    bad.name = "遼寧省商務廳"; /* the same name in the other script */
    expect(f, unit_create(cli(f), &bad, NULL), SVC_CONFLICT, "err_exists", "name");
    bad.side = 1; /* the other side may have a unit of that name */
    expect(f, unit_create(cli(f), &bad, NULL), SVC_OK, NULL, NULL);
    bad = in;
    bad.name = NULL;
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_required", "name");
    bad.name = "  \u3000 ";
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_required", "name");
    bad.name = "a\nb";
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_invalid", "name");
    char *longname = arena_alloc(&f->arena, 3 * 101 + 1);
    for (int i = 0; i < 101; i++)
        memcpy(longname + 3 * i, "委", 3);
    bad.name = longname;
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_too_long", "name");
    bad = in;
    bad.name = "新单位";
    bad.kind = "ministry";
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_kind", "kind");
    bad.kind = NULL;
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_kind", "kind");
    bad = in;
    bad.name = "新单位";
    bad.tier = "top";
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_tier", "tier");
    bad = in;
    bad.name = "新单位";
    bad.side = 2;
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_side", "side");
    bad.side = 0;
    bad.pairing_id = 999;
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_pairing_unknown", "pairing_id");
    bad.pairing_id = f->p_city;
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_pairing_not_province",
           "pairing_id");
    bad.pairing_id = f->p_lj;
    bad.region_id = 12345;
    expect(f, unit_create(cli(f), &bad, NULL), SVC_INVALID, "err_region_unknown", "region_id");

    /* find by id or by name in either script */
    int64_t found = 0;
    assert_int_equal(unit_find(cli(f), "瀋陽市人民政府", &found), SVC_OK);
    assert_int_equal(found, f->u_sy);
    assert_int_equal(unit_find(cli(f), "2", &found), SVC_OK);
    assert_int_equal(found, 2);
    expect(f, unit_find(cli(f), "没有这个单位", &found), SVC_NOT_FOUND, "err_unit_unknown", NULL);
    expect(f, unit_find(cli(f), "遼寧省商務廳", &found), SVC_CONFLICT, "err_unit_ambiguous", NULL);

    /* update: rename (a no-op update writes nothing), bad values */
    int64_t rows = count(f, "SELECT count(*) FROM audit");
    struct unit_input same = {.name = "辽宁省商务厅"};
    expect(f, unit_update(cli(f), id, &same), SVC_OK, NULL, NULL);
    assert_int_equal(count(f, "SELECT count(*) FROM audit"), rows);
    struct unit_input ren = {.name = "辽宁省商务厅（口岸办）", .tier = "coordination"};
    expect(f, unit_update(cli(f), id, &ren), SVC_OK, NULL, NULL);
    assert_int_equal(unit_get(cli(f), id, &v), SVC_OK);
    assert_string_equal(v.name, "辽宁省商务厅（口岸办）");
    assert_string_equal(v.tier, "coordination");
    assert_string_equal(v.kind, "department");
    struct unit_input dup = {.name = "沈阳市人民政府"};
    expect(f, unit_update(cli(f), id, &dup), SVC_CONFLICT, "err_exists", "name");
    struct unit_input badkind = {.kind = "x"};
    expect(f, unit_update(cli(f), id, &badkind), SVC_INVALID, "err_kind", "kind");
    expect(f, unit_update(cli(f), 999, &ren), SVC_NOT_FOUND, "err_unit_unknown", NULL);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'unit.update' AND "
                              "before LIKE '%辽宁省商务厅%' AND after LIKE '%口岸办%'"),
                     1);

}

static void test_unit_scope(void **state)
{
    struct fixture *f = *state;
    struct unit_input mine = {.pairing_id = f->p_lj, .side = 0, .name = "辽宁省工业和信息化厅",
                              .kind = "department", .tier = "execution"};
    struct unit_input theirs = mine;
    theirs.side = 1;
    theirs.name = "江苏省工业和信息化厅";
    struct unit_input elsewhere = mine;
    elsewhere.pairing_id = f->p_sd;
    int64_t id = 0;
    /* a coordinator: its own side only */
    expect(f, unit_create(as(f, f->ln_coord), &mine, &id), SVC_OK, NULL, NULL);
    expect(f, unit_create(as(f, f->ln_coord), &theirs, NULL), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    /* another pairing is not there for it (issue #10) */
    expect(f, unit_create(as(f, f->ln_coord), &elsewhere, NULL), SVC_NOT_FOUND, "err_not_found",
           NULL);
    struct unit_input ren = {.name = "辽宁省工信厅"};
    expect(f, unit_update(as(f, f->ln_coord), id, &ren), SVC_OK, NULL, NULL);
    expect(f, unit_update(as(f, f->js_coord), id, &ren), SVC_FORBIDDEN, "err_forbidden", NULL);
    expect(f, unit_update(as(f, f->ln_coord), f->u_js, &ren), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    /* members and leaders create and edit no units */
    expect(f, unit_create(as(f, f->sy_member), &mine, NULL), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    expect(f, unit_update(as(f, f->sy_member), f->u_sy, &ren), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    expect(f, unit_create(as(f, f->ln_leader), &mine, NULL), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    /* the audit row names the person and the address */
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'unit.create' AND "
                              "actor = 'user:ln.coord' AND client = '192.0.2.1'"),
                     1);

    /* reading: everyone in the pairing sees both sides' units; another pairing's are not there */
    struct unit_view *u;
    size_t n;
    expect(f, unit_list(as(f, f->sy_member), 0, -1, &u, &n), SVC_OK, NULL, NULL);
    assert_int_equal(n, 4); /* 3 of the fixture's and the new one */
    expect(f, unit_list(as(f, f->sy_member), f->p_city, 1, &u, &n), SVC_OK, NULL, NULL);
    assert_int_equal(n, 1); /* a city pairing lists its province pairing's units */
    expect(f, unit_list(as(f, f->sy_member), f->p_sd, -1, &u, &n), SVC_NOT_FOUND,
           "err_not_found", NULL);
    expect(f, unit_list(as(f, f->js_coord), f->p_lj, 1, &u, &n), SVC_OK, NULL, NULL);
    assert_int_equal(n, 1);
    expect(f, unit_list(cli(f), 0, -1, &u, &n), SVC_OK, NULL, NULL);
    assert_int_equal(n, 5);
    struct unit_view v;
    expect(f, unit_get(as(f, f->ln_leader), f->u_js, &v), SVC_OK, NULL, NULL);
    expect(f, unit_get(as(f, f->ln_leader), f->u_dl, &v), SVC_NOT_FOUND, "err_not_found", NULL);
}

/* ---- users ---------------------------------------------------------------------------- */

static void test_user_validation(void **state)
{
    struct fixture *f = *state;
    struct user_input in = {.login = "zhang.wei@ln", .name = "张伟", .role = "member",
                            .unit_id = f->u_sy, .language = "zh-Hant", .password = PW};
    int64_t id = 0;
    expect(f, user_create(cli(f), &in, &id), SVC_OK, NULL, NULL);
    struct user_view v;
    assert_int_equal(user_get(cli(f), id, &v), SVC_OK);
    assert_string_equal(v.login, "zhang.wei@ln");
    assert_string_equal(v.name, "张伟");
    assert_string_equal(v.role, "member");
    assert_string_equal(v.language, "zh-Hant");
    assert_string_equal(v.unit_name, "沈阳市人民政府");
    assert_int_equal(v.pairing_id, f->p_lj);
    assert_int_equal(v.side, 0);
    assert_false(v.disabled);

    struct user_input bad = in;
    bad.login = "ZHANG.WEI@LN"; /* logins are case-insensitive */
    expect(f, user_create(cli(f), &bad, NULL), SVC_CONFLICT, "err_login_taken", "login");
    static const char *const bad_logins[] = {"ab", "a b", "张伟", ".dot", "x/y", "semi;colon",
                                             ("0123456789012345678901234567890123456789012345678"
                                              "9012345678901234")};
    for (size_t i = 0; i < sizeof bad_logins / sizeof *bad_logins; i++) {
        bad.login = bad_logins[i];
        expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_login_invalid", "login");
    }
    bad.login = NULL;
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_required", "login");
    bad = in;
    bad.login = "li.na";
    bad.role = "boss";
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_role", "role");
    bad.role = NULL;
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_role", "role");
    bad.role = "admin";
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_admin_unit", "unit_id");
    bad.role = "member";
    bad.unit_id = 0;
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_required", "unit_id");
    bad.unit_id = 999;
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_unit_unknown", "unit_id");
    bad.unit_id = f->u_sy;
    bad.language = "fr";
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_language", "language");
    bad.language = NULL;
    bad.name = "";
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_required", "name");
    bad.name = NULL; /* defaults to the login */
    bad.password = "li.na2026";
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_password_login", "password");
    bad.password = "short";
    expect(f, user_create(cli(f), &bad, NULL), SVC_INVALID, "err_password_short", "password");
    bad.password = PW;
    expect(f, user_create(cli(f), &bad, &id), SVC_OK, NULL, NULL);
    assert_int_equal(user_get(cli(f), id, &v), SVC_OK);
    assert_string_equal(v.name, "li.na");
    assert_string_equal(v.language, "zh-Hans");

    /* update */
    struct user_input up = {.name = "李娜", .language = "en"};
    expect(f, user_update(cli(f), id, &up), SVC_OK, NULL, NULL);
    up = (struct user_input){.role = "admin"}; /* an admin leaves its unit */
    expect(f, user_update(cli(f), id, &up), SVC_OK, NULL, NULL);
    assert_int_equal(user_get(cli(f), id, &v), SVC_OK);
    assert_string_equal(v.role, "admin");
    assert_int_equal(v.unit_id, 0);
    up = (struct user_input){.role = "member"}; /* and needs one to come back */
    expect(f, user_update(cli(f), id, &up), SVC_INVALID, "err_required", "unit_id");
    up.unit_id = f->u_js;
    expect(f, user_update(cli(f), id, &up), SVC_OK, NULL, NULL);
    up = (struct user_input){.login = "other"};
    expect(f, user_update(cli(f), id, &up), SVC_INVALID, "err_login_fixed", "login");
    up = (struct user_input){.role = "admin", .unit_id = f->u_js};
    expect(f, user_update(cli(f), id, &up), SVC_INVALID, "err_admin_unit", "unit_id");
    up = (struct user_input){.language = "de"};
    expect(f, user_update(cli(f), id, &up), SVC_INVALID, "err_language", "language");
    up = (struct user_input){.unit_id = 999};
    expect(f, user_update(cli(f), id, &up), SVC_INVALID, "err_unit_unknown", "unit_id");
    expect(f, user_update(cli(f), 999, &up), SVC_NOT_FOUND, "err_not_found", NULL);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'user.update' AND "
                              "before LIKE '%\"name\":\"li.na\"%' AND after LIKE '%李娜%'"),
                     1);

    /* disable and enable; nobody disables themselves */
    expect(f, user_set_disabled(cli(f), id, true), SVC_OK, NULL, NULL);
    assert_int_equal(user_get(cli(f), id, &v), SVC_OK);
    assert_true(v.disabled);
    expect(f, user_set_disabled(as(f, f->root), f->root, true), SVC_CONFLICT, "err_self_disable",
           NULL);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'user.disable' AND "
                              "before LIKE '%\"disabled\":false%' AND "
                              "after LIKE '%\"disabled\":true%'"),
                     1);
    int64_t found = 0;
    assert_int_equal(user_id_by_login(cli(f), " Li.Na ", &found), SVC_OK);
    assert_int_equal(found, id);
}

static void test_coordinator_scope(void **state)
{
    struct fixture *f = *state;
    struct user_input m = {.login = "sy.two", .role = "member", .unit_id = f->u_sy,
                           .password = PW};
    int64_t id = 0;
    /* creates members of units on its side */
    expect(f, user_create(as(f, f->ln_coord), &m, &id), SVC_OK, NULL, NULL);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'user.create' AND "
                              "actor = 'user:ln.coord'"),
                     1);
    /* not on the other side, not in another pairing */
    struct user_input other = m;
    other.login = "js.two";
    other.unit_id = f->u_js;
    expect(f, user_create(as(f, f->ln_coord), &other, NULL), SVC_FORBIDDEN, "err_forbidden",
           "unit_id");
    other.unit_id = f->u_dl; /* another pairing's unit: as a missing one (issue #10) */
    expect(f, user_create(as(f, f->ln_coord), &other, NULL), SVC_INVALID, "err_unit_unknown",
           "unit_id");
    /* never an admin, a leader or another coordinator */
    static const char *const roles[] = {"admin", "leader", "coordinator"};
    for (size_t i = 0; i < 3; i++) {
        other = m;
        other.login = "promoted";
        other.role = roles[i];
        other.unit_id = strcmp(roles[i], "admin") == 0 ? 0 : f->u_sy;
        expect(f, user_create(as(f, f->ln_coord), &other, NULL), SVC_FORBIDDEN, "err_forbidden",
               NULL);
    }
    /* edits members of its side, within its side */
    struct user_input up = {.name = "沈阳二号"};
    expect(f, user_update(as(f, f->ln_coord), id, &up), SVC_OK, NULL, NULL);
    up = (struct user_input){.unit_id = f->u_ln};
    expect(f, user_update(as(f, f->ln_coord), id, &up), SVC_OK, NULL, NULL);
    up = (struct user_input){.unit_id = f->u_js};
    expect(f, user_update(as(f, f->ln_coord), id, &up), SVC_FORBIDDEN, "err_forbidden", NULL);
    up = (struct user_input){.role = "coordinator"};
    expect(f, user_update(as(f, f->ln_coord), id, &up), SVC_FORBIDDEN, "err_forbidden", NULL);
    /* not the other side's members, not the leader or itself into another role */
    up = (struct user_input){.name = "x"};
    expect(f, user_update(as(f, f->js_coord), id, &up), SVC_FORBIDDEN, "err_forbidden", NULL);
    expect(f, user_update(as(f, f->ln_coord), f->ln_leader, &up), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    up = (struct user_input){.role = "admin"};
    expect(f, user_update(as(f, f->ln_coord), f->ln_coord, &up), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    /* disables members of its side; their sessions end */
    struct session_info s;
    assert_int_equal(auth_login(cli(f), "sy.two", PW, &s), SVC_OK);
    expect(f, user_set_disabled(as(f, f->js_coord), id, true), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    expect(f, user_set_disabled(as(f, f->ln_coord), id, true), SVC_OK, NULL, NULL);
    assert_int_equal(auth_session(cli(f), s.token, &s), SVC_UNAUTHORIZED);
    expect(f, user_set_disabled(as(f, f->ln_coord), f->js_coord, true), SVC_FORBIDDEN,
           "err_forbidden", NULL);
    expect(f, user_set_disabled(as(f, f->ln_coord), f->ln_leader, true), SVC_FORBIDDEN,
           "err_forbidden", NULL);
    /* lists and reads its side's accounts only */
    struct user_view *u;
    size_t n;
    expect(f, user_list(as(f, f->ln_coord), 0, &u, &n), SVC_OK, NULL, NULL);
    assert_int_equal(n, 4); /* ln.coord, ln.leader, sy.member, sy.two */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(u[i].side, 0);
    expect(f, user_list(as(f, f->ln_coord), f->u_js, &u, &n), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    struct user_view v;
    expect(f, user_get(as(f, f->ln_coord), f->sy_member, &v), SVC_OK, NULL, NULL);
    expect(f, user_get(as(f, f->ln_coord), f->js_coord, &v), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    expect(f, user_get(as(f, f->ln_coord), f->root, &v), SVC_FORBIDDEN, "err_forbidden", NULL);
    expect(f, user_list(cli(f), 0, &u, &n), SVC_OK, NULL, NULL);
    assert_int_equal(n, 6);
}

static void test_member_and_leader_scope(void **state)
{
    struct fixture *f = *state;
    struct user_input m = {.login = "new.one", .role = "member", .unit_id = f->u_sy,
                           .password = PW};
    int64_t rows = count(f, "SELECT count(*) FROM audit");
    int64_t actors[] = {f->sy_member, f->ln_leader};
    for (size_t i = 0; i < 2; i++) {
        expect(f, user_create(as(f, actors[i]), &m, NULL), SVC_FORBIDDEN, "err_forbidden", NULL);
        struct user_input up = {.name = "x"};
        expect(f, user_update(as(f, actors[i]), f->js_coord, &up), SVC_FORBIDDEN,
               "err_forbidden", NULL);
        expect(f, user_set_disabled(as(f, actors[i]), f->js_coord, true), SVC_FORBIDDEN,
               "err_forbidden", NULL);
        struct user_view *u;
        size_t n;
        expect(f, user_list(as(f, actors[i]), 0, &u, &n), SVC_FORBIDDEN, "err_forbidden", NULL);
        struct user_view v;
        expect(f, user_get(as(f, actors[i]), f->ln_coord, &v), SVC_FORBIDDEN, "err_forbidden",
               NULL);
        /* their own role and unit are not theirs to change */
        up = (struct user_input){.role = "coordinator"};
        expect(f, user_update(as(f, actors[i]), actors[i], &up), SVC_FORBIDDEN, "err_forbidden",
               NULL);
        up = (struct user_input){.unit_id = f->u_js};
        expect(f, user_update(as(f, actors[i]), actors[i], &up), SVC_FORBIDDEN, "err_forbidden",
               NULL);
    }
    assert_int_equal(count(f, "SELECT count(*) FROM audit"), rows); /* nothing written */
    /* but their own name and language are */
    struct user_input up = {.name = "沈阳市联络员", .language = "zh-Hant"};
    expect(f, user_update(as(f, f->sy_member), f->sy_member, &up), SVC_OK, NULL, NULL);
    struct user_view v;
    expect(f, user_get(as(f, f->sy_member), f->sy_member, &v), SVC_OK, NULL, NULL);
    assert_string_equal(v.name, "沈阳市联络员");
    struct user u;
    assert_int_equal(user_load(cli(f), f->sy_member, &u), SVC_OK);
    assert_string_equal(u.language, "zh-Hant");
}

static void test_perm_rules(void **state)
{
    struct fixture *f = *state;
    struct ctx *c;
    /* the command line and an admin: everything */
    assert_int_equal(perm_read_pairing(cli(f), f->p_sd), SVC_OK);
    assert_int_equal(perm_manage_side(cli(f), f->p_sd, 1), SVC_OK);
    assert_int_equal(perm_member_of(cli(f), f->u_dl), SVC_OK);
    assert_int_equal(perm_is_admin(as(f, f->root)), SVC_OK);
    assert_int_equal(perm_manage_side(as(f, f->root), f->p_lj, 0), SVC_OK);
    /* read: one's own province pairing and its city pairings */
    assert_int_equal(perm_read_pairing(as(f, f->sy_member), f->p_lj), SVC_OK);
    assert_int_equal(perm_read_pairing(as(f, f->sy_member), f->p_city), SVC_OK);
    /* another pairing is not there: the answer of one that does not exist (issue #10) */
    c = as(f, f->sy_member);
    assert_int_equal(perm_read_pairing(c, f->p_sd), SVC_NOT_FOUND);
    assert_string_equal(c->code, "err_not_found");
    assert_null(c->field);
    assert_int_equal(perm_read_pairing(as(f, f->ln_leader), 999), SVC_NOT_FOUND);
    assert_int_equal(perm_see(as(f, f->sy_member), f->p_city), SVC_OK);
    assert_int_equal(perm_see(as(f, f->ln_leader), f->p_sd), SVC_NOT_FOUND);
    assert_int_equal(perm_see(cli(f), f->p_sd), SVC_OK);
    assert_int_equal(perm_see(as(f, f->root), f->p_sd), SVC_OK);
    c = as(f, f->ln_coord);
    assert_int_equal(perm_unit_seen(c, f->u_dl, NULL, NULL), SVC_NOT_FOUND);
    assert_string_equal(c->code, "err_unit_unknown");
    assert_int_equal(perm_unit_seen(c, f->u_js, NULL, NULL), SVC_OK);
    /* manage a side: its coordinator, through a city pairing too */
    assert_int_equal(perm_manage_side(as(f, f->ln_coord), f->p_lj, 0), SVC_OK);
    assert_int_equal(perm_manage_side(as(f, f->ln_coord), f->p_city, 0), SVC_OK);
    assert_int_equal(perm_manage_side(as(f, f->ln_coord), f->p_lj, 1), SVC_FORBIDDEN);
    assert_int_equal(perm_manage_side(as(f, f->ln_coord), f->p_sd, 0), SVC_NOT_FOUND);
    assert_int_equal(perm_manage_side(as(f, f->ln_leader), f->p_lj, 0), SVC_FORBIDDEN);
    assert_int_equal(perm_manage_side(as(f, f->sy_member), f->p_lj, 0), SVC_FORBIDDEN);
    assert_int_equal(perm_manage_unit(as(f, f->ln_coord), f->u_sy), SVC_OK);
    assert_int_equal(perm_manage_unit(as(f, f->ln_coord), f->u_js), SVC_FORBIDDEN);
    assert_int_equal(perm_manage_unit(as(f, f->ln_coord), 999), SVC_NOT_FOUND);
    assert_int_equal(perm_manage_unit(as(f, f->ln_coord), f->u_dl), SVC_NOT_FOUND);
    /* act for a unit: its own people */
    assert_int_equal(perm_member_of(as(f, f->sy_member), f->u_sy), SVC_OK);
    assert_int_equal(perm_member_of(as(f, f->sy_member), f->u_ln), SVC_FORBIDDEN);
    assert_int_equal(perm_member_of(as(f, f->ln_coord), f->u_ln), SVC_OK);
    assert_int_equal(perm_member_of(as(f, f->ln_coord), f->u_sy), SVC_FORBIDDEN);
    assert_int_equal(perm_member_of(as(f, f->js_coord), f->u_sy), SVC_FORBIDDEN);
    /* roles */
    assert_int_equal(perm_is_admin(as(f, f->ln_coord)), SVC_FORBIDDEN);
    assert_int_equal(perm_role_at_least(as(f, f->ln_leader), ROLE_COORDINATOR), SVC_OK);
    assert_int_equal(perm_role_at_least(as(f, f->sy_member), ROLE_COORDINATOR), SVC_FORBIDDEN);
    assert_int_equal(perm_pairing_root(cli(f), f->p_city), f->p_lj);
    assert_int_equal(perm_pairing_root(cli(f), 999), 0);
    int64_t p = 0;
    int side = -1;
    assert_int_equal(perm_unit_scope(cli(f), f->u_js, &p, &side), SVC_OK);
    assert_int_equal(p, f->p_lj);
    assert_int_equal(side, 1);
    assert_int_equal(perm_unit_scope(cli(f), 999, &p, &side), SVC_NOT_FOUND);
}

static void test_audit_never_holds_hashes(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(auth_change_password(cli(f), f->sy_member, NULL, "another good one"), SVC_OK);
    /* every write above and in setup has an audit row, with after; updates have before */
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'user.create'"), 5);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'unit.create'"), 4);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE after IS NULL"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action LIKE '%.update' "
                              "AND before IS NULL"),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE coalesce(before, '') || "
                              "after LIKE '%argon2%' OR coalesce(before, '') || after "
                              "LIKE '%pw_hash%' OR after LIKE '%another good one%'"),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM users WHERE pw_hash NOT LIKE '$argon2id$%'"),
                     0);
    assert_int_equal(audit_verify(f->db, NULL, NULL, NULL), 0);
}

/* ---- concurrent edits ------------------------------------------------------------------ */

/* Another connection (another request, another server thread) that writes sql in a
 * transaction it holds open for hold_ms after the change, then commits: the edit under test
 * starts inside that window, so it reads while the change is not yet committed and has to
 * wait for the write lock. */
struct racer {
    const char *path, *sql;
    int hold_ms;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool changed;
    int rc;
};

static void *racer_run(void *arg)
{
    struct racer *x = arg;
    struct db *db = NULL;
    int rc = db_open(x->path, &db, NULL);
    if (rc == 0)
        rc = db_begin(db);
    if (rc == 0)
        rc = db_exec(db, x->sql);
    pthread_mutex_lock(&x->mu);
    x->changed = true;
    pthread_cond_signal(&x->cv);
    pthread_mutex_unlock(&x->mu);
    if (rc == 0) {
        usleep((useconds_t)x->hold_ms * 1000);
        rc = db_commit(db);
    }
    x->rc = rc;
    db_close(db);
    return NULL;
}

/* Starts the racer and returns once its change is made (and not yet committed). */
static void racer_start(struct racer *x, const char *path, const char *sql)
{
    *x = (struct racer){.path = path, .sql = sql, .hold_ms = 600};
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->cv, NULL);
    assert_int_equal(pthread_create(&x->thread, NULL, racer_run, x), 0);
    pthread_mutex_lock(&x->mu);
    while (!x->changed)
        pthread_cond_wait(&x->cv, &x->mu);
    pthread_mutex_unlock(&x->mu);
}

static void racer_finish(struct racer *x)
{
    pthread_join(x->thread, NULL);
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->cv);
    assert_int_equal(x->rc, 0);
}

static const char *text_of(struct fixture *f, const char *sql)
{
    struct stmt st;
    const char *v = NULL;
    db_prepare(f->db, &st, sql);
    if (db_step(&st) == DB_ROW && !db_col_is_null(&st, 0))
        v = arena_strdup(&f->arena, db_col_text(&st, 0));
    db_finalize(&st);
    return v;
}

/* An admin promotes a member while its coordinator renames it: the rename must not write the
 * old role back, and the coordinator, who may not manage a coordinator, is refused. */
static void test_user_update_races_a_role_change(void **state)
{
    struct fixture *f = *state;
    struct ctx *c = as(f, f->ln_coord);
    struct racer x;
    racer_start(&x, f->path,
                "UPDATE users SET role = 'coordinator', updated_at = '2099-01-01T00:00:00.000Z' "
                "WHERE login = 'sy.member'");
    struct user_input ren = {.name = "沈阳联络员"};
    int rc = user_update(c, f->sy_member, &ren);
    racer_finish(&x);
    assert_string_equal(text_of(f, "SELECT role FROM users WHERE login = 'sy.member'"),
                        "coordinator");
    expect(f, rc, SVC_FORBIDDEN, "err_forbidden", NULL);
    assert_string_equal(text_of(f, "SELECT name FROM users WHERE login = 'sy.member'"),
                        "sy.member");
}

/* An edit that is allowed keeps what another edit changed meanwhile in other fields. */
static void test_user_update_keeps_a_concurrent_change(void **state)
{
    struct fixture *f = *state;
    struct ctx *c = as(f, f->root);
    struct racer x;
    racer_start(&x, f->path,
                "UPDATE users SET language = 'en', updated_at = '2099-01-01T00:00:00.000Z' "
                "WHERE login = 'sy.member'");
    struct user_input ren = {.name = "沈阳联络员"};
    int rc = user_update(c, f->sy_member, &ren);
    racer_finish(&x);
    expect(f, rc, SVC_OK, NULL, NULL);
    assert_string_equal(text_of(f, "SELECT language FROM users WHERE login = 'sy.member'"),
                        "en");
    assert_string_equal(text_of(f, "SELECT name FROM users WHERE login = 'sy.member'"),
                        "沈阳联络员");
    /* the audit row's before is the row as it was when written over */
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'user.update' AND "
                              "before LIKE '%\"language\":\"en\"%'"),
                     1);
}

static void test_unit_update_keeps_a_concurrent_change(void **state)
{
    struct fixture *f = *state;
    struct ctx *c = as(f, f->ln_coord);
    struct racer x;
    racer_start(&x, f->path,
                "UPDATE unit SET tier = 'decision', updated_at = '2099-01-01T00:00:00.000Z' "
                "WHERE name = '沈阳市人民政府'");
    struct unit_input ren = {.name = "沈阳市政府"};
    int rc = unit_update(c, f->u_sy, &ren);
    racer_finish(&x);
    expect(f, rc, SVC_OK, NULL, NULL);
    struct unit_view v;
    assert_int_equal(unit_get(cli(f), f->u_sy, &v), SVC_OK);
    assert_string_equal(v.tier, "decision");
    assert_string_equal(v.name, "沈阳市政府");
}

/* If-Match: the version read, checked after the permission; "" (what the API asks for when
 * the client sent none) matches no version. */
static void test_update_versions(void **state)
{
    struct fixture *f = *state;
    struct unit_view u;
    assert_int_equal(unit_get(cli(f), f->u_sy, &u), SVC_OK);
    struct unit_input ren = {.name = "沈阳市政府", .if_updated_at = ""};
    expect(f, unit_update(as(f, f->js_coord), f->u_sy, &ren), SVC_FORBIDDEN, "err_forbidden",
           NULL);
    expect(f, unit_update(as(f, f->ln_coord), 999, &ren), SVC_NOT_FOUND, "err_not_found", NULL);
    expect(f, unit_update(as(f, f->ln_coord), f->u_sy, &ren), SVC_STALE, "err_stale", NULL);
    ren.if_updated_at = u.updated_at;
    expect(f, unit_update(as(f, f->ln_coord), f->u_sy, &ren), SVC_OK, NULL, NULL);
    ren.name = "沈阳";
    expect(f, unit_update(as(f, f->ln_coord), f->u_sy, &ren), SVC_STALE, "err_stale", NULL);
    assert_int_equal(unit_get(cli(f), f->u_sy, &u), SVC_OK);
    assert_string_equal(u.name, "沈阳市政府");

    struct user_view v;
    assert_int_equal(user_get(cli(f), f->sy_member, &v), SVC_OK);
    struct user_input up = {.language = "en", .if_updated_at = ""};
    expect(f, user_update(as(f, f->js_coord), f->sy_member, &up), SVC_FORBIDDEN,
           "err_forbidden", NULL);
    expect(f, user_update(as(f, f->ln_coord), f->sy_member, &up), SVC_STALE, "err_stale", NULL);
    up.if_updated_at = v.updated_at;
    expect(f, user_update(as(f, f->ln_coord), f->sy_member, &up), SVC_OK, NULL, NULL);
    up.language = "zh-Hant";
    expect(f, user_update(as(f, f->sy_member), f->sy_member, &up), SVC_STALE, "err_stale", NULL);
    assert_int_equal(user_get(cli(f), f->sy_member, &v), SVC_OK);
    assert_string_equal(v.language, "en");
}

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coordinator_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_and_leader_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_perm_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_never_holds_hashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_update_races_a_role_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_update_keeps_a_concurrent_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unit_update_keeps_a_concurrent_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_update_versions, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    text_shutdown();
    return failed;
}
