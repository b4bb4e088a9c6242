/* test_plan_upload: a plan file waiting for its confirmation (service/plan_upload.c). The
 * preview stores no plan; it expires after PLAN_UPLOAD_TTL_MINUTES (the clock moved, not
 * waited for) and an expired one is neither shown nor confirmed, and is removed by the next
 * upload; an upload is its admin's alone; confirming imports it once. Showing a preview
 * again writes nothing; a confirmation decides against the plans as they are then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "ingest/gazetteer.h"
#include "service/plan_upload.h"
#include "service/region.h"
#include "service/service.h"
#include "service/user.h"
#include "store/db.h"
#include "test_util.h"

struct fixture {
    char dir[TU_DIR_MAX], path[TU_PATH_MAX];
    struct db *db;
    struct arena arena;
    struct ctx ctx;
    struct user acting;
    int64_t root, other;
    char *seed;
    size_t seed_len;
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
    return &f->ctx;
}

static int64_t admin(struct fixture *f, const char *login)
{
    struct user_input in = {.login = login, .role = "admin", .password = "correct horse battery"};
    int64_t id = 0;
    if (user_create(cli(f), &in, &id) != SVC_OK)
        fail_msg("user %s: %s", login, f->ctx.error);
    return id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "plan-upload", "test.db", &f->db) != 0)
        return -1;
    arena_init(&f->arena);
    if (region_sync(cli(f), NULL) != SVC_OK) /* as duikou init does */
        return -1;
    f->root = admin(f, "root");
    f->other = admin(f, "root2");
    const char *src = getenv("DUIKOU_SOURCE_DIR");
    FILE *in = fopen(arena_printf(&f->arena, "%s/data/plans/liaoning-jiangsu-shanghai-dalian.txt",
                                  src ? src : ".."),
                     "rb");
    if (!in)
        return -1;
    f->seed = arena_alloc(&f->arena, 1 << 20);
    f->seed_len = fread(f->seed, 1, (1 << 20) - 1, in);
    fclose(in);
    clock_set_offset(0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    clock_set_offset(0);
    arena_free(&f->arena);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

static void expires_and_belongs_to_its_admin(void **state)
{
    struct fixture *f = *state;
    struct plan_upload_view v;
    int64_t audit = tu_one_int(f->db, "SELECT count(*) FROM audit");
    assert_int_equal(plan_upload_preview(as(f, f->root), "plan.txt", f->seed, f->seed_len, &v),
                     SVC_OK);
    int64_t id = v.id;
    assert_int_equal(v.n_results, 2);
    assert_string_equal(v.results[0].status, "new");
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan"), 0);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM audit"), audit);

    /* another admin does not see it; the command line has no uploads */
    assert_int_equal(plan_upload_get(as(f, f->other), id, &v), SVC_NOT_FOUND);
    assert_string_equal(f->ctx.code, "err_plan_upload_gone");
    assert_int_equal(plan_upload_get(cli(f), id, &v), SVC_FORBIDDEN);

    /* kept for its time, then gone */
    clock_set_offset((int64_t)(PLAN_UPLOAD_TTL_MINUTES - 1) * 60000);
    assert_int_equal(plan_upload_get(as(f, f->root), id, &v), SVC_OK);
    clock_set_offset((int64_t)(PLAN_UPLOAD_TTL_MINUTES + 1) * 60000);
    assert_int_equal(plan_upload_get(as(f, f->root), id, &v), SVC_NOT_FOUND);
    assert_string_equal(f->ctx.code, "err_plan_upload_gone");
    struct plan_import_result *res;
    size_t n;
    assert_int_equal(plan_upload_confirm(as(f, f->root), id, &res, &n), SVC_NOT_FOUND);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan"), 0);

    /* the next upload removes the expired one; confirming imports once */
    assert_int_equal(plan_upload_preview(as(f, f->root), NULL, f->seed, f->seed_len, &v), SVC_OK);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan_upload"), 1);
    assert_int_equal(plan_upload_confirm(as(f, f->root), v.id, &res, &n), SVC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(res[1].status, "new");
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan"), 2);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan_upload"), 0);
    assert_int_equal(plan_upload_confirm(as(f, f->root), v.id, &res, &n), SVC_NOT_FOUND);
}

/* Showing the preview again writes nothing (a GET never writes): no statement changes a row,
 * even one rolled back, and no audit row. A confirmation after another import decides against
 * the data of then, not what the preview said. */
static void preview_shown_without_writing(void **state)
{
    struct fixture *f = *state;
    struct plan_upload_view v;
    assert_int_equal(plan_upload_preview(as(f, f->root), "plan.txt", f->seed, f->seed_len, &v),
                     SVC_OK);
    int64_t id = v.id;
    int64_t audit = tu_one_int(f->db, "SELECT count(*) FROM audit");
    int64_t changes = tu_one_int(f->db, "SELECT total_changes()");
    assert_int_equal(plan_upload_get(as(f, f->root), id, &v), SVC_OK);
    assert_int_equal(tu_one_int(f->db, "SELECT total_changes()"), changes);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM audit"), audit);
    assert_int_equal(v.n_results, 2);
    assert_string_equal(v.results[0].status, "new");
    assert_int_equal(v.parsed.n_plans, 2);
    assert_null(v.refusal);

    /* another admin imports the same file meanwhile */
    struct plan_upload_view w;
    assert_int_equal(plan_upload_preview(as(f, f->other), NULL, f->seed, f->seed_len, &w), SVC_OK);
    struct plan_import_result *res;
    size_t n;
    assert_int_equal(plan_upload_confirm(as(f, f->other), w.id, &res, &n), SVC_OK);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan"), 2);
    /* the kept preview still says what it said on the upload; confirming stores nothing more */
    assert_int_equal(plan_upload_get(as(f, f->root), id, &v), SVC_OK);
    assert_string_equal(v.results[0].status, "new");
    audit = tu_one_int(f->db, "SELECT count(*) FROM audit");
    assert_int_equal(plan_upload_confirm(as(f, f->root), id, &res, &n), SVC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(res[0].status, "unchanged");
    assert_string_equal(res[1].status, "unchanged");
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan"), 2);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan_upload"), 0);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM audit"), audit);
}

static void refuses_what_is_not_a_plan(void **state)
{
    struct fixture *f = *state;
    struct plan_upload_view v;
    assert_int_equal(plan_upload_preview(as(f, f->root), "x.pdf", "%PDF-1.4\n%%EOF\n", 15, &v),
                     SVC_INVALID);
    assert_string_equal(f->ctx.code, "err_plan_file_bad_pdf");
    assert_int_equal(plan_upload_preview(as(f, f->root), "x.txt", "", 0, &v), SVC_INVALID);
    assert_string_equal(f->ctx.code, "err_plan_file_empty");
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM plan_upload"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(expires_and_belongs_to_its_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(preview_shown_without_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_what_is_not_a_plan, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    gazetteer_shutdown();
    text_shutdown();
    return rc;
}
