/* test_group_commit_waiters: the rules by which group commit (src/http/durable.c) answers a
 * request that wrote, through its bookkeeping in src/http/group_commit.c: nothing is
 * acknowledged before a sync that read the write counter after the write; a failed sync
 * fails every waiter and every write it may have covered, for good; a write after the
 * failure waits for a successful heal; waiters beyond a sync's target keep waiting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/group_commit.h"

/* The "connections": resuming one records the order. */
static int resumed[64];
static int n_resumed;

static void resume(void *conn)
{
    resumed[n_resumed++] = *(int *)conn;
}

static void reset(void)
{
    n_resumed = 0;
}

static void test_before_and_after_a_sync(void **state)
{
    (void)state;
    struct gc g;
    gc_init(&g, 10);
    reset();
    assert_int_equal(gc_check(&g, 9), GC_ACK);  /* synced before the server started */
    assert_int_equal(gc_check(&g, 10), GC_ACK);
    assert_int_equal(gc_check(&g, 11), GC_WAIT);

    int c11 = 11, c12 = 12, c13 = 13;
    bool f11 = false, f12 = false, f13 = false;
    gc_add(&g, &c11, 11, &f11);
    gc_add(&g, &c12, 12, &f12);
    gc_add(&g, &c13, 13, &f13);
    /* The syncer read the counter as 12 before syncing: 13 committed after that read, so
     * this sync does not prove it is on disk. */
    assert_int_equal(gc_synced(&g, 12, true, resume), 2);
    assert_int_equal(n_resumed, 2);
    assert_int_equal(resumed[0], 11);
    assert_int_equal(resumed[1], 12);
    assert_false(f11);
    assert_false(f12);
    assert_int_equal(g.n, 1); /* 13 still waits */
    assert_int_equal(gc_check(&g, 12), GC_ACK);
    assert_int_equal(gc_check(&g, 13), GC_WAIT);

    assert_int_equal(gc_synced(&g, 13, true, resume), 1);
    assert_int_equal(resumed[2], 13);
    assert_false(f13);
    assert_int_equal(g.n, 0);
    gc_free(&g);
}

static void test_an_older_target_never_moves_back(void **state)
{
    (void)state;
    struct gc g;
    gc_init(&g, 20);
    reset();
    assert_int_equal(gc_synced(&g, 15, true, resume), 0);
    assert_int_equal(g.durable, 20);
    assert_int_equal(gc_check(&g, 18), GC_ACK);
    gc_free(&g);
}

static void test_a_failed_sync_fails_everyone_for_good(void **state)
{
    (void)state;
    struct gc g;
    gc_init(&g, 0);
    reset();
    int c[4] = {1, 2, 3, 4};
    bool f[4] = {false, false, false, false};
    gc_add(&g, &c[0], 1, &f[0]);
    gc_add(&g, &c[1], 2, &f[1]);
    gc_add(&g, &c[2], 5, &f[2]); /* committed after the sync read the counter */
    /* The sync read 3 and failed: every waiter is released as failed, even 5. */
    assert_int_equal(gc_synced(&g, 3, false, resume), 3);
    assert_true(f[0] && f[1] && f[2]);
    assert_true(g.broken);
    assert_int_equal(g.n, 0);
    /* Writes 1..3 are never acknowledged, even after a successful heal. */
    assert_int_equal(gc_check(&g, 3), GC_FAIL);
    assert_int_equal(gc_check(&g, 4), GC_WAIT); /* may be fine: waits for the heal */
    gc_add(&g, &c[3], 4, &f[3]);
    assert_int_equal(gc_synced(&g, 6, true, resume), 1); /* the heal succeeded */
    assert_false(f[3]);
    assert_false(g.broken);
    assert_int_equal(gc_check(&g, 2), GC_FAIL); /* still: its frames met the failure */
    assert_int_equal(gc_check(&g, 6), GC_ACK);
    gc_free(&g);
}

static void test_a_heal_that_fails_keeps_it_broken(void **state)
{
    (void)state;
    struct gc g;
    gc_init(&g, 0);
    reset();
    int c = 1;
    bool f = false;
    gc_synced(&g, 2, false, resume);
    gc_add(&g, &c, 3, &f);
    gc_synced(&g, 3, false, resume); /* the heal failed too */
    assert_true(f);
    assert_true(g.broken);
    assert_int_equal(gc_check(&g, 3), GC_FAIL);
    gc_free(&g);
}

static void test_the_writer_own_failed_sync(void **state)
{
    (void)state;
    struct gc g;
    gc_init(&g, 5);
    gc_fail_upto(&g, 8); /* a writer synced for itself at the stop, and it failed */
    assert_int_equal(gc_check(&g, 7), GC_FAIL);
    gc_fail_upto(&g, 6); /* never moves back */
    assert_int_equal(gc_check(&g, 8), GC_FAIL);
    assert_int_equal(gc_check(&g, 9), GC_WAIT);
    gc_free(&g);
}

static size_t counted;
static void count(void *conn)
{
    (void)conn;
    counted++;
}

static void test_many_waiters_in_order_of_syncs(void **state)
{
    (void)state;
    struct gc g;
    gc_init(&g, 0);
    static int c[200];
    static bool f[200];
    for (int i = 0; i < 200; i++) {
        c[i] = i;
        gc_add(&g, &c[i], (uint64_t)i + 1, &f[i]);
    }
    assert_int_equal(g.n, 200);
    for (uint64_t t = 50; t <= 200; t += 50) {
        counted = 0;
        assert_int_equal(gc_synced(&g, t, true, count), 50);
        assert_int_equal(counted, 50);
        assert_int_equal(g.n, 200 - t);
    }
    for (int i = 0; i < 200; i++)
        assert_false(f[i]);
    gc_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_and_after_a_sync),
        cmocka_unit_test(test_an_older_target_never_moves_back),
        cmocka_unit_test(test_a_failed_sync_fails_everyone_for_good),
        cmocka_unit_test(test_a_heal_that_fails_keeps_it_broken),
        cmocka_unit_test(test_the_writer_own_failed_sync),
        cmocka_unit_test(test_many_waiters_in_order_of_syncs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
