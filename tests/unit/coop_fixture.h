/* coop_fixture: the world the cooperation-core tests (test_assignment, test_work_plan,
 * test_report, test_light) act in: a database with the seed plans imported, and units and
 * users of both pairings made with plain SQL (the user service is not needed for this).
 *
 * The database is built once per test program (fx_group_setup) and copied for each test, so
 * every test starts from the same state without paying for the import again.
 *
 *   辽宁–江苏 (pairing lj)                     上海–大连 (pairing sd)
 *   side 0 辽宁                side 1 江苏      side 0 上海            side 1 大连
 *   ln_drc   辽宁省发改委 (coordination)        js_drc 江苏省发改委     sh_coop 上海市合作交流办  dl_drc 大连市发改委
 *   ln_pj    盘锦市人民政府                     js_wx  无锡市人民政府                            dl_com 大连市商务局
 *   ln_com   辽宁省商务厅
 *   ln_group 辽宁省对口合作领导小组 (decision)
 *
 *   users: admin; ln_coord, ln_coord2 (ln_drc); js_coord (js_drc); ln_pj_member (ln_pj);
 *   ln_com_member (ln_com); js_wx_member (js_wx); ln_leader (ln_group); sh_coord (sh_coop);
 *   dl_coord (dl_drc); dl_member (dl_com). */
#ifndef DUIKOU_TEST_COOP_FIXTURE_H
#define DUIKOU_TEST_COOP_FIXTURE_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "ingest/gazetteer.h"
#include "ingest/ingest.h"
#include "service/plan.h"
#include "service/report.h"
#include "service/service.h"
#include "service/work_plan.h"
#include "store/audit.h"
#include "store/db.h"

#define FX_FN static __attribute__((unused))

struct fx {
    char path[160];
    struct db *db;
    struct arena arena;
    struct ctx c;
    int64_t lj, sd; /* province pairings */
    int64_t ln_drc, ln_pj, ln_com, ln_group, js_drc, js_wx, sh_coop, dl_drc, dl_com;
    struct user admin, ln_coord, ln_coord2, js_coord, ln_pj_member, ln_com_member,
        js_wx_member, ln_leader, sh_coord, dl_coord, dl_member;
};

static char fx_dir[64];
static char fx_template[160];

static int64_t fx_scalar_(struct db *db, const char *sql, int64_t a, const char *s)
{
    struct stmt st;
    if (db_prepare(db, &st, sql) < 0)
        return -1;
    if (a)
        db_bind_int64(&st, ":a", a);
    if (s)
        db_bind_text(&st, ":s", s);
    int rc = db_step(&st);
    int64_t v = rc == DB_ROW ? db_col_int64(&st, 0) : -1;
    db_finalize(&st);
    return v;
}

