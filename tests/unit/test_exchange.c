/* test_exchange: 干部挂职 · 培训 · 人才交流 (service/exchange.c) — the 居民身份证号码 check
 * character and phone rules; each kind's rules, each bad input refused with its field and
 * nothing stored; who records, who reads, and who alone sees the sealed ID number and phone;
 * audit rows that never hold them; stale edits; "in post" and "returning" by the plans'
 * today; counts per kind and side that agree with the list, with the served task's targets;
 * a database whose data key is missing reads as unavailable and stores no personal data. */
#include "coop_fixture.h"

#include "core/seal.h"
#include "service/exchange.h"

static const struct seal_key test_key = {.key = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                                 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
                                                 25, 26, 27, 28, 29, 30, 31, 32}};

static int setup(void **state)
{
    seal_use_key(&test_key);
    return fx_setup(state);
}

static int64_t count(struct fx *f, const char *sql)
{
    return fx_scalar_(f->db, sql, 0, NULL);
}

/* GB 11643-1999's own example, and one made here from 17 digits. */
#define ID_EXAMPLE "11010519491231002X"
static const char *id_of(struct fx *f, const char *first17)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * w[i];
    return arena_printf(&f->arena, "%s%c", first17, "10X98765432"[sum % 11]);
}

static struct exchange_input secondment(struct fx *f, const char *name, const char *starts,
                                        const char *ends)
{
    struct exchange_input in;
    exchange_input_init(&in);
    in.kind = "secondment";
    in.title = "盘锦干部赴无锡挂职";
    in.person_name = name;
    in.from_unit_id = f->ln_pj;
    in.host_unit_id = f->js_wx;
    in.post = "无锡市发改委副主任";
    in.field = "放管服改革";
    in.starts = starts;
    in.ends = ends;
    return in;
}

static struct exchange_input counted(const char *kind, int side, int64_t a, int64_t b)
{
    struct exchange_input in;
    exchange_input_init(&in);
    in.kind = kind;
    in.title = "交流";
    in.side = side;
    in.starts = "2027-03-10";
    in.count_a = a;
    in.count_b = b;
    return in;
}

static void test_id_number_and_phone(void **state)
{
    struct fx *f = *state;
    char out[19];
    assert_true(exchange_id_number_normalise(ID_EXAMPLE, out));
    assert_string_equal(out, ID_EXAMPLE);
    /* lower-case x, full-width digits and spaces as people type them */
    assert_true(exchange_id_number_normalise(" 110105 19491231 002x ", out));
    assert_string_equal(out, ID_EXAMPLE);
    assert_true(exchange_id_number_normalise("１１０１０５１９４９１２３１００２X", out));
    assert_string_equal(out, ID_EXAMPLE);
    const char *mine = id_of(f, "21110219850312741");
    assert_true(exchange_id_number_normalise(mine, out));
    /* every other check character is wrong */
    for (const char *c = "0123456789X"; *c; c++) {
        char *bad = arena_strdup(&f->arena, mine);
        bad[17] = *c;
        assert_int_equal(exchange_id_number_normalise(bad, out), *c == mine[17]);
    }
    assert_false(exchange_id_number_normalise("11010519491231002", out)); /* 17 */
    assert_false(exchange_id_number_normalise("11010519491231002X1", out));
    assert_false(exchange_id_number_normalise("1101051949123100X2", out)); /* X inside */
    assert_false(exchange_id_number_normalise(id_of(f, "11010519491301002"), out)); /* month 13 */
    assert_false(exchange_id_number_normalise(id_of(f, "11010518990101002"), out)); /* 1899 */
    assert_false(exchange_id_number_normalise(NULL, out));
    assert_string_equal(out, "");
    assert_true(exchange_phone_valid("13800138000"));
    assert_true(exchange_phone_valid("+86-411-8888"));
    assert_true(exchange_phone_valid("12345"));
    assert_false(exchange_phone_valid("1234"));
    assert_false(exchange_phone_valid("123456789012345678901"));
    assert_false(exchange_phone_valid("0411 8888 888"));
    assert_false(exchange_phone_valid("138-abc"));
}

