/* test_mail: e-mail (core/smtp.c, service/mail.c) — the message as composed (RFC 2047 subject
 * words that never cut a character, base64 body in short lines, CRLF), what an address and an
 * SMTP URL must look like, the outbox filled by the notification's own transaction (queued,
 * digest, no address, nothing for an inbox-only kind), the choices and their audit, and a
 * restart's recovery: a mail cut off while being sent is failed, never sent again. Delivery to a
 * real SMTP server is tests/api/mail.test.mjs. */
#include "coop_fixture.h"

#include <sodium.h>

#include "core/smtp.h"
#include "core/utf8.h"
#include "service/user.h"
#include "service/mail.h"
#include "service/notification.h"
#include "service/report.h"

static void test_addresses_and_urls(void **state)
{
    (void)state;
    assert_true(smtp_address_ok("pj@example.org"));
    assert_true(smtp_address_ok("a.b-c_d@mail.dl.gov.cn"));
    assert_false(smtp_address_ok("pj"));
    assert_false(smtp_address_ok("pj@localhost"));
    assert_false(smtp_address_ok("@example.org"));
    assert_false(smtp_address_ok("a b@example.org"));
    assert_false(smtp_address_ok("a@b@example.org"));
    assert_false(smtp_address_ok("<a@example.org>"));
    assert_false(smtp_address_ok("a@example..org"));
    assert_false(smtp_address_ok("a@example.org\r\nBcc: x@example.org"));
    assert_true(smtp_url_ok("smtp://mail.example.org"));
    assert_true(smtp_url_ok("smtps://user:secret@mail.example.org:465"));
    assert_true(smtp_url_ok("smtp://127.0.0.1:2525"));
    assert_false(smtp_url_ok("http://mail.example.org"));
    assert_false(smtp_url_ok("smtp://"));
    assert_false(smtp_url_ok("smtp://:25"));
    assert_false(smtp_url_ok("smtp://user@"));
    assert_false(smtp_url_ok("smtp://mail.example.org\n"));
    assert_false(smtp_url_ok(NULL));
}

static char *unbase64(const char *s, size_t *n)
{
    size_t cap = strlen(s) + 1;
    unsigned char *out = malloc(cap);
    assert_int_equal(sodium_base642bin(out, cap, s, strlen(s), "\r\n", n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    out[*n] = 0;
    return (char *)out;
}

static void test_compose(void **state)
{
    (void)state;
    /* 30 CJK characters (90 bytes): more than one encoded word */
    const char *subject = "【对口合作】退回：「组织盘锦企业参加世界物联网博览会」的进展报告被退回";
    const char *body = "第一行\n第二行，很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
                       "很长很长很长很长很长很长很长很长很长很长很长很长。\n";
    struct smtp_mail m = {.from = "duikou@example.org", .to = "pj@example.org",
                          .subject = subject, .body = body,
                          .message_id = "duikou.1.2.1@example.org",
                          .date_ms = 1796630400000LL}; /* 2026-12-07T08:00:00Z, a Monday */
    struct sb out = SB_INIT;
    smtp_compose(&out, &m);
    const char *msg = sb_str(&out);
    assert_non_null(strstr(msg, "Date: Mon, 07 Dec 2026 08:00:00 +0000\r\n"));
    assert_non_null(strstr(msg, "From: duikou@example.org\r\nTo: pj@example.org\r\n"));
    assert_non_null(strstr(msg, "Message-ID: <duikou.1.2.1@example.org>\r\n"));
    assert_non_null(strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"));
    /* no bare LF anywhere, no line longer than 78 */
    size_t line = 0;
    for (const char *p = msg; *p; p++) {
        if (*p == '\n')
            assert_true(p > msg && p[-1] == '\r');
        line = *p == '\n' ? 0 : line + 1;
        assert_true(line <= 78);
    }
    /* the subject: encoded words, each a whole number of characters, joined back = subject */
    const char *s = strstr(msg, "Subject: ") + 9;
    const char *end = strstr(s, "\r\nMIME-Version");
    struct sb joined = SB_INIT;
    int words = 0;
    for (const char *w = s; w < end;) {
        const char *open = strstr(w, "=?UTF-8?B?");
        assert_non_null(open);
        const char *close = strstr(open + 10, "?=");
        assert_true(close - open + 2 <= 75);
        char *b64 = strndup(open + 10, (size_t)(close - open - 10));
        size_t n;
        char *bytes = unbase64(b64, &n);
        assert_true(utf8_valid(bytes, n, NULL)); /* never half a character */
        sb_appendn(&joined, bytes, n);
        free(b64);
        free(bytes);
        words++;
        w = close + 2;
        if (w < end)
            assert_memory_equal(w, "\r\n ", 3);
        w += w < end ? 3 : 0;
    }
    assert_true(words >= 2);
    assert_string_equal(sb_str(&joined), subject);
    /* the body: base64 of the text with CRLF */
    size_t n;
    char *text = unbase64(strstr(msg, "\r\n\r\n") + 4, &n);
    assert_non_null(strstr(text, "第一行\r\n第二行"));
    free(text);
    sb_free(&joined);
    sb_free(&out);
}

struct world {
    int64_t plan, item;
};

static struct world world(struct fx *f)
{
    struct world w;
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &w.plan));
    w.item = fx_item(f, w.plan, f->lj, 7, "组织参加世界物联网博览会", f->ln_pj, "2027-06-30");
    fx_agree(f, w.plan, &f->ln_coord, &f->js_coord);
    return w;
}

static void set_email(struct fx *f, const struct user *u, const char *email)
{
    struct user_input in = {.email = email};
    assert_ok(f, user_update(fx_as(f, u), u->id, &in));
}

static void return_one(struct fx *f, int64_t item, const char *period)
{
    int64_t rep = fx_report(f, &f->ln_pj_member, item, period, "on_track", 10);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), rep, false, "请补充。"));
}