static int64_t fx_unit_(struct db *db, int64_t pairing, int side, const char *name,
                        const char *kind, const char *tier)
{
    struct stmt st;
    db_prepare(db, &st,
               "INSERT INTO unit (pairing_id, side, name, name_key, kind, tier, created_at, "
               "updated_at) VALUES (:p, :side, :name, :name, :kind, :tier, "
               "'2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":side", side);
    db_bind_text(&st, ":name", name);
    db_bind_text(&st, ":kind", kind);
    db_bind_text(&st, ":tier", tier);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? -1 : db_last_insert_id(db);
}

static int64_t fx_user_(struct db *db, int64_t unit, const char *login, const char *role)
{
    struct stmt st;
    db_prepare(db, &st,
               "INSERT INTO users (unit_id, login, name, pw_hash, role, pw_changed_at, "
               "created_at, updated_at) VALUES (:u, :login, :login, 'x', :role, "
               "'2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', "
               "'2027-01-01T00:00:00.000Z')");
    if (unit)
        db_bind_int64(&st, ":u", unit);
    else
        db_bind_null(&st, ":u");
    db_bind_text(&st, ":login", login);
    db_bind_text(&st, ":role", role);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? -1 : db_last_insert_id(db);
}

/* Builds the template database: seed plans, units, users. */
static int fx_group_setup(void **state)
{
    strcpy(fx_dir, "/tmp/duikou-coop-XXXXXX");
    if (!mkdtemp(fx_dir))
        return -1;
    snprintf(fx_template, sizeof fx_template, "%s/template.db", fx_dir);
    struct db *db;
    if (db_open(fx_template, &db, NULL) != 0)
        return -1;
    struct arena a;
    arena_init(&a);
    const char *src = getenv("DUIKOU_SOURCE_DIR");
    char *path = arena_printf(&a, "%s/data/plans/liaoning-jiangsu-shanghai-dalian.txt",
                              src ? src : "..");
    struct ingest_result r;
    ingest_parse_file(&a, path, &r);
    struct ctx c = {.db = db, .arena = &a, .actor = "cli:test"};
    struct plan_import_result *res;
    size_t n;
    int rc = r.ok ? plan_import(&c, &r, NULL, &res, &n) : -1;
    int64_t lj = fx_scalar_(db, "SELECT id FROM pairing WHERE parent_id IS NULL AND "
                                "name_a = '遼寧省'", 0, NULL);
    int64_t sd = fx_scalar_(db, "SELECT id FROM pairing WHERE parent_id IS NULL AND "
                                "name_a = '上海市'", 0, NULL);
    if (rc == 0 && lj > 0 && sd > 0 && db_begin(db) == 0) {
        int64_t ln_drc = fx_unit_(db, lj, 0, "辽宁省发展和改革委员会", "department", "coordination");
        int64_t ln_pj = fx_unit_(db, lj, 0, "盘锦市人民政府", "city", "execution");
        int64_t ln_com = fx_unit_(db, lj, 0, "辽宁省商务厅", "department", "execution");
        int64_t ln_group = fx_unit_(db, lj, 0, "辽宁省对口合作工作领导小组", "government", "decision");
        int64_t js_drc = fx_unit_(db, lj, 1, "江苏省发展和改革委员会", "department", "coordination");
        int64_t js_wx = fx_unit_(db, lj, 1, "无锡市人民政府", "city", "execution");
        int64_t sh_coop = fx_unit_(db, sd, 0, "上海市人民政府合作交流办公室", "department",
                                   "coordination");
        int64_t dl_drc = fx_unit_(db, sd, 1, "大连市发展和改革委员会", "department", "coordination");
        int64_t dl_com = fx_unit_(db, sd, 1, "大连市商务局", "department", "execution");
        fx_user_(db, 0, "admin", "admin");
        fx_user_(db, ln_drc, "ln_coord", "coordinator");
        fx_user_(db, ln_drc, "ln_coord2", "coordinator");
        fx_user_(db, js_drc, "js_coord", "coordinator");
        fx_user_(db, ln_pj, "ln_pj_member", "member");
        fx_user_(db, ln_com, "ln_com_member", "member");
        fx_user_(db, js_wx, "js_wx_member", "member");
        fx_user_(db, ln_group, "ln_leader", "leader");
        fx_user_(db, sh_coop, "sh_coord", "coordinator");
        fx_user_(db, dl_drc, "dl_coord", "coordinator");
        fx_user_(db, dl_com, "dl_member", "member");
        rc = db_commit(db);
    } else {
        rc = -1;
    }
    db_close(db);
    arena_free(&a);
    return rc == 0 ? 0 : -1;
}

static int fx_group_teardown(void **state)
{
    unlink(fx_template);
    rmdir(fx_dir);
    clock_set_offset(0);
    gazetteer_shutdown();
    text_shutdown();
    return 0;
}

static int fx_copy_(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

static void fx_user_load_(struct fx *f, struct user *u, const char *login)
{
    struct stmt st;
    db_prepare(f->db, &st,
               "SELECT s.id, coalesce(s.unit_id, 0), coalesce(u.pairing_id, 0), "
               "coalesce(u.side, -1), s.role, u.name FROM users s "
               "LEFT JOIN unit u ON u.id = s.unit_id WHERE s.login = :login");
    db_bind_text(&st, ":login", login);
    assert_int_equal(db_step(&st), DB_ROW);
    u->id = db_col_int64(&st, 0);
    u->unit_id = db_col_int64(&st, 1);
    u->pairing_id = db_col_int64(&st, 2);
    u->side = (int)db_col_int64(&st, 3);
    const char *role = db_col_text(&st, 4);
    u->role = strcmp(role, "admin") == 0         ? ROLE_ADMIN
              : strcmp(role, "leader") == 0      ? ROLE_LEADER
              : strcmp(role, "coordinator") == 0 ? ROLE_COORDINATOR
                                                 : ROLE_MEMBER;
    u->unit_name = db_col_is_null(&st, 5) ? NULL : arena_strdup(&f->arena, db_col_text(&st, 5));
    db_finalize(&st);
    u->login = arena_strdup(&f->arena, login);
    u->name = u->login;
    u->language = "zh-Hans";
}

static int64_t fx_unit_id_(struct fx *f, const char *name)
{
    return fx_scalar_(f->db, "SELECT id FROM unit WHERE name = :s", 0, name);
}

/* Per test: a fresh copy of the template, the clock at 2027-03-01 12:00 in China. */
static void fx_set_today(const char *date);

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    static int seq;
    snprintf(f->path, sizeof f->path, "%s/t%d.db", fx_dir, ++seq);
    if (fx_copy_(fx_template, f->path) != 0 || db_open(f->path, &f->db, NULL) != 0)
        return -1;
    arena_init(&f->arena);
    f->c.db = f->db;
    f->c.arena = &f->arena;
    f->c.actor = "cli:test";
    f->lj = fx_scalar_(f->db, "SELECT id FROM pairing WHERE parent_id IS NULL AND "
                              "name_a = '遼寧省'", 0, NULL);
    f->sd = fx_scalar_(f->db, "SELECT id FROM pairing WHERE parent_id IS NULL AND "
                              "name_a = '上海市'", 0, NULL);
    f->ln_drc = fx_unit_id_(f, "辽宁省发展和改革委员会");
    f->ln_pj = fx_unit_id_(f, "盘锦市人民政府");
    f->ln_com = fx_unit_id_(f, "辽宁省商务厅");
    f->ln_group = fx_unit_id_(f, "辽宁省对口合作工作领导小组");
    f->js_drc = fx_unit_id_(f, "江苏省发展和改革委员会");
    f->js_wx = fx_unit_id_(f, "无锡市人民政府");
    f->sh_coop = fx_unit_id_(f, "上海市人民政府合作交流办公室");
    f->dl_drc = fx_unit_id_(f, "大连市发展和改革委员会");
    f->dl_com = fx_unit_id_(f, "大连市商务局");
    fx_user_load_(f, &f->admin, "admin");
    fx_user_load_(f, &f->ln_coord, "ln_coord");
    fx_user_load_(f, &f->ln_coord2, "ln_coord2");
    fx_user_load_(f, &f->js_coord, "js_coord");
    fx_user_load_(f, &f->ln_pj_member, "ln_pj_member");
    fx_user_load_(f, &f->ln_com_member, "ln_com_member");
    fx_user_load_(f, &f->js_wx_member, "js_wx_member");
    fx_user_load_(f, &f->ln_leader, "ln_leader");
    fx_user_load_(f, &f->sh_coord, "sh_coord");
    fx_user_load_(f, &f->dl_coord, "dl_coord");
    fx_user_load_(f, &f->dl_member, "dl_member");
    fx_set_today("2027-03-01");
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    db_close(f->db);
    arena_free(&f->arena);
    char p[200];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    clock_set_offset(0);
    return 0;
}

/* Moves the clock so that it is noon of date (YYYY-MM-DD) in China (04:00 UTC). */
static void fx_set_today(const char *date)
{
    struct tm tm = {0};
    assert_int_equal(sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday), 3);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 4;
    int64_t want = (int64_t)timegm(&tm) * 1000;
    clock_set_offset(0);
    clock_set_offset(want - clock_now_ms());
}

