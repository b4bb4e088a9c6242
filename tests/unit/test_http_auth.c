/* test_http_auth: the router's checks before a handler runs, with real sessions and tokens
 * from service/auth on the coop fixture: sign-in required (401), least role (403), cookie
 * sessions and bearer tokens, CSRF token and same origin on writes (403), sign-in and write
 * rate limits (429 with Retry-After), the body's type (415) and parsing (400), the signed-in
 * user's language, and the session cookie's attributes. */
#include "coop_fixture.h"

#include <sodium.h>

#include "http/internal.h"
#include "service/auth.h"

static int h_echo(struct req *r, struct resp *p)
{
    sb_appendf(&p->body, "user=%lld token=%d", r->user ? (long long)r->user->id : 0LL,
               r->via_token);
    return 200;
}

static int h_login(struct req *r, struct resp *p)
{
    http_set_session_cookie(r, p, "abc_DEF-123");
    return 201;
}

/* A sign-in form: says whether the router found the budget spent. */
static int h_page_login(struct req *r, struct resp *p)
{
    sb_appendf(&p->body, "retry=%d", r->login_retry_after);
    return r->login_retry_after ? 429 : 401;
}

static const struct route table[] = {
    {"GET", "/api/open", h_echo, ROLE_PUBLIC, 0, "public"},
    {"GET", "/api/members", h_echo, ROLE_MEMBER, 0, "members"},
    {"GET", "/api/coordinators", h_echo, ROLE_COORDINATOR, 0, "coordinators"},
    {"GET", "/api/admin", h_echo, ROLE_ADMIN, 0, "admins"},
    {"POST", "/api/write", h_echo, ROLE_MEMBER, 0, "a write"},
    {"DELETE", "/api/write", h_echo, ROLE_MEMBER, 0, "a delete"},
    {"POST", "/api/json", h_echo, ROLE_MEMBER, ROUTE_JSON, "a JSON write"},
    {"POST", "/api/login", h_login, ROLE_PUBLIC, ROUTE_JSON | ROUTE_NO_CSRF | ROUTE_LOGIN, "sign in"},
    /* Pages (outside /api/): sign-in is a redirect, the sign-in budget the handler's to tell. */
    {"GET", "/page", h_echo, ROLE_MEMBER, 0, "a page"},
    {"POST", "/page", h_echo, ROLE_MEMBER, 0, "a page's form"},
    {"POST", "/signin", h_page_login, ROLE_PUBLIC, ROUTE_NO_CSRF | ROUTE_LOGIN, "sign-in form"},
};

static const char *PASSWORD = "Lianhe-Hezuo-2027";

struct h {
    struct fx *f;
    struct session_info member, coord; /* signed-in sessions */
    const char *token;                 /* a bearer token of the member */
};

/* A request as the server would hand it to the router. */
struct t {
    struct arena arena;
    struct req r;
    struct resp p;
    struct param headers[8];
};

static void set_password(struct fx *f, const char *login)
{
    struct stmt st;
    db_prepare(f->db, &st, "UPDATE users SET pw_hash = :h WHERE login = :l");
    db_bind_text(&st, ":h", auth_hash_password(&f->c, PASSWORD));
    db_bind_text(&st, ":l", login);
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
}

/* The server state for the test table with these settings. */
static void use_state(const struct http_config *cfg)
{
    http_state_free();
    http_state_init(cfg);
    http_state.routes = table;
    http_state.n_routes = sizeof table / sizeof *table;
}

/* Moves the clock ms forward (the fixture has set it to a day in 2027). */
static void later(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t real = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    clock_set_offset(clock_now_ms() - real + ms);
}

static int setup(void **state)
{
    if (fx_setup(state) != 0)
        return -1;
    struct h *h = calloc(1, sizeof *h);
    h->f = *state;
    struct fx *f = h->f;
    set_password(f, "ln_pj_member");
    set_password(f, "ln_coord");
    f->c.client = "127.0.0.1";
    assert_int_equal(auth_login(fx_as(f, NULL), "ln_pj_member", PASSWORD, &h->member), SVC_OK);
    assert_int_equal(auth_login(fx_as(f, NULL), "ln_coord", PASSWORD, &h->coord), SVC_OK);
    assert_int_equal(auth_token_create(fx_as(f, NULL), f->ln_pj_member.id, "ci", &h->token),
                     SVC_OK);
    use_state(&(struct http_config){.writes_per_second = 1000, .login_per_minute = 1000});
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    struct h *h = *state;
    http_state_free();
    *state = h->f;
    free(h);
    return fx_teardown(state);
}