static void test_record_and_personal_data(void **state)
{
    struct fx *f = *state;
    struct exchange_input in = secondment(f, "王晓明", "2027-02-01", "2028-01-31");
    in.id_number = "11010519491231002x";
    in.phone = "13800138000";
    int64_t id = 0;
    assert_ok(f, exchange_create(fx_as(f, &f->ln_coord), &in, &id));
    /* stored sealed: neither the plain text nor its date of birth is in the row */
    assert_int_equal(count(f, "SELECT count(*) FROM exchange WHERE id_number_sealed LIKE 'v1:%' "
                              "AND phone_sealed LIKE 'v1:%' AND id_number_sealed NOT LIKE "
                              "'%19491231%' AND phone_sealed NOT LIKE '%13800138000%'"),
                     1);
    assert_int_equal(count(f, "SELECT count(*) FROM exchange WHERE side = 0 AND count_a = 1 AND "
                              "count_b = 0 AND year = 2027"),
                     1);
    /* the audit row says it is sealed, never what it is */
    const char *after = fx_audit_last(f, "exchange.create", id, 1);
    assert_non_null(after);
    assert_non_null(strstr(after, "\"id_number_sealed\":true"));
    assert_non_null(strstr(after, "\"phone_sealed\":true"));
    assert_null(strstr(after, "19491231"));
    assert_null(strstr(after, "13800138000"));
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE after LIKE '%19491231%' OR "
                              "after LIKE '%13800138000%'"),
                     0);

    struct exchange_view v;
    const struct user *see[] = {&f->ln_coord, &f->ln_coord2, &f->admin, NULL};
    for (size_t i = 0; i < sizeof see / sizeof *see; i++) {
        assert_ok(f, exchange_get(fx_as(f, see[i]), id, &v));
        assert_true(v.personal_visible);
        assert_false(v.personal_unavailable);
        assert_string_equal(v.id_number, ID_EXAMPLE);
        assert_string_equal(v.phone, "13800138000");
    }
    assert_true(v.in_post);
    assert_false(v.returning);
    const struct user *blind[] = {&f->js_coord, &f->ln_leader, &f->ln_pj_member, &f->js_wx_member,
                                  &f->ln_com_member};
    for (size_t i = 0; i < sizeof blind / sizeof *blind; i++) {
        assert_ok(f, exchange_get(fx_as(f, blind[i]), id, &v));
        assert_string_equal(v.person_name, "王晓明");
        assert_false(v.personal_visible);
        assert_false(v.personal_unavailable);
        assert_null(v.id_number);
        assert_null(v.phone);
    }
    assert_fail(f, exchange_get(fx_as(f, &f->dl_coord), id, &v), SVC_NOT_FOUND, "err_not_found");
    assert_fail(f, exchange_get(fx_as(f, &f->sh_coord), 999999, &v), SVC_NOT_FOUND,
                "err_not_found");

    /* the other side's lead office edits the exchange, not the data, nor moves it to itself */
    struct exchange_input e;
    exchange_input_init(&e);
    e.phone = "13900139000";
    assert_fail(f, exchange_edit(fx_as(f, &f->js_coord), id, &e), SVC_FORBIDDEN,
                "err_exchange_personal_forbidden");
    assert_string_equal(f->c.field, "phone");
    exchange_input_init(&e);
    e.from_unit_id = f->js_wx;
    e.host_unit_id = f->ln_pj;
    assert_fail(f, exchange_edit(fx_as(f, &f->js_coord), id, &e), SVC_FORBIDDEN,
                "err_exchange_personal_forbidden");
    exchange_input_init(&e);
    e.post = "无锡市发改委主任助理";
    assert_ok(f, exchange_edit(fx_as(f, &f->js_coord), id, &e));
    /* a new phone: the stored sealed text moves, the audit row says so and nothing more */
    int64_t audits = fx_audit_total(f);
    exchange_input_init(&e);
    e.phone = "13900139000";
    e.id_number = ID_EXAMPLE; /* the same: kept as sealed */
    assert_ok(f, exchange_edit(fx_as(f, &f->ln_coord), id, &e));
    assert_int_equal(fx_audit_total(f), audits + 1);
    after = fx_audit_last(f, "exchange.update", id, 1);
    assert_non_null(strstr(after, "\"personal_changed\":true"));
    assert_null(strstr(after, "13900139000"));
    assert_ok(f, exchange_get(fx_as(f, &f->ln_coord), id, &v));
    assert_string_equal(v.phone, "13900139000");
    assert_string_equal(v.id_number, ID_EXAMPLE);
    /* the same input again changes nothing and writes no audit row */
    assert_ok(f, exchange_edit(fx_as(f, &f->ln_coord), id, &e));
    assert_int_equal(fx_audit_total(f), audits + 1);
    /* cleared */
    exchange_input_init(&e);
    e.phone = "";
    assert_ok(f, exchange_edit(fx_as(f, &f->ln_coord), id, &e));
    assert_int_equal(count(f, "SELECT count(*) FROM exchange WHERE phone_sealed IS NULL AND "
                              "id_number_sealed IS NOT NULL"),
                     1);
    fx_audit_intact(f);
}