/* Mails of 盘锦's member (the plan's approvals also tell the coordinators, who have none). */
static int64_t count(struct fx *f, const char *where)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM mail WHERE user_id = :a AND %s", where);
    return fx_scalar_(f->db, sql, f->ln_pj_member.id, NULL);
}

static void test_outbox_filled_with_the_notification(void **state)
{
    struct fx *f = *state;
    struct world w = world(f);
    /* no address: noted, the inbox only */
    return_one(f, w.item, "2027-01");
    assert_int_equal(count(f, "state = 'no_address' AND address IS NULL"), 1);
    /* an address: queued, due at once */
    set_email(f, &f->ln_pj_member, "pj@example.org");
    return_one(f, w.item, "2027-02");
    assert_int_equal(count(f, "state = 'queued' AND address = 'pj@example.org' AND digest = 0"),
                     1);
    /* a bad address is refused and nothing changes */
    struct user_input bad = {.email = "pj at example"};
    int rc = user_update(fx_as(f, &f->ln_pj_member), f->ln_pj_member.id, &bad);
    assert_fail(f, rc, SVC_INVALID, "err_email");
    /* the digest, and the inbox only */
    assert_ok(f, mail_pref_set(fx_as(f, &f->ln_pj_member), "report_returned", "digest"));
    return_one(f, w.item, "2027-03");
    assert_int_equal(count(f, "state = 'queued' AND digest = 1"), 1);
    assert_ok(f, mail_pref_set(fx_as(f, &f->ln_pj_member), "report_returned", "inbox"));
    int64_t before = count(f, "1 = 1");
    return_one(f, w.item, "2027-04");
    assert_int_equal(count(f, "1 = 1"), before);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM notification WHERE user_id = :a",
                                f->ln_pj_member.id, NULL),
                     4);
    /* the choices read back; bad ones refused; each change audited once */
    const char *ch[MAIL_KINDS];
    assert_ok(f, mail_prefs(fx_as(f, &f->ln_pj_member), ch));
    assert_string_equal(ch[3], "inbox");
    assert_string_equal(ch[0], "mail");
    assert_fail(f, mail_pref_set(fx_as(f, &f->ln_pj_member), "report_returned", "fax"),
                SVC_INVALID, "err_invalid");
    assert_fail(f, mail_pref_set(fx_as(f, &f->ln_pj_member), "report_lost", "mail"), SVC_INVALID,
                "err_invalid");
    assert_ok(f, mail_pref_set(fx_as(f, &f->ln_pj_member), "report_returned", "inbox"));
    assert_int_equal(
        fx_scalar_(f->db, "SELECT count(*) FROM audit WHERE action = 'notification.pref'", 0, NULL),
        2);
    /* the outbox is the admin's (and the command line's) */
    struct mail_view *v;
    size_t n;
    assert_fail(f, mail_list(fx_as(f, &f->ln_coord), false, 10, &v, &n), SVC_FORBIDDEN,
                "err_forbidden");
    assert_ok(f, mail_list(fx_as(f, NULL), true, 10, &v, &n));
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i].state, "no_address");
}

static void test_recovery_after_a_crash(void **state)
{
    struct fx *f = *state;
    struct world w = world(f);
    set_email(f, &f->ln_pj_member, "pj@example.org");
    return_one(f, w.item, "2027-01");
    return_one(f, w.item, "2027-02");
    /* one was being sent when the process died; the other waits an hour to be tried again */
    assert_int_equal(db_exec(f->db, "UPDATE mail SET state = 'sending' WHERE id = "
                                    "(SELECT min(id) FROM mail WHERE state = 'queued')"),
                     0);
    assert_int_equal(db_exec(f->db, "UPDATE mail SET next_at = '2099-01-01T00:00:00.000Z' "
                                    "WHERE state = 'queued'"),
                     0);
    int64_t cut = 0;
    assert_ok(f, mail_recover(fx_as(f, NULL), &cut));
    assert_int_equal(cut, 1);
    assert_int_equal(count(f, "state = 'failed' AND answer LIKE 'interrupted%'"), 1);
    assert_int_equal(count(f, "state = 'queued' AND next_at < '2099'"), 1);
    /* delivery refuses settings that cannot work, before touching anything */
    struct mail_settings s = {.url = "http://x", .from = "a@example.org"};
    int sent = -1;
    assert_fail(f, mail_deliver(fx_as(f, NULL), &s, NULL, NULL, NULL, &sent), SVC_INVALID,
                "err_invalid");
    assert_int_equal(count(f, "state = 'queued'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses_and_urls),
        cmocka_unit_test(test_compose),
        cmocka_unit_test_setup_teardown(test_outbox_filled_with_the_notification, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_recovery_after_a_crash, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