static void t_start(struct h *h, struct t *t, const char *method, const char *target)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
    req_init(&t->r, &t->arena, method, "192.0.2.10");
    t->r.ctx.db = h->f->db;
    t->r.headers = t->headers;
    sb_init(&t->p.body);
    resp_init(&t->p);
    t->r.lang = i18n_pick(NULL, NULL);
    t->r.path = target;
}

static void t_header(struct t *t, const char *name, const char *value)
{
    t->headers[t->r.n_headers].name = name;
    t->headers[t->r.n_headers].value = value;
    t->r.n_headers++;
    if (strcasecmp(name, "Cookie") == 0)
        req_parse_cookies(&t->r, value);
    if (strcasecmp(name, "Content-Type") == 0)
        t->r.content_type = value;
}

static void t_cookie(struct t *t, const struct session_info *s)
{
    t_header(t, "Cookie", arena_printf(&t->arena, "other=1; duikou_session=%s", s->token));
}

static void t_body(struct t *t, const char *type, const char *body)
{
    t_header(t, "Content-Type", type);
    t->r.body = body;
    t->r.body_len = strlen(body);
}

/* Runs the pipeline; the status. The body is in t->p.body for a look. */
static int t_run(struct t *t)
{
    int st = req_parse_target(&t->r, &t->p, t->r.path);
    return st ? st : http_dispatch(&t->r, &t->p);
}

static void t_end(struct t *t)
{
    sb_free(&t->p.body);
    arena_free(&t->arena);
}

static const char *header(struct t *t, const char *name)
{
    for (int i = 0; i < t->p.n_headers; i++)
        if (strcasecmp(t->p.headers[i].name, name) == 0)
            return t->p.headers[i].value;
    return NULL;
}

static bool has_code(struct t *t, const char *code)
{
    char want[64];
    snprintf(want, sizeof want, "\"code\":\"%s\"", code);
    return t->p.body.buf && strstr(t->p.body.buf, want);
}

static void test_sign_in_required(void **state)
{
    struct h *h = *state;
    struct t t;
    t_start(h, &t, "GET", "/api/open");
    assert_int_equal(t_run(&t), 200);
    assert_string_equal(t.p.body.buf, "user=0 token=0");
    assert_null(t.r.user);
    t_end(&t);

    t_start(h, &t, "GET", "/api/members");
    assert_int_equal(t_run(&t), 401);
    assert_true(has_code(&t, "err_unauthorized"));
    t_end(&t);

    /* a page sends the anonymous to the sign-in form, naming itself (a GET) */
    t_start(h, &t, "GET", "/page");
    t_header(&t, "Cookie", "duikou_session=forged");
    assert_int_equal(t_run(&t), 303);
    assert_string_equal(header(&t, "Location"), "/login?next=%2Fpage");
    t_end(&t);
    t_start(h, &t, "POST", "/page");
    assert_int_equal(t_run(&t), 303);
    assert_string_equal(header(&t, "Location"), "/login");
    t_end(&t);

    /* an unknown cookie is no one: fine where no sign-in is needed, 401 elsewhere */
    t_start(h, &t, "GET", "/api/open");
    t_header(&t, "Cookie", "duikou_session=forged");
    assert_int_equal(t_run(&t), 200);
    assert_null(t.r.user);
    t_end(&t);
    t_start(h, &t, "GET", "/api/members");
    t_header(&t, "Cookie", "duikou_session=forged");
    assert_int_equal(t_run(&t), 401);
    t_end(&t);

    /* the session cookie */
    t_start(h, &t, "GET", "/api/members");
    t_cookie(&t, &h->member);
    assert_int_equal(t_run(&t), 200);
    assert_non_null(t.r.user);
    assert_int_equal(t.r.user->id, h->f->ln_pj_member.id);
    assert_false(t.r.via_token);
    assert_string_equal(t.r.ctx.actor, "user:ln_pj_member");
    assert_string_equal(t.r.ctx.client, "192.0.2.10");
    assert_string_equal(http_session_token(&t.r), h->member.token);
    assert_string_equal(t.r.csrf_token, h->member.csrf_token);
    t_end(&t);

    /* roles: a member is below a coordinator, a coordinator below an admin */
    t_start(h, &t, "GET", "/api/coordinators");
    t_cookie(&t, &h->member);
    assert_int_equal(t_run(&t), 403);
    assert_true(has_code(&t, "err_forbidden"));
    t_end(&t);
    t_start(h, &t, "GET", "/api/coordinators");
    t_cookie(&t, &h->coord);
    assert_int_equal(t_run(&t), 200);
    t_end(&t);
    t_start(h, &t, "GET", "/api/admin");
    t_cookie(&t, &h->coord);
    assert_int_equal(t_run(&t), 403);
    t_end(&t);

    /* after sign-out the cookie is no one */
    assert_int_equal(auth_logout(fx_as(h->f, NULL), h->coord.token), SVC_OK);
    t_start(h, &t, "GET", "/api/coordinators");
    t_cookie(&t, &h->coord);
    assert_int_equal(t_run(&t), 401);
    t_end(&t);
}