static void test_bad_input_stores_nothing(void **state)
{
    struct fx *f = *state;
    struct ctx *c = fx_as(f, &f->ln_coord);
    int64_t audits = fx_audit_total(f), id = 0;
    struct exchange_input in;
#define REFUSED(field_, code_)                                                               \
    do {                                                                                     \
        assert_fail(f, exchange_create(c, &in, &id), SVC_INVALID, code_);                    \
        assert_string_equal(f->c.field, field_);                                             \
    } while (0)
    in = secondment(f, "甲", "2027-03-01", "2027-02-28");
    REFUSED("ends", "err_exchange_ends");
    in = secondment(f, "甲", "2027-3-1", NULL);
    REFUSED("starts", "err_date");
    in = secondment(f, "甲", "1999-03-01", NULL);
    REFUSED("starts", "err_range");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.host_unit_id = f->ln_com; /* same side */
    REFUSED("host_unit_id", "err_exchange_host_side");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.from_unit_id = f->dl_com; /* another pairing */
    REFUSED("from_unit_id", "err_unit_unknown");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.host_unit_id = 0;
    REFUSED("host_unit_id", "err_required");
    in = secondment(f, NULL, "2027-03-01", NULL);
    REFUSED("person_name", "err_required");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.side = 1;
    REFUSED("side", "err_exchange_side");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.count_b = 3;
    REFUSED("count_a", "err_exchange_count_secondment");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.id_number = "110105194912310021";
    REFUSED("id_number", "err_id_number");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.phone = "138 0013 8000";
    REFUSED("phone", "err_phone");
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.kind = "tourism";
    REFUSED("kind", "err_exchange_kind");
    in = counted("training", -1, 3, 0);
    REFUSED("side", "err_required");
    in = counted("training", 0, 0, 0);
    REFUSED("count_a", "err_exchange_count");
    in = counted("training", 0, EXCHANGE_COUNT_MAX + 1, 0);
    REFUSED("count_a", "err_range");
    in = counted("training", 0, 3, 0);
    in.id_number = ID_EXAMPLE;
    REFUSED("id_number", "err_exchange_personal");
    in = counted("training", 0, 1, 0);
    const char *names[] = {"甲", "乙"};
    in.names = names;
    in.n_names = 2;
    in.set_names = true;
    REFUSED("names", "err_exchange_names");
    in = counted("talent", 0, 1, 0);
    in.task_id = fx_task(f, f->sd, 25); /* another pairing's task */
    REFUSED("task_id", "err_task_unknown");
    in = counted("talent", 0, 1, 0);
    in.title = "  ";
    REFUSED("title", "err_required");
    /* who may not record */
    in = counted("talent", 0, 1, 0);
    assert_fail(f, exchange_create(fx_as(f, &f->ln_pj_member), &in, &id), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, exchange_create(fx_as(f, &f->ln_leader), &in, &id), SVC_FORBIDDEN,
                "err_forbidden");
    in.pairing_id = f->lj;
    assert_fail(f, exchange_create(fx_as(f, &f->dl_coord), &in, &id), SVC_FORBIDDEN,
                "err_forbidden");
    /* personal data typed by the other side's lead office */
    in = secondment(f, "甲", "2027-03-01", NULL);
    in.id_number = ID_EXAMPLE;
    assert_fail(f, exchange_create(fx_as(f, &f->js_coord), &in, &id), SVC_FORBIDDEN,
                "err_exchange_personal_forbidden");
    assert_int_equal(count(f, "SELECT count(*) FROM exchange"), 0);
    assert_int_equal(fx_audit_total(f), audits);
#undef REFUSED
}