/* Acts as u (NULL: the command line) from now on; clears the last error. */
static struct ctx *fx_as(struct fx *f, const struct user *u)
{
    f->c.user = u;
    f->c.actor = u ? arena_printf(&f->arena, "user:%s", u->login) : "cli:test";
    f->c.code = f->c.field = f->c.error = NULL;
    return &f->c;
}

FX_FN int64_t fx_task(struct fx *f, int64_t pairing, int number)
{
    struct stmt st;
    db_prepare(f->db, &st,
               "SELECT t.id FROM task t JOIN plan p ON p.id = t.plan_id "
               "WHERE p.pairing_id = :p AND p.status = 'current' AND t.number = :n");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":n", number);
    assert_int_equal(db_step(&st), DB_ROW);
    int64_t id = db_col_int64(&st, 0);
    db_finalize(&st);
    return id;
}

/* The number of audit rows of action on entity id that have before and/or after. */
FX_FN int64_t fx_audit_count(struct fx *f, const char *action, int64_t id, int need_before,
                             int need_after)
{
    struct stmt st;
    db_prepare(f->db, &st,
               "SELECT count(*) FROM audit WHERE action = :action AND entity_id = :id "
               "AND (:nb = 0 OR before IS NOT NULL) AND (:na = 0 OR after IS NOT NULL)");
    db_bind_text(&st, ":action", action);
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":nb", need_before);
    db_bind_int64(&st, ":na", need_after);
    assert_int_equal(db_step(&st), DB_ROW);
    int64_t n = db_col_int64(&st, 0);
    db_finalize(&st);
    return n;
}