static void test_bearer(void **state)
{
    struct h *h = *state;
    struct t t;
    t_start(h, &t, "GET", "/api/members");
    t_header(&t, "Authorization", arena_printf(&t.arena, "Bearer %s", h->token));
    assert_int_equal(t_run(&t), 200);
    assert_true(t.r.via_token);
    assert_int_equal(t.r.user->id, h->f->ln_pj_member.id);
    assert_null(http_session_token(&t.r));
    t_end(&t);

    /* a write by token needs no CSRF token and ignores Origin */
    t_start(h, &t, "POST", "/api/write");
    t_header(&t, "Authorization", arena_printf(&t.arena, "bearer %s", h->token));
    t_header(&t, "Origin", "http://elsewhere.example");
    assert_int_equal(t_run(&t), 200);
    t_end(&t);

    /* a bad token is refused even where no sign-in is needed */
    t_start(h, &t, "GET", "/api/open");
    t_header(&t, "Authorization", "Bearer dk_not-a-token");
    assert_int_equal(t_run(&t), 401);
    assert_string_equal(header(&t, "WWW-Authenticate"), "Bearer");
    t_end(&t);
    char *long_token = calloc(1, 4096);
    memset(long_token, 'a', 4000);
    t_start(h, &t, "GET", "/api/members");
    t_header(&t, "Authorization", arena_printf(&t.arena, "Bearer %s", long_token));
    assert_int_equal(t_run(&t), 401);
    t_end(&t);
    free(long_token);
}

static void test_csrf(void **state)
{
    struct h *h = *state;
    struct t t;
    /* a cookie write without the token: 403 */
    t_start(h, &t, "POST", "/api/write");
    t_cookie(&t, &h->member);
    assert_int_equal(t_run(&t), 403);
    assert_true(has_code(&t, "err_csrf"));
    t_end(&t);
    t_start(h, &t, "DELETE", "/api/write");
    t_cookie(&t, &h->member);
    assert_int_equal(t_run(&t), 403);
    t_end(&t);

    /* a wrong token, a token of another session, a prefix of the right one: 403 */
    const char *wrong[] = {"x", h->coord.csrf_token,
                           arena_strndup(&h->f->arena, h->member.csrf_token,
                                         strlen(h->member.csrf_token) - 1)};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        t_start(h, &t, "POST", "/api/write");
        t_cookie(&t, &h->member);
        t_header(&t, "X-CSRF-Token", wrong[i]);
        assert_int_equal(t_run(&t), 403);
        t_end(&t);
    }

    /* the right token in the header, or in the form */
    t_start(h, &t, "POST", "/api/write");
    t_cookie(&t, &h->member);
    t_header(&t, "X-CSRF-Token", h->member.csrf_token);
    assert_int_equal(t_run(&t), 200);
    t_end(&t);
    t_start(h, &t, "POST", "/api/write");
    t_cookie(&t, &h->member);
    t_body(&t, "application/x-www-form-urlencoded",
           arena_printf(&t.arena, "a=1&csrf_token=%s", h->member.csrf_token));
    assert_int_equal(t_run(&t), 200);
    assert_string_equal(req_form(&t.r, "a"), "1");
    t_end(&t);

    /* the right token from a foreign origin: 403; from our own: fine */
    t_start(h, &t, "POST", "/api/write");
    t_cookie(&t, &h->member);
    t_header(&t, "X-CSRF-Token", h->member.csrf_token);
    t_header(&t, "Host", "duikou.example:8080");
    t_header(&t, "Origin", "http://evil.example:8080");
    assert_int_equal(t_run(&t), 403);
    assert_true(has_code(&t, "err_csrf"));
    t_end(&t);
    t_start(h, &t, "POST", "/api/write");
    t_cookie(&t, &h->member);
    t_header(&t, "X-CSRF-Token", h->member.csrf_token);
    t_header(&t, "Host", "duikou.example:8080");
    t_header(&t, "Origin", "http://duikou.example:8080");
    assert_int_equal(t_run(&t), 200);
    t_end(&t);

    /* sign-in takes no CSRF token but still refuses a foreign origin */
    t_start(h, &t, "POST", "/api/login");
    t_body(&t, "application/json", "{}");
    t_header(&t, "Host", "duikou.example");
    t_header(&t, "Origin", "https://evil.example");
    assert_int_equal(t_run(&t), 403);
    t_end(&t);
    t_start(h, &t, "POST", "/api/login");
    t_cookie(&t, &h->member); /* signed in already: still no token needed */
    t_body(&t, "application/json", "{}");
    assert_int_equal(t_run(&t), 201);
    t_end(&t);

    /* GET needs no token */
    t_start(h, &t, "GET", "/api/members");
    t_cookie(&t, &h->member);
    t_header(&t, "Origin", "http://evil.example");
    assert_int_equal(t_run(&t), 200);
    t_end(&t);
}