static void test_stale_edit_and_fixed_kind(void **state)
{
    struct fx *f = *state;
    struct exchange_input in = counted("expert", 0, 2, 0);
    int64_t id = 0;
    assert_ok(f, exchange_create(fx_as(f, &f->js_coord), &in, &id));
    struct exchange_view v;
    assert_ok(f, exchange_get(fx_as(f, &f->ln_coord), id, &v));
    const char *seen = v.updated_at;
    struct exchange_input e;
    exchange_input_init(&e);
    e.place = "沈阳";
    e.if_updated_at = seen;
    assert_ok(f, exchange_edit(fx_as(f, &f->ln_coord), id, &e));
    e.place = "大连";
    assert_fail(f, exchange_edit(fx_as(f, &f->js_coord), id, &e), SVC_STALE, "err_stale");
    exchange_input_init(&e);
    e.kind = "teacher";
    assert_fail(f, exchange_edit(fx_as(f, &f->ln_coord), id, &e), SVC_INVALID, "err_fixed");
    exchange_input_init(&e);
    e.place = "x";
    assert_fail(f, exchange_edit(fx_as(f, &f->ln_pj_member), id, &e), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, exchange_edit(fx_as(f, &f->sh_coord), id, &e), SVC_NOT_FOUND, "err_not_found");
    assert_ok(f, exchange_get(fx_as(f, &f->ln_pj_member), id, &v));
    assert_string_equal(v.place, "沈阳");
    assert_int_equal(fx_audit_count(f, "exchange.update", id, 1, 1), 1);
}

