/* test_enterprise: 企业库 — recording with a checked credit code, unique in the pairing; each
 * bad input refused with its field and nothing stored; who records, edits, reads; who sees
 * the contact (the side's coordinators, the organisers it registered with, an admin) and
 * that the audit log never holds it; stale edits; lists by name in either script, by section,
 * by side, in keyset pages; merging two records with their registrations and outcomes. */
#include "coop_fixture.h"

#include "core/credit_code.h"
#include "service/enterprise.h"

static struct enterprise_input input(const char *name)
{
    struct enterprise_input in;
    memset(&in, 0, sizeof in);
    in.side = -1;
    in.name = name;
    return in;
}

static int64_t count(struct fx *f, const char *sql)
{
    return fx_scalar_(f->db, sql, 0, NULL);
}

static int64_t count_of(struct fx *f, const char *sql, int64_t a)
{
    return fx_scalar_(f->db, sql, a, NULL);
}

/* A valid credit code made from 17 characters. */
static const char *code(struct fx *f, const char *first17)
{
    return arena_printf(&f->arena, "%s%c", first17, credit_code_check_char(first17));
}

static int64_t create_as(struct fx *f, const struct user *u, struct enterprise_input in)
{
    int64_t id = 0;
    assert_ok(f, enterprise_create(fx_as(f, u), &in, &id));
    assert_true(id > 0);
    return id;
}

static void test_create_and_read(void **state)
{
    struct fx *f = *state;
    struct enterprise_input in = input("盘锦辽河油田装备制造有限公司");
    in.credit_code = code(f, "91211100MA0P12345");
    in.region_code = "211100";
    in.industry = "35";
    in.size = "medium";
    in.contact_name = "王经理";
    in.contact_phone = "0427-1234567";
    int64_t id = create_as(f, &f->ln_coord, in);
    assert_int_equal(fx_audit_count(f, "enterprise.create", id, 0, 1), 1);
    const char *after = fx_audit_last(f, "enterprise.create", id, 1);
    assert_non_null(strstr(after, "\"contact\":true"));
    assert_null(strstr(after, "1234567"));
    assert_null(strstr(after, "王经理"));

    struct enterprise_view v;
    /* the side's coordinators see the contact */
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_coord2), id, &v));
    assert_int_equal(v.pairing_id, f->lj);
    assert_int_equal(v.side, 0);
    assert_string_equal(v.credit_code, code(f, "91211100MA0P12345"));
    assert_string_equal(v.region_code, "211100");
    assert_string_equal(v.industry, "35");
    assert_string_equal(v.industry_name, "专用设备制造业");
    assert_string_equal(v.size, "medium");
    assert_true(v.contact_visible);
    assert_string_equal(v.contact_name, "王经理");
    assert_string_equal(v.contact_phone, "0427-1234567");
    assert_string_equal(v.created_by, "ln_coord");
    assert_ok(f, enterprise_get(fx_as(f, &f->admin), id, &v));
    assert_true(v.contact_visible);
    assert_string_equal(v.contact_phone, "0427-1234567");
    /* everyone else of the pairing reads it without the contact */
    const struct user *readers[] = {&f->js_coord, &f->ln_leader, &f->ln_pj_member,
                                    &f->js_wx_member};
    for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
        assert_ok(f, enterprise_get(fx_as(f, readers[i]), id, &v));
        assert_false(v.contact_visible);
        assert_true(v.has_contact);
        assert_null(v.contact_name);
        assert_null(v.contact_phone);
        assert_string_equal(v.name, "盘锦辽河油田装备制造有限公司");
    }
    /* not the other pairing; no such one */
    assert_fail(f, enterprise_get(fx_as(f, &f->sh_coord), id, &v), SVC_NOT_FOUND, "err_not_found");
    assert_fail(f, enterprise_get(fx_as(f, &f->sh_coord), id + 1000, &v), SVC_NOT_FOUND,
                "err_not_found");

    /* member units record for their own side; leaders do not record */
    int64_t m = create_as(f, &f->ln_pj_member, input("盘锦某化工有限公司"));
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_pj_member), m, &v));
    assert_int_equal(v.side, 0);
    int64_t w = create_as(f, &f->js_wx_member, input("无锡某物联网有限公司"));
    assert_ok(f, enterprise_get(fx_as(f, &f->js_coord), w, &v));
    assert_int_equal(v.side, 1);
    int64_t other;
    in = input("某公司");
    in.side = 1;
    assert_fail(f, enterprise_create(fx_as(f, &f->ln_pj_member), &in, &other), SVC_FORBIDDEN,
                "err_other_side");
    assert_fail(f, enterprise_create(fx_as(f, &f->ln_coord), &in, &other), SVC_FORBIDDEN,
                "err_other_side");
    assert_fail(f, enterprise_create(fx_as(f, &f->ln_leader), &in, &other), SVC_FORBIDDEN,
                "err_forbidden");
    in.pairing_id = f->sd;
    in.side = -1;
    assert_fail(f, enterprise_create(fx_as(f, &f->ln_coord), &in, &other), SVC_FORBIDDEN,
                "err_forbidden");
    /* an admin names pairing and side */
    in = input("大连某港口物流有限公司");
    in.pairing_id = f->sd;
    assert_fail(f, enterprise_create(fx_as(f, &f->admin), &in, &other), SVC_INVALID, "err_side");
    assert_string_equal(f->c.field, "side");
    in.side = 1;
    other = create_as(f, &f->admin, in);
    assert_ok(f, enterprise_get(fx_as(f, &f->dl_member), other, &v));
    assert_int_equal(v.pairing_id, f->sd);
    assert_int_equal(v.side, 1);
    fx_audit_intact(f);
}