static void test_rate_limits(void **state)
{
    struct h *h = *state;
    struct t t;
    use_state(&(struct http_config){.writes_per_second = 1, .login_per_minute = 3});
    /* writes: 1 per second, burst 3, per user */
    for (int i = 0; i < 4; i++) {
        t_start(h, &t, "POST", "/api/write");
        t_header(&t, "Authorization", arena_printf(&t.arena, "Bearer %s", h->token));
        int st = t_run(&t);
        if (i < 3) {
            assert_int_equal(st, 200);
        } else {
            assert_int_equal(st, 429);
            assert_true(has_code(&t, "err_rate_limited"));
            assert_string_equal(header(&t, "Retry-After"), "1");
        }
        t_end(&t);
    }
    /* reads do not count; another user has a budget of their own */
    t_start(h, &t, "GET", "/api/members");
    t_header(&t, "Authorization", arena_printf(&t.arena, "Bearer %s", h->token));
    assert_int_equal(t_run(&t), 200);
    t_end(&t);
    t_start(h, &t, "POST", "/api/write");
    t_cookie(&t, &h->coord);
    t_header(&t, "X-CSRF-Token", h->coord.csrf_token);
    assert_int_equal(t_run(&t), 200);
    t_end(&t);
    /* a second later, one more */
    later(1000);
    t_start(h, &t, "POST", "/api/write");
    t_header(&t, "Authorization", arena_printf(&t.arena, "Bearer %s", h->token));
    assert_int_equal(t_run(&t), 200);
    t_end(&t);

    /* sign-in: 3 per minute per address and account (this table), counted before the
     * handler; another account from the same address has its own budget */
    for (int i = 0; i < 4; i++) {
        t_start(h, &t, "POST", "/api/login");
        t_body(&t, "application/json", "{\"login\":\"clerk_x\"}");
        int st = t_run(&t);
        assert_int_equal(st, i < 3 ? 201 : 429);
        if (st == 429)
            assert_string_equal(header(&t, "Retry-After"), "20");
        t_end(&t);
    }
    /* the sign-in form shares the account's budget (its login in other letters, with spaces
     * around it, too: as auth_login reads it); the handler answers in its own page */
    t_start(h, &t, "POST", "/signin");
    t_body(&t, "application/x-www-form-urlencoded", "login=+CLERK_X%09");
    assert_int_equal(t_run(&t), 429);
    assert_string_equal(t.p.body.buf, "retry=20");
    t_end(&t);
    t_start(h, &t, "POST", "/api/login");
    t_body(&t, "application/json", "{\"login\":\"clerk_y\"}");
    assert_int_equal(t_run(&t), 201);
    t_end(&t);
}