static void test_now_returning_and_counts(void **state)
{
    struct fx *f = *state; /* today is 2027-03-01 in China */
    struct ctx *c = fx_as(f, &f->ln_coord);
    struct {
        const char *name, *starts, *ends;
        bool now, returning;
    } cases[] = {
        {"甲", "2026-09-01", "2027-03-05", true, true},   /* ends within 30 days */
        {"乙", "2026-09-01", "2027-03-01", true, true},   /* ends today */
        {"丙", "2027-02-01", "2027-03-31", true, true},   /* the 30th day */
        {"丁", "2027-02-01", "2027-04-01", true, false},  /* the 31st */
        {"戊", "2027-02-01", NULL, true, false},          /* no end given */
        {"己", "2026-03-01", "2027-02-28", false, false}, /* ended yesterday */
        {"庚", "2027-03-02", "2027-03-20", false, false}, /* starts tomorrow */
    };
    int64_t ids[7];
    for (size_t i = 0; i < 7; i++) {
        struct exchange_input in = secondment(f, cases[i].name, cases[i].starts, cases[i].ends);
        assert_ok(f, exchange_create(c, &in, &ids[i]));
    }
    /* a Jiangsu secondee to Liaoning, and the other kinds */
    struct exchange_input in = secondment(f, "辛", "2027-01-10", "2027-12-31");
    in.from_unit_id = f->js_wx;
    in.host_unit_id = f->ln_pj;
    int64_t js_id;
    assert_ok(f, exchange_create(fx_as(f, &f->js_coord), &in, &js_id));
    in = counted("training", 1, 40, 5);
    in.task_id = fx_task(f, f->lj, 4); /* its targets: 不少于50家企业 … */
    int64_t id;
    assert_ok(f, exchange_create(c, &in, &id));
    in = counted("student", 0, 20, 18);
    assert_ok(f, exchange_create(c, &in, &id));
    in = counted("teacher", 1, 0, 6);
    in.starts = "2026-05-01"; /* last year */
    assert_ok(f, exchange_create(c, &in, &id));

    struct exchange_filter fl = {.kind = -1, .side = -1, .now = true};
    struct exchange_view *v;
    size_t n;
    assert_ok(f, exchange_list(fx_as(f, &f->js_wx_member), &fl, &v, &n));
    assert_int_equal(n, 6); /* 甲 乙 丙 丁 戊 and 辛 */
    for (size_t i = 0; i < n; i++) {
        assert_true(v[i].in_post);
        assert_int_equal(v[i].kind, EXCHANGE_SECONDMENT);
    }
    assert_string_equal(v[0].person_name, "乙"); /* by end date */
    fl.returning = true;
    assert_ok(f, exchange_list(fx_as(f, &f->js_wx_member), &fl, &v, &n));
    assert_int_equal(n, 3);
    assert_string_equal(v[0].person_name, "乙");
    assert_string_equal(v[1].person_name, "甲");
    assert_string_equal(v[2].person_name, "丙");
    struct exchange_filter all = {.kind = -1, .side = -1};
    assert_ok(f, exchange_list(fx_as(f, &f->ln_leader), &all, &v, &n));
    assert_int_equal(n, 11);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < 7; k++)
            if (v[i].id == ids[k]) {
                assert_int_equal(v[i].in_post, cases[k].now);
                assert_int_equal(v[i].returning, cases[k].returning);
            }
    struct exchange_filter side1 = {.kind = -1, .side = 1, .year = 2027};
    assert_ok(f, exchange_list(fx_as(f, &f->ln_leader), &side1, &v, &n));
    assert_int_equal(n, 2); /* 辛 and the training */
    struct exchange_filter other = {.kind = -1, .side = -1, .pairing_id = f->lj};
    assert_fail(f, exchange_list(fx_as(f, &f->dl_coord), &other, &v, &n), SVC_NOT_FOUND,
                "err_not_found");
    /* the next day, 乙 has returned */
    fx_set_today("2027-03-02");
    fl.returning = false;
    assert_ok(f, exchange_list(fx_as(f, &f->ln_coord), &fl, &v, &n));
    assert_int_equal(n, 6); /* 乙 gone, 庚 arrived */

    struct exchange_counts cn;
    assert_ok(f, exchange_counts(fx_as(f, &f->js_coord), 0, 2027, &cn));
    assert_int_equal(cn.pairing_id, f->lj);
    /* 2027's secondments: 丙 丁 戊 庚 of Liaoning, 辛 of Jiangsu (甲 乙 己 began in 2026) */
    assert_int_equal(cn.kind[EXCHANGE_SECONDMENT].entries, 5);
    assert_int_equal(cn.kind[EXCHANGE_SECONDMENT].people[0], 4);
    assert_int_equal(cn.kind[EXCHANGE_SECONDMENT].people[1], 1);
    assert_int_equal(cn.kind[EXCHANGE_TRAINING].people[0], 40);
    assert_int_equal(cn.kind[EXCHANGE_TRAINING].people[1], 5);
    assert_int_equal(cn.kind[EXCHANGE_STUDENT].people[1], 18);
    assert_int_equal(cn.kind[EXCHANGE_TEACHER].entries, 0);
    assert_int_equal(cn.people[0], 4 + 40 + 20);
    assert_int_equal(cn.people[1], 1 + 5 + 18);
    assert_int_equal(cn.kind[EXCHANGE_TRAINING].n_targets, 3);
    bool fifty = false;
    for (size_t i = 0; i < cn.kind[EXCHANGE_TRAINING].n_targets; i++)
        fifty = fifty || (cn.kind[EXCHANGE_TRAINING].targets[i].min == 50 &&
                          cn.kind[EXCHANGE_TRAINING].targets[i].task_number == 4);
    assert_true(fifty);
    assert_int_equal(cn.kind[EXCHANGE_SECONDMENT].n_targets, 0);
    assert_ok(f, exchange_counts(fx_as(f, &f->ln_pj_member), 0, 2026, &cn));
    assert_int_equal(cn.kind[EXCHANGE_TEACHER].people[1], 6);
    assert_int_equal(cn.kind[EXCHANGE_SECONDMENT].entries, 3); /* 甲 乙 己 */
    assert_fail(f, exchange_counts(fx_as(f, &f->dl_coord), f->lj, 2027, &cn), SVC_NOT_FOUND,
                "err_not_found");
    /* the year's list agrees with its counts */
    struct exchange_filter y = {.kind = -1, .side = -1, .year = 2027};
    assert_ok(f, exchange_list(fx_as(f, &f->ln_leader), &y, &v, &n));
    assert_ok(f, exchange_counts(fx_as(f, &f->ln_leader), 0, 2027, &cn));
    int64_t a = 0, b = 0;
    for (size_t i = 0; i < n; i++)
        a += v[i].count_a, b += v[i].count_b;
    assert_int_equal(a, cn.people[0]);
    assert_int_equal(b, cn.people[1]);
}

