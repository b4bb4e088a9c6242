/* test_ratelimit: token buckets refill with the (moved) clock, keys are independent, memory
 * stays bounded while recently used keys keep their state, and concurrent takers never get
 * more than the bucket holds. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "core/clock.h"
#include "http/http.h"

static int64_t offset;

/* Moves the program's clock forward by ms. */
static void advance(int64_t ms)
{
    offset += ms;
    clock_set_offset(offset);
}

static int teardown(void **state)
{
    offset = 0;
    clock_set_offset(0);
    return 0;
}

static void test_refill(void **state)
{
    /* 1 per second, burst 3 */
    struct ratelimit *rl = ratelimit_new(1.0, 3, 1000);
    assert_int_equal(ratelimit_take(rl, "a"), 0);
    assert_int_equal(ratelimit_take(rl, "a"), 0);
    assert_int_equal(ratelimit_take(rl, "a"), 0);
    assert_int_equal(ratelimit_take(rl, "a"), 1); /* empty: back in a second */
    assert_int_equal(ratelimit_take(rl, "b"), 0); /* keys are independent */
    advance(500);
    assert_int_equal(ratelimit_take(rl, "a"), 1); /* half a token: still wait (rounded up) */
    advance(500);
    assert_int_equal(ratelimit_take(rl, "a"), 0);
    assert_int_equal(ratelimit_take(rl, "a"), 1);
    advance(60000); /* refills to the burst, not beyond */
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(rl, "a"), 0);
    assert_int_equal(ratelimit_take(rl, "a"), 1);
    ratelimit_free(rl);
}

static void test_per_minute(void **state)
{
    /* sign-in style: 10 per minute, burst 10 */
    struct ratelimit *rl = ratelimit_new(10 / 60.0, 10, 1000);
    for (int i = 0; i < 10; i++)
        assert_int_equal(ratelimit_take(rl, "192.0.2.7"), 0);
    assert_int_equal(ratelimit_take(rl, "192.0.2.7"), 6); /* Retry-After: 6 s */
    advance(3000);
    assert_int_equal(ratelimit_take(rl, "192.0.2.7"), 3);
    advance(3000);
    assert_int_equal(ratelimit_take(rl, "192.0.2.7"), 0);
    assert_int_equal(ratelimit_take(rl, "192.0.2.7"), 6);
    /* a clock moved backwards neither refills nor breaks anything */
    advance(-3600 * 1000);
    assert_true(ratelimit_take(rl, "192.0.2.7") >= 1);
    advance(3600 * 1000 + 6000);
    assert_int_equal(ratelimit_take(rl, "192.0.2.7"), 0);
    ratelimit_free(rl);
}

static void test_bounded(void **state)
{
    /* 1 per hour, burst 1: a bucket touched once stays "in use" for an hour */
    struct ratelimit *rl = ratelimit_new(1 / 3600.0, 1, 256);
    char key[32];
    assert_int_equal(ratelimit_take(rl, "victim"), 0);
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "10.0.%d.%d", i / 256, i % 256);
        assert_int_equal(ratelimit_take(rl, key), 0);
        /* the victim keeps coming back, so it stays among the most recent */
        if (i % 16 == 0)
            assert_true(ratelimit_take(rl, "victim") > 0);
        advance(1);
    }
    assert_true(ratelimit_keys(rl) <= 16 * 64); /* the table never grows */
    assert_true(ratelimit_take(rl, "victim") > 0);

    /* buckets that refilled are dropped first, and forgetting them changes nothing */
    advance(2 * 3600 * 1000);
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(ratelimit_take(rl, key), 0);
    }
    assert_true(ratelimit_keys(rl) <= 16 * 64);
    ratelimit_free(rl);
}

struct race {
    struct ratelimit *rl;
    int allowed;
};

static void *taker(void *arg)
{
    struct race *r = arg;
    for (int i = 0; i < 5000; i++)
        if (ratelimit_take(r->rl, "shared") == 0)
            r->allowed++;
    return NULL;
}

static void test_threads(void **state)
{
    /* almost no refill: exactly the burst is handed out, however the threads interleave */
    struct ratelimit *rl = ratelimit_new(1e-9, 1000, 1000);
    struct race races[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        races[i] = (struct race){rl, 0};
        pthread_create(&th[i], NULL, taker, &races[i]);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        total += races[i].allowed;
    }
    assert_int_equal(total, 1000);
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_refill, teardown),
        cmocka_unit_test_teardown(test_per_minute, teardown),
        cmocka_unit_test_teardown(test_bounded, teardown),
        cmocka_unit_test_teardown(test_threads, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