static void test_bad_input_stores_nothing(void **state)
{
    struct fx *f = *state;
    const char *valid = code(f, "91320200MA1MXXXX0");
    create_as(f, &f->js_coord, (struct enterprise_input){.side = -1, .name = "无锡甲公司",
                                                         .credit_code = valid});
    int64_t before = count(f, "SELECT count(*) FROM enterprise");
    int64_t audit = fx_audit_total(f);
    /* a wrong check character: the valid one's last character moved on */
    char wrong[CREDIT_CODE_LEN + 1];
    strcpy(wrong, valid);
    wrong[17] = wrong[17] == '0' ? '1' : '0';
    assert_false(credit_code_valid(wrong));
    int64_t id;
    struct enterprise_input in;
#define REFUSE(setup, status_, code_, field_)                                                 \
    do {                                                                                      \
        in = input("无锡乙公司");                                                             \
        setup;                                                                                \
        assert_fail(f, enterprise_create(fx_as(f, &f->js_coord), &in, &id), status_, code_);  \
        assert_string_equal(f->c.field, field_);                                              \
    } while (0)
    REFUSE(in.credit_code = wrong, SVC_INVALID, "err_credit_code", "credit_code");
    REFUSE(in.credit_code = "91320200", SVC_INVALID, "err_credit_code", "credit_code");
    REFUSE(in.credit_code = valid, SVC_CONFLICT, "err_exists", "credit_code");
    /* typed in lower case with spaces, it is the same code */
    char lower[40];
    snprintf(lower, sizeof lower, " %s ", valid);
    for (char *p = lower; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    REFUSE(in.credit_code = lower, SVC_CONFLICT, "err_exists", "credit_code");
    REFUSE(in.name = " ", SVC_INVALID, "err_required", "name");
    REFUSE(in.name = "两行\n名称", SVC_INVALID, "err_invalid", "name");
    REFUSE(in.region_code = "999999", SVC_INVALID, "err_region_unknown", "region_code");
    REFUSE(in.industry = "98", SVC_INVALID, "err_industry_unknown", "industry");
    REFUSE(in.size = "huge", SVC_INVALID, "err_ent_size", "size");
    REFUSE(in.contact_phone = "call me", SVC_INVALID, "err_ent_phone", "contact_phone");
    REFUSE(in.contact_phone = "12", SVC_INVALID, "err_ent_phone", "contact_phone");
#undef REFUSE
    assert_int_equal(count(f, "SELECT count(*) FROM enterprise"), before);
    assert_int_equal(fx_audit_total(f), audit);

    /* the same code in the other pairing is another pairing's record: allowed */
    in = input("上海某公司");
    in.credit_code = valid;
    create_as(f, &f->sh_coord, in);
    /* a blank code is none; two without a code are no conflict */
    in = input("无锡丙公司");
    in.credit_code = "  ";
    int64_t a = create_as(f, &f->js_coord, in);
    create_as(f, &f->js_coord, input("无锡丁公司"));
    struct enterprise_view v;
    assert_ok(f, enterprise_get(fx_as(f, &f->js_coord), a, &v));
    assert_null(v.credit_code);
}

static void test_edit(void **state)
{
    struct fx *f = *state;
    struct enterprise_input in = input("苏州某精密机械有限公司");
    in.contact_phone = "0512-6666666";
    int64_t id = create_as(f, &f->js_coord, in);
    /* another holds the code an edit will try to take */
    create_as(f, &f->js_coord, (struct enterprise_input){
        .side = -1, .name = "苏州某公司", .credit_code = code(f, "91320500MA1N00001")});
    struct enterprise_view v;
    assert_ok(f, enterprise_get(fx_as(f, &f->js_coord), id, &v));
    const char *seen = v.updated_at;

    struct enterprise_input e = input(NULL);
    e.size = "small";
    e.if_updated_at = seen;
    /* writers: the side's coordinators and members; not the other side, not leaders */
    assert_fail(f, enterprise_edit(fx_as(f, &f->ln_coord), id, &e), SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, enterprise_edit(fx_as(f, &f->ln_pj_member), id, &e), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, enterprise_edit(fx_as(f, &f->ln_leader), id, &e), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, enterprise_edit(fx_as(f, &f->dl_coord), id, &e), SVC_NOT_FOUND, "err_not_found");
    assert_ok(f, enterprise_edit(fx_as(f, &f->js_wx_member), id, &e));
    assert_int_equal(fx_audit_count(f, "enterprise.update", id, 1, 1), 1);
    /* the version it was made against is gone: stale */
    e.size = "micro";
    assert_fail(f, enterprise_edit(fx_as(f, &f->js_coord), id, &e), SVC_STALE, "err_stale");
    assert_ok(f, enterprise_get(fx_as(f, &f->js_coord), id, &v));
    assert_string_equal(v.size, "small");
    /* a duplicate code on edit, with its field */
    e = input(NULL);
    e.if_updated_at = v.updated_at;
    e.credit_code = code(f, "91320500MA1N00001");
    assert_fail(f, enterprise_edit(fx_as(f, &f->js_coord), id, &e), SVC_CONFLICT, "err_exists");
    assert_string_equal(f->c.field, "credit_code");
    /* a contact change is audited as a change, never with the values */
    e = input(NULL);
    e.if_updated_at = v.updated_at;
    e.contact_name = "李女士";
    e.contact_phone = "+86 512 8888 8888";
    assert_ok(f, enterprise_edit(fx_as(f, &f->js_coord), id, &e));
    assert_int_equal(fx_audit_count(f, "enterprise.update", id, 1, 1), 2);
    const char *after = fx_audit_last(f, "enterprise.update", id, 1);
    assert_non_null(strstr(after, "\"contact_changed\":true"));
    assert_null(strstr(after, "8888"));
    assert_null(strstr(after, "李女士"));
    assert_ok(f, enterprise_get(fx_as(f, &f->js_coord), id, &v));
    assert_string_equal(v.contact_name, "李女士");
    /* nothing changed: no audit row */
    e.if_updated_at = v.updated_at;
    assert_ok(f, enterprise_edit(fx_as(f, &f->js_coord), id, &e));
    assert_int_equal(fx_audit_count(f, "enterprise.update", id, 1, 1), 2);
    /* "" clears */
    e = input(NULL);
    e.if_updated_at = v.updated_at;
    e.contact_name = e.contact_phone = e.size = "";
    assert_ok(f, enterprise_edit(fx_as(f, &f->js_coord), id, &e));
    assert_ok(f, enterprise_get(fx_as(f, &f->js_coord), id, &v));
    assert_null(v.size);
    assert_null(v.contact_name);
    assert_false(v.has_contact);
    fx_audit_intact(f);
}

/* An event of pairing with capacity (0: none) organised by unit (0: none): its id. */
static int64_t event(struct fx *f, int64_t pairing, int64_t capacity, int64_t unit)
{
    struct stmt st;
    db_prepare(f->db, &st,
               "INSERT INTO event (pairing_id, kind, title, host_side, starts, ends, year, "
               "capacity, created_at, updated_at) VALUES (:p, 'docking', '辽宁行', 0, "
               "'2027-05-10T09:00', '2027-05-10T17:00', 2027, :cap, "
               "'2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')");
    db_bind_int64(&st, ":p", pairing);
    if (capacity)
        db_bind_int64(&st, ":cap", capacity);
    else
        db_bind_null(&st, ":cap");
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    int64_t id = db_last_insert_id(f->db);
    if (unit) {
        db_prepare(f->db, &st, "INSERT INTO event_unit (event_id, unit_id) VALUES (:e, :u)");
        db_bind_int64(&st, ":e", id);
        db_bind_int64(&st, ":u", unit);
        assert_int_equal(db_step(&st), DB_DONE);
        db_finalize(&st);
    }
    return id;
}

/* A registration of enterprise (or unit) at event: number, status, queued at minute, checked
 * in or not. Its id. */
static int64_t reg(struct fx *f, int64_t event_id, int number, int64_t enterprise, int64_t unit,
                   const char *status, int minute, bool checked_in)
{
    struct stmt st;
    db_prepare(f->db, &st,
               "INSERT INTO registration (event_id, number, enterprise_id, unit_id, side, status, "
               "queued_at, created_at, updated_at, checked_in_at) VALUES (:e, :n, :en, :u, 0, "
               ":st, :q, :q, :q, :ci)");
    db_bind_int64(&st, ":e", event_id);
    db_bind_int64(&st, ":n", number);
    if (enterprise)
        db_bind_int64(&st, ":en", enterprise);
    else
        db_bind_null(&st, ":en");
    if (unit)
        db_bind_int64(&st, ":u", unit);
    else
        db_bind_null(&st, ":u");
    db_bind_text(&st, ":st", status);
    char q[32];
    snprintf(q, sizeof q, "2027-02-01T08:%02d:00.000Z", minute);
    db_bind_text(&st, ":q", q);
    if (checked_in)
        db_bind_text(&st, ":ci", "2027-05-10T01:30:00.000Z");
    else
        db_bind_null(&st, ":ci");
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    return db_last_insert_id(f->db);
}

static const char *reg_status(struct fx *f, int64_t id)
{
    struct stmt st;
    db_prepare(f->db, &st, "SELECT status FROM registration WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    assert_int_equal(db_step(&st), DB_ROW);
    const char *s = arena_strdup(&f->arena, db_col_text(&st, 0));
    db_finalize(&st);
    return s;
}

static void test_contact_for_organisers(void **state)
{
    struct fx *f = *state;
    struct enterprise_input in = input("无锡某环保科技有限公司");
    in.contact_name = "赵工";
    int64_t id = create_as(f, &f->js_wx_member, in);
    struct enterprise_view v;
    /* 盘锦 organises an event it registered for: 盘锦's member sees the contact, 商务厅's not */
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_pj_member), id, &v));
    assert_false(v.contact_visible);
    int64_t e = event(f, f->lj, 0, f->ln_pj);
    int64_t g = reg(f, e, 1, id, 0, "registered", 1, false);
    /* registered there by someone else (江苏's lead office): not 盘锦's to read */
    struct stmt st;
    db_prepare(f->db, &st, "UPDATE registration SET registered_by = :u WHERE id = :g");
    db_bind_int64(&st, ":u", f->js_coord.id);
    db_bind_int64(&st, ":g", g);
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_pj_member), id, &v));
    assert_false(v.contact_visible);
    /* registered by 盘锦's own people: the organisers who registered it */
    db_prepare(f->db, &st, "UPDATE registration SET registered_by = :u WHERE id = :g");
    db_bind_int64(&st, ":u", f->ln_pj_member.id);
    db_bind_int64(&st, ":g", g);
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_pj_member), id, &v));
    assert_true(v.contact_visible);
    assert_string_equal(v.contact_name, "赵工");
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_com_member), id, &v));
    assert_false(v.contact_visible);
    assert_null(v.contact_name);
    /* the member who recorded it is not thereby a reader of the contact */
    assert_ok(f, enterprise_get(fx_as(f, &f->js_wx_member), id, &v));
    assert_false(v.contact_visible);
    /* the list says the same per row */
    struct enterprise_filter flt = {.side = -1};
    struct enterprise_view *rows;
    size_t n;
    int64_t next;
    assert_ok(f, enterprise_list(fx_as(f, &f->ln_pj_member), &flt, 0, 0, &rows, &n, &next));
    assert_int_equal(n, 1);
    assert_true(rows[0].contact_visible);
    assert_string_equal(rows[0].contact_name, "赵工");
    assert_ok(f, enterprise_list(fx_as(f, &f->ln_com_member), &flt, 0, 0, &rows, &n, &next));
    assert_int_equal(n, 1);
    assert_null(rows[0].contact_name);
    /* its events */
    struct enterprise_event *ev;
    assert_ok(f, enterprise_events(fx_as(f, &f->ln_com_member), id, &ev, &n));
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].event_id, e);
    assert_string_equal(ev[0].status, "registered");
    assert_string_equal(ev[0].title, "辽宁行");
    assert_fail(f, enterprise_events(fx_as(f, &f->dl_coord), id, &ev, &n), SVC_NOT_FOUND,
                "err_not_found");
}