static void test_without_the_key(void **state)
{
    struct fx *f = *state;
    struct exchange_input in = secondment(f, "王晓明", "2027-02-01", NULL);
    in.id_number = ID_EXAMPLE;
    int64_t id;
    assert_ok(f, exchange_create(fx_as(f, &f->ln_coord), &in, &id));
    /* another key (a database copied beside another key file): unavailable, no crash */
    struct seal_key other = test_key;
    other.key[0] ^= 1;
    seal_use_key(&other);
    struct exchange_view v;
    assert_ok(f, exchange_get(fx_as(f, &f->ln_coord), id, &v));
    assert_true(v.personal_visible);
    assert_true(v.personal_unavailable);
    assert_null(v.id_number);
    assert_string_equal(v.person_name, "王晓明");
    /* no key at all: reading works, storing personal data is refused, storing the rest not */
    seal_use_key(NULL);
    assert_ok(f, exchange_get(fx_as(f, &f->admin), id, &v));
    assert_true(v.personal_unavailable);
    in = secondment(f, "李红", "2027-02-01", NULL);
    in.phone = "13800138000";
    assert_fail(f, exchange_create(fx_as(f, &f->ln_coord), &in, &id), SVC_CONFLICT,
                "err_data_key");
    in.phone = NULL;
    assert_ok(f, exchange_create(fx_as(f, &f->ln_coord), &in, &id));
    /* an edit that does not touch the personal data keeps it sealed as it was */
    struct exchange_input e;
    exchange_input_init(&e);
    e.post = "副主任";
    int64_t first = count(f, "SELECT min(id) FROM exchange");
    assert_ok(f, exchange_edit(fx_as(f, &f->ln_coord), first, &e));
    seal_use_key(&test_key);
    assert_ok(f, exchange_get(fx_as(f, &f->ln_coord), first, &v));
    assert_string_equal(v.id_number, ID_EXAMPLE);
    assert_string_equal(v.post, "副主任");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_id_number_and_phone, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_record_and_personal_data, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_stores_nothing, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stale_edit_and_fixed_kind, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_now_returning_and_counts, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_without_the_key, setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