/* before or after (which: 0/1) of the last audit row of action on entity id (arena copy). */
FX_FN const char *fx_audit_last(struct fx *f, const char *action, int64_t id, int which)
{
    struct stmt st;
    db_prepare(f->db, &st,
               "SELECT before, after FROM audit WHERE action = :action AND entity_id = :id "
               "ORDER BY id DESC LIMIT 1");
    db_bind_text(&st, ":action", action);
    db_bind_int64(&st, ":id", id);
    const char *s = NULL;
    if (db_step(&st) == DB_ROW && !db_col_is_null(&st, which))
        s = arena_strdup(&f->arena, db_col_text(&st, which));
    db_finalize(&st);
    return s;
}

FX_FN int64_t fx_audit_total(struct fx *f)
{
    return fx_scalar_(f->db, "SELECT count(*) FROM audit", 0, NULL);
}

FX_FN void fx_audit_intact(struct fx *f)
{
    int64_t bad = 0, rows = 0;
    const char *why = NULL;
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
}

/* Asserts a service call failed with status and message id. */
#define assert_fail(f, call, status, code_)                                                  \
    do {                                                                                     \
        int rc_ = (call);                                                                    \
        if (rc_ != (status) || !(f)->c.code || strcmp((f)->c.code, (code_)) != 0)            \
            fail_msg("%s: got %d %s (%s), want %d %s", #call, rc_,                           \
                     (f)->c.code ? (f)->c.code : "-", (f)->c.error ? (f)->c.error : "",      \
                     (status), (code_));                                                     \
    } while (0)

#define assert_ok(f, call)                                                                   \
    do {                                                                                     \
        int rc_ = (call);                                                                    \
        if (rc_ != SVC_OK)                                                                   \
            fail_msg("%s: got %d %s (%s)", #call, rc_, (f)->c.code ? (f)->c.code : "-",      \
                     (f)->c.error ? (f)->c.error : "");                                      \
    } while (0)

/* Adds an item to plan as admin: title, owner, due, task number (0: none) of the pairing. */
FX_FN int64_t fx_item(struct fx *f, int64_t plan, int64_t pairing, int task, const char *title,
                      int64_t owner, const char *due)
{
    struct work_item_input in = {
        .task_id = task ? fx_task(f, pairing, task) : 0,
        .title = title,
        .owner_unit_id = owner,
        .due = due,
    };
    int64_t id = 0;
    assert_ok(f, work_plan_item_add(fx_as(f, &f->admin), plan, &in, &id));
    return id;
}

/* Submits and has both sides approve plan (by the pairing's coordinators). */
FX_FN void fx_agree(struct fx *f, int64_t plan, const struct user *side0, const struct user *side1)
{
    bool agreed = false;
    assert_ok(f, work_plan_submit(fx_as(f, side0), plan, 0));
    assert_ok(f, work_plan_approve(fx_as(f, side0), plan, 0, 0, &agreed));
    assert_false(agreed);
    assert_ok(f, work_plan_approve(fx_as(f, side1), plan, 1, 0, &agreed));
    assert_true(agreed);
}

/* Submits a report as u: period, status, percent, a short narrative. */
FX_FN int64_t fx_report(struct fx *f, const struct user *u, int64_t item, const char *period,
                        const char *status, int percent)
{
    struct report_input in = {
        .work_item_id = item,
        .period = period,
        .status = status,
        .percent = percent,
        .narrative = "按计划推进。",
    };
    int64_t id = 0;
    assert_ok(f, report_submit(fx_as(f, u), &in, &id));
    return id;
}

#endif