static void test_bodies(void **state)
{
    struct h *h = *state;
    struct t t;
    const char *bearer = arena_printf(&h->f->arena, "Bearer %s", h->token);
    struct {
        const char *type, *body;
        int status;
        const char *code;
    } cases[] = {
        {"application/json", "{\"a\":[1,2]}", 200, NULL},
        {"application/json; charset=utf-8", "{}", 200, NULL},
        {"text/plain", "{}", 415, "err_media_type"},
        {"application/x-www-form-urlencoded", "a=1", 415, "err_media_type"},
        {"application/json", "{\"a\":", 400, "err_bad_json"},
        {"application/json", "", 400, "err_bad_json"},
        {"application/json", "{\"a\":1,\"a\":1}", 400, "err_bad_json"},
        {"application/json", "{\"a\":\"\xc3\"}", 400, "err_bad_json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        t_start(h, &t, "POST", "/api/json");
        t_header(&t, "Authorization", bearer);
        t_body(&t, cases[i].type, cases[i].body);
        int st = t_run(&t);
        if (st != cases[i].status)
            fail_msg("case %zu (%s): %d", i, cases[i].body, st);
        if (cases[i].code)
            assert_true(has_code(&t, cases[i].code));
        if (st == 200)
            assert_non_null(t.r.json);
        t_end(&t);
    }
    /* a form with bad UTF-8: 400 before the handler */
    t_start(h, &t, "POST", "/api/write");
    t_header(&t, "Authorization", bearer);
    t_body(&t, "application/x-www-form-urlencoded", "a=%FF");
    assert_int_equal(t_run(&t), 400);
    assert_true(has_code(&t, "err_bad_utf8"));
    t_end(&t);
}

static void test_language(void **state)
{
    struct h *h = *state;
    struct stmt st;
    db_prepare(h->f->db, &st, "UPDATE users SET language = 'en' WHERE login = 'ln_pj_member'");
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    struct t t;
    /* the user's language beats Accept-Language */
    t_start(h, &t, "GET", "/api/admin");
    t_cookie(&t, &h->member);
    t_header(&t, "Accept-Language", "zh-CN");
    assert_int_equal(t_run(&t), 403);
    assert_int_equal(t.r.lang, LANG_EN);
    assert_non_null(strstr(t.p.body.buf, "You are not allowed"));
    t_end(&t);
    /* ?lang= beats the user's language */
    t_start(h, &t, "GET", "/api/admin?lang=zh-Hant");
    t_cookie(&t, &h->member);
    assert_int_equal(t_run(&t), 403);
    assert_int_equal(t.r.lang, LANG_HANT);
    t_end(&t);
}

static void test_cookie_attributes(void **state)
{
    struct h *h = *state;
    struct t t;
    t_start(h, &t, "POST", "/api/login");
    t_body(&t, "application/json", "{}");
    assert_int_equal(t_run(&t), 201);
    assert_string_equal(header(&t, "Set-Cookie"),
                        "duikou_session=abc_DEF-123; Path=/; HttpOnly; SameSite=Lax");
    http_clear_session_cookie(&t.r, &t.p);
    assert_string_equal(t.p.headers[1].value,
                        "duikou_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    int n = t.p.n_headers;
    http_set_session_cookie(&t.r, &t.p, "bad;token"); /* never into a header */
    assert_int_equal(t.p.n_headers, n);
    t_end(&t);

    /* behind TLS: Secure and the __Host- prefix, and that is the cookie read back */
    use_state(&(struct http_config){.behind_tls = true});
    t_start(h, &t, "POST", "/api/login");
    t_body(&t, "application/json", "{}");
    assert_int_equal(t_run(&t), 201);
    assert_string_equal(header(&t, "Set-Cookie"), "__Host-duikou_session=abc_DEF-123; Path=/; "
                                                  "HttpOnly; SameSite=Lax; Secure");
    t_end(&t);
    t_start(h, &t, "GET", "/api/members");
    t_cookie(&t, &h->member); /* the plain name is not read behind TLS */
    assert_int_equal(t_run(&t), 401);
    t_end(&t);
    t_start(h, &t, "GET", "/api/members");
    t_header(&t, "Cookie",
             arena_printf(&t.arena, "__Host-duikou_session=%s", h->member.token));
    assert_int_equal(t_run(&t), 200);
    t_end(&t);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_in_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bearer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csrf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cookie_attributes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