static void test_lists(void **state)
{
    struct fx *f = *state;
    struct enterprise_input in = input("遼寧華錦化工集團");
    in.industry = "26";
    int64_t a = create_as(f, &f->ln_coord, in);
    in = input("辽宁忠旺铝业");
    in.industry = "C";
    int64_t b = create_as(f, &f->ln_coord, in);
    in = input("辽宁某软件公司");
    in.industry = "65";
    in.credit_code = code(f, "91210100MA0XY0001");
    int64_t c = create_as(f, &f->ln_coord, in);
    int64_t d = create_as(f, &f->js_coord, input("江苏某纺织公司"));
    create_as(f, &f->sh_coord, input("辽宁路上海某公司"));

    struct enterprise_view *v;
    size_t n;
    int64_t next;
    struct enterprise_filter flt = {.side = -1, .q = "辽宁"};
    assert_ok(f, enterprise_list(fx_as(f, &f->js_coord), &flt, 0, 0, &v, &n, &next));
    assert_int_equal(n, 3); /* 遼寧 is 辽宁; not the other pairing's */
    bool seen_a = false;
    for (size_t i = 0; i < n; i++)
        seen_a = seen_a || v[i].id == a;
    assert_true(seen_a);
    assert_int_equal(next, 0);
    flt.q = "遼寧忠旺";
    assert_ok(f, enterprise_list(fx_as(f, &f->js_coord), &flt, 0, 0, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, b);
    flt.q = "91210100ma0xy"; /* part of a credit code, any case */
    assert_ok(f, enterprise_list(fx_as(f, &f->js_coord), &flt, 0, 0, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, c);
    flt.q = "100%";
    assert_ok(f, enterprise_list(fx_as(f, &f->js_coord), &flt, 0, 0, &v, &n, &next));
    assert_int_equal(n, 0);
    /* section C matches its divisions and itself; 65 is section I */
    flt = (struct enterprise_filter){.side = -1, .industry = "C"};
    assert_ok(f, enterprise_list(fx_as(f, &f->ln_pj_member), &flt, 0, 0, &v, &n, &next));
    assert_int_equal(n, 2);
    flt.industry = "X9";
    assert_fail(f, enterprise_list(fx_as(f, &f->ln_pj_member), &flt, 0, 0, &v, &n, &next),
                SVC_INVALID, "err_industry_unknown");
    /* side */
    flt = (struct enterprise_filter){.side = 1};
    assert_ok(f, enterprise_list(fx_as(f, &f->ln_pj_member), &flt, 0, 0, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, d);
    /* keyset pages of 2, by name key: every row once, in order */
    flt = (struct enterprise_filter){.side = -1};
    int64_t after = 0, got = 0;
    const char *last = "";
    int pages = 0;
    do {
        assert_ok(f, enterprise_list(fx_as(f, &f->ln_leader), &flt, after, 2, &v, &n, &next));
        for (size_t i = 0; i < n; i++) {
            const char *key = text_key(&f->arena, v[i].name);
            assert_true(strcmp(last, key) <= 0);
            last = key;
        }
        got += (int64_t)n;
        after = next;
        pages++;
    } while (after);
    assert_int_equal(got, 4);
    assert_int_equal(pages, 2);
    assert_fail(f, enterprise_list(fx_as(f, &f->ln_leader), &flt, 0, 201, &v, &n, &next),
                SVC_INVALID, "err_range");
    /* another pairing's list is not one's own: not there (issue #10) */
    flt.pairing_id = f->sd;
    assert_fail(f, enterprise_list(fx_as(f, &f->ln_leader), &flt, 0, 0, &v, &n, &next),
                SVC_NOT_FOUND, "err_not_found");
    /* the names a project form offers */
    const char **names;
    assert_ok(f, enterprise_names(fx_as(f, &f->ln_pj_member), f->lj, &names, &n));
    assert_int_equal(n, 4);
}

static void test_merge(void **state)
{
    struct fx *f = *state;
    /* A (kept, no code) and B (the duplicate, with code and contact) of 辽宁's side */
    int64_t a = create_as(f, &f->ln_coord, input("盘锦某石化公司"));
    struct enterprise_input in = input("盘锦某石化有限公司");
    in.credit_code = code(f, "91211100MA0PB0001");
    in.contact_phone = "0427-7777777";
    in.region_code = "211100";
    int64_t b = create_as(f, &f->ln_pj_member, in);
    int64_t third = create_as(f, &f->ln_coord, input("盘锦另一公司"));
    int64_t js = create_as(f, &f->js_coord, input("无锡某公司"));
    /* C was merged into B earlier (by SQL: the chain is what matters) */
    int64_t c = create_as(f, &f->ln_coord, input("盘锦某石化"));
    struct stmt st;
    db_prepare(f->db, &st, "UPDATE enterprise SET merged_into = :b WHERE id = :c");
    db_bind_int64(&st, ":b", b);
    db_bind_int64(&st, ":c", c);
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);

    /* E1 (2 seats): A holds one, B holds one and came, a third waits. E2: only B. */
    int64_t e1 = event(f, f->lj, 2, 0), e2 = event(f, f->lj, 0, 0);
    int64_t ra = reg(f, e1, 1, a, 0, "registered", 1, false);
    int64_t rb = reg(f, e1, 2, b, 0, "registered", 2, true);
    int64_t rw = reg(f, e1, 3, third, 0, "waiting", 3, false);
    int64_t rb2 = reg(f, e2, 1, b, 0, "registered", 4, false);
    /* an outcome naming B's registration at E1 */
    db_prepare(f->db, &st,
               "INSERT INTO event_outcome (event_id, kind, title, created_at, updated_at) VALUES "
               "(:e, 'intention', '合作意向', '2027-05-10T08:00:00.000Z', "
               "'2027-05-10T08:00:00.000Z')");
    db_bind_int64(&st, ":e", e1);
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    int64_t outcome = db_last_insert_id(f->db);
    db_prepare(f->db, &st,
               "INSERT INTO event_outcome_party (outcome_id, ordinal, registration_id) VALUES "
               "(:o, 1, :r)");
    db_bind_int64(&st, ":o", outcome);
    db_bind_int64(&st, ":r", rb);
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);

    /* refusals */
    int64_t audit = fx_audit_total(f);
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_pj_member), b, a, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, enterprise_merge(fx_as(f, &f->js_coord), b, a, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_leader), b, a, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_coord), b, b, NULL), SVC_INVALID,
                "err_ent_merge_self");
    assert_string_equal(f->c.field, "into");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_coord), b, js, NULL), SVC_INVALID,
                "err_ent_merge_into");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_coord), b, 99999, NULL), SVC_INVALID,
                "err_ent_merge_into");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_coord), b, c, NULL), SVC_CONFLICT,
                "err_ent_merged");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_coord), b, a, "2000-01-01T00:00:00.000Z"),
                SVC_STALE, "err_stale");
    assert_int_equal(fx_audit_total(f), audit);

    assert_ok(f, enterprise_merge(fx_as(f, &f->ln_coord), b, a, NULL));

    /* E1: A's registration kept, with B's check-in; B's withdrawn; the seat freed went to the
     * one waiting; the outcome names A's registration. E2: B's registration is A's now. */
    assert_string_equal(reg_status(f, ra), "registered");
    assert_int_equal(count_of(f, "SELECT count(*) FROM registration WHERE id = :a AND "
                                 "checked_in_at IS NOT NULL", ra), 1);
    assert_string_equal(reg_status(f, rb), "withdrawn");
    assert_int_equal(count_of(f, "SELECT count(*) FROM registration WHERE id = :a AND "
                                 "checked_in_at IS NULL AND enterprise_id IS NOT NULL", rb), 1);
    assert_string_equal(reg_status(f, rw), "registered");
    assert_int_equal(count_of(f, "SELECT registration_id FROM event_outcome_party WHERE "
                                 "outcome_id = :a", outcome), ra);
    assert_int_equal(count_of(f, "SELECT enterprise_id FROM registration WHERE id = :a", rb2), a);
    assert_int_equal(count_of(f, "SELECT count(*) FROM registration WHERE event_id = :a AND "
                                 "status = 'registered'", e1), 2);

    struct enterprise_view v;
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_coord), a, &v));
    assert_string_equal(v.credit_code, code(f, "91211100MA0PB0001")); /* taken from B */
    assert_string_equal(v.contact_phone, "0427-7777777");
    assert_string_equal(v.region_code, "211100");
    assert_int_equal(v.merged_into, 0);
    /* B: history, readable, out of the lists, no more edits or merges */
    assert_ok(f, enterprise_get(fx_as(f, &f->ln_pj_member), b, &v));
    assert_int_equal(v.merged_into, a);
    assert_string_equal(v.merged_into_name, "盘锦某石化公司");
    assert_null(v.credit_code);
    assert_int_equal(count_of(f, "SELECT merged_into FROM enterprise WHERE id = :a", c), a);
    struct enterprise_input e = input("改名");
    e.if_updated_at = v.updated_at;
    assert_fail(f, enterprise_edit(fx_as(f, &f->ln_coord), b, &e), SVC_CONFLICT, "err_ent_merged");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_coord), b, third, NULL), SVC_CONFLICT,
                "err_ent_merged");
    assert_fail(f, enterprise_merge(fx_as(f, &f->ln_coord), third, b, NULL), SVC_CONFLICT,
                "err_ent_merged");
    struct enterprise_view *rows;
    size_t n;
    int64_t next;
    struct enterprise_filter flt = {.side = 0};
    assert_ok(f, enterprise_list(fx_as(f, &f->ln_coord), &flt, 0, 0, &rows, &n, &next));
    assert_int_equal(n, 2); /* A and the third */
    flt.merged = true;
    assert_ok(f, enterprise_list(fx_as(f, &f->ln_coord), &flt, 0, 0, &rows, &n, &next));
    assert_int_equal(n, 4);
    /* the events page of A lists both events */
    struct enterprise_event *ev;
    assert_ok(f, enterprise_events(fx_as(f, &f->ln_coord), a, &ev, &n));
    assert_int_equal(n, 2);

    /* audit: one row on each enterprise, one per registration changed, the chain intact */
    assert_int_equal(fx_audit_count(f, "enterprise.merge", b, 1, 1), 1);
    assert_int_equal(fx_audit_count(f, "enterprise.merge_in", a, 1, 1), 1);
    const char *after = fx_audit_last(f, "enterprise.merge_in", a, 1);
    assert_non_null(strstr(after, "\"registrations_moved\":2"));
    assert_null(strstr(after, "7777777"));
    assert_non_null(strstr(fx_audit_last(f, "enterprise.merge", b, 1), "\"merged_into\":"));
    assert_int_equal(fx_audit_count(f, "registration.merge", ra, 1, 1), 1);
    assert_int_equal(fx_audit_count(f, "registration.merge", rb, 1, 1), 1);
    assert_int_equal(fx_audit_count(f, "registration.merge", rb2, 1, 1), 1);
    fx_audit_intact(f);

    /* an admin merges anywhere */
    assert_ok(f, enterprise_merge(fx_as(f, &f->admin), third, a, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_and_read, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_stores_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_edit, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_contact_for_organisers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_lists, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_merge, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
