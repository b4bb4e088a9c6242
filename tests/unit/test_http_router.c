/* test_http_router: route patterns and {id} bounds, 404 against 405, decoding of the target
 * (percent escapes, NUL and invalid UTF-8 refused), query and form parameters, cookies, the
 * JSON body limits, the language a request is answered in, same-origin checks, and error
 * bodies. Requests are built without a socket through http/internal.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "http/internal.h"

static int h_dummy(struct req *r, struct resp *p)
{
    return 200;
}

static const struct route table[] = {
    {"GET", "/api/v1/plans", h_dummy, ROLE_PUBLIC, 0, "list"},
    {"GET", "/api/v1/plans/{id}", h_dummy, ROLE_PUBLIC, 0, "one"},
    {"PUT", "/api/v1/plans/{id}", h_dummy, ROLE_COORDINATOR, ROUTE_JSON, "edit"},
    {"GET", "/api/v1/tasks/{id}/assignments", h_dummy, ROLE_PUBLIC, 0, "assignments"},
    {"DELETE", "/api/v1/tasks/{id}/assignments/{id}", h_dummy, ROLE_COORDINATOR, 0, "drop"},
};
enum { N_TABLE = sizeof table / sizeof *table };

/* One request in its own arena, as the server would start it. */
struct t {
    struct arena arena;
    struct req r;
    struct resp p;
    struct param headers[4];
};

static void t_start(struct t *t, const char *method)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
    req_init(&t->r, &t->arena, method, "127.0.0.1");
    sb_init(&t->p.body);
    resp_init(&t->p);
}

static void t_header(struct t *t, const char *name, const char *value)
{
    t->headers[t->r.n_headers].name = name;
    t->headers[t->r.n_headers].value = value;
    t->r.headers = t->headers;
    t->r.n_headers++;
}

static void t_end(struct t *t)
{
    sb_free(&t->p.body);
    arena_free(&t->arena);
}

/* The route matched for method and path, or NULL; ids into out. */
static const struct route *m(const char *method, const char *path, int64_t *ids, int *n,
                             bool *path_matched)
{
    return http_match(table, N_TABLE, method, path, ids, n, path_matched);
}

static void test_patterns(void **state)
{
    int64_t ids[HTTP_MAX_IDS];
    int n = -1;
    bool pm;
    const struct route *rt = m("GET", "/api/v1/plans", ids, &n, &pm);
    assert_non_null(rt);
    assert_string_equal(rt->summary, "list");
    assert_int_equal(n, 0);

    rt = m("GET", "/api/v1/plans/42", ids, &n, &pm);
    assert_non_null(rt);
    assert_string_equal(rt->summary, "one");
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 42);

    rt = m("DELETE", "/api/v1/tasks/7/assignments/9", ids, &n, &pm);
    assert_non_null(rt);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 7);
    assert_int_equal(ids[1], 9);

    rt = m("GET", "/api/v1/tasks/7/assignments", ids, &n, &pm);
    assert_non_null(rt);
    assert_string_equal(rt->summary, "assignments");

    /* HEAD is answered by the GET route */
    rt = m("HEAD", "/api/v1/plans/1", ids, &n, &pm);
    assert_non_null(rt);
    assert_string_equal(rt->method, "GET");

    /* trailing slashes, prefixes and extra segments do not match */
    assert_null(m("GET", "/api/v1/plans/", ids, &n, &pm));
    assert_false(pm);
    assert_null(m("GET", "/api/v1/plan", ids, &n, &pm));
    assert_null(m("GET", "/api/v1/plans/1/x", ids, &n, &pm));
    assert_null(m("GET", "/api/v1/tasks/1/assignments/", ids, &n, &pm));
    assert_null(m("GET", "", ids, &n, &pm));
}

static void test_id_bounds(void **state)
{
    int64_t ids[HTTP_MAX_IDS];
    int n;
    bool pm;
    assert_non_null(m("GET", "/api/v1/plans/1", ids, &n, &pm));
    assert_int_equal(ids[0], 1);
    assert_non_null(m("GET", "/api/v1/plans/9223372036854775807", ids, &n, &pm));
    assert_true(ids[0] == INT64_MAX);
    static const char *bad[] = {
        "/api/v1/plans/0",     "/api/v1/plans/-1",   "/api/v1/plans/+1",
        "/api/v1/plans/01",    "/api/v1/plans/1a",   "/api/v1/plans/ 1",
        "/api/v1/plans/1.0",   "/api/v1/plans/0x10",
        "/api/v1/plans/9223372036854775808",          /* INT64_MAX + 1 */
        "/api/v1/plans/18446744073709551616",         /* past uint64 */
        "/api/v1/plans/99999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pm = true;
        if (m("GET", bad[i], ids, &n, &pm) || pm)
            fail_msg("%s matched", bad[i]);
    }
}

static void test_404_405(void **state)
{
    int64_t ids[HTTP_MAX_IDS];
    int n;
    bool pm;
    /* the path exists for GET and PUT, not for POST: 405 */
    assert_null(m("POST", "/api/v1/plans/3", ids, &n, &pm));
    assert_true(pm);
    assert_null(m("nope", "/api/v1/plans", ids, &n, &pm));
    assert_true(pm);
    /* no such path: 404 */
    assert_null(m("GET", "/api/v2/plans", ids, &n, &pm));
    assert_false(pm);

    /* the same through the pipeline and the real table */
    http_state_init(&(struct http_config){0});
    struct t t;
    t_start(&t, "POST");
    assert_int_equal(req_parse_target(&t.r, &t.p, "/healthz"), 0);
    assert_int_equal(http_dispatch(&t.r, &t.p), 405);
    assert_int_equal(t.p.n_headers, 1);
    assert_string_equal(t.p.headers[0].name, "Allow");
    assert_string_equal(t.p.headers[0].value, "GET, HEAD");
    assert_non_null(strstr(t.p.body.buf, "\"err_method\""));
    t_end(&t);

    t_start(&t, "GET");
    assert_int_equal(req_parse_target(&t.r, &t.p, "/api/no/such?lang=en"), 0);
    assert_int_equal(http_dispatch(&t.r, &t.p), 404);
    assert_string_equal(t.p.body.buf, "{\"error\":{\"code\":\"err_route_not_found\","
                                      "\"message\":\"There is no such address.\","
                                      "\"field\":null}}");
    t_end(&t);

    t_start(&t, "HEAD");
    assert_int_equal(req_parse_target(&t.r, &t.p, "/healthz"), 0);
    assert_int_equal(http_dispatch(&t.r, &t.p), 200);
    assert_non_null(strstr(t.p.body.buf, "{\"ok\":true,\"today\":\""));
    assert_non_null(strstr(t.p.body.buf, "\"utc_offset_minutes\":480}"));
    t_end(&t);
    http_state_free();
}

static void test_decoding(void **state)
{
    struct t t;
    t_start(&t, "GET");
    assert_int_equal(
        req_parse_target(&t.r, &t.p, "/a%20b/%E8%BE%BD%E5%AE%81+x?q=%E5%A4%A7%E8%BF%9E+%2B1"
                                     "&flag&empty=&=v&&a=1&a=2#frag"),
        0);
    assert_string_equal(t.r.path, "/a b/辽宁+x"); /* '+' is a plus in a path */
    assert_string_equal(req_query(&t.r, "q"), "大连 +1");
    assert_string_equal(req_query(&t.r, "flag"), "");
    assert_string_equal(req_query(&t.r, "empty"), "");
    assert_string_equal(req_query(&t.r, ""), "v");
    assert_string_equal(req_query(&t.r, "a"), "1"); /* the first of repeated names */
    assert_null(req_query(&t.r, "frag"));
    assert_null(req_query(&t.r, "missing"));
    t_end(&t);

    /* malformed escapes stay as typed */
    t_start(&t, "GET");
    assert_int_equal(req_parse_target(&t.r, &t.p, "/100%/x%zz%4?p=%"), 0);
    assert_string_equal(t.r.path, "/100%/x%zz%4");
    assert_string_equal(req_query(&t.r, "p"), "%");
    t_end(&t);

    static const char *bad[] = {
        "/a%00b",                 /* NUL */
        "/%FF",                   /* not UTF-8 */
        "/%C0%AF",                /* overlong '/' */
        "/%ED%A0%80",             /* surrogate */
        "/%E8%BE",                /* truncated */
        "/api/ok?x=%00",          /* NUL in a value */
        "/api/ok?%FE=1",          /* bad name */
        "/api/ok?x=%F4%90%80%80", /* past U+10FFFF */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t_start(&t, "GET");
        t_header(&t, "Accept-Language", "en");
        int st = req_parse_target(&t.r, &t.p, bad[i]);
        if (st != 400)
            fail_msg("%s: %d", bad[i], st);
        assert_non_null(strstr(t.p.body.buf, "\"code\":\"err_bad_utf8\""));
        assert_non_null(strstr(t.p.body.buf, "not valid UTF-8")); /* in the asked language */
        t_end(&t);
    }
}

static void test_too_many_params(void **state)
{
    struct sb q = SB_INIT;
    sb_append(&q, "/api/x?");
    for (int i = 0; i <= HTTP_MAX_PARAMS; i++)
        sb_appendf(&q, "p%d=1&", i);
    struct t t;
    t_start(&t, "GET");
    assert_int_equal(req_parse_target(&t.r, &t.p, q.buf), 414);
    assert_non_null(strstr(t.p.body.buf, "err_too_many_params"));
    t_end(&t);
    sb_free(&q);
}

static void test_form_and_cookies(void **state)
{
    struct t t;
    t_start(&t, "POST");
    const char *body = "login=%E5%BC%A0%E4%B8%89&password=a+b%26c&csrf_token=xyz";
    assert_int_equal(req_parse_form(&t.r, &t.p, body, strlen(body)), 0);
    assert_string_equal(req_form(&t.r, "login"), "张三");
    assert_string_equal(req_form(&t.r, "password"), "a b&c");
    assert_string_equal(req_form(&t.r, "csrf_token"), "xyz");
    assert_null(req_form(&t.r, "nope"));
    assert_int_equal(req_parse_form(&t.r, &t.p, "x=%C3", 5), 400);
    t_end(&t);

    t_start(&t, "GET");
    req_parse_cookies(&t.r, " a=1;duikou_session=tok123 ; empty=; q=\"quoted\";junk; =x");
    assert_string_equal(req_cookie(&t.r, "a"), "1");
    assert_string_equal(req_cookie(&t.r, "duikou_session"), "tok123");
    assert_string_equal(req_cookie(&t.r, "empty"), "");
    assert_string_equal(req_cookie(&t.r, "q"), "quoted");
    assert_null(req_cookie(&t.r, "junk"));
    assert_null(req_cookie(&t.r, "A"));
    req_parse_cookies(&t.r, NULL);
    assert_null(req_cookie(&t.r, "a"));
    t_end(&t);

    assert_true(http_content_type_is("application/json", "application/json"));
    assert_true(http_content_type_is("Application/JSON; charset=utf-8", "application/json"));
    assert_false(http_content_type_is("application/jsonp", "application/json"));
    assert_false(http_content_type_is("text/plain", "application/json"));
    assert_false(http_content_type_is(NULL, "application/json"));
}

static int json_status(const char *body)
{
    struct t t;
    t_start(&t, "POST");
    t.r.body = body;
    t.r.body_len = strlen(body);
    int st = req_parse_json(&t.r, &t.p);
    if (st == 0)
        assert_non_null(t.r.json); /* freed with the arena: ASan checks the leak */
    else
        assert_non_null(strstr(t.p.body.buf, "err_bad_json"));
    t_end(&t);
    return st;
}

static char *nested(int depth, const char *open, const char *close, const char *inner)
{
    struct sb s = SB_INIT;
    for (int i = 0; i < depth; i++)
        sb_append(&s, open);
    sb_append(&s, inner);
    for (int i = 0; i < depth; i++)
        sb_append(&s, close);
    return sb_steal(&s);
}

static void test_json_limits(void **state)
{
    assert_int_equal(json_status("{\"login\":\"张三\",\"n\":[1,2,{\"x\":null}]}"), 0);
    char *ok = nested(HTTP_MAX_JSON_DEPTH, "[", "]", "1");
    char *deep = nested(HTTP_MAX_JSON_DEPTH + 1, "[", "]", "1");
    char *deep_obj = nested(HTTP_MAX_JSON_DEPTH + 1, "{\"a\":", "}", "1");
    char *very_deep = nested(100000, "[", "]", "");
    assert_int_equal(json_status(ok), 0);
    assert_int_equal(json_status(deep), 400);
    assert_int_equal(json_status(deep_obj), 400);
    assert_int_equal(json_status(very_deep), 400);
    free(ok);
    free(deep);
    free(deep_obj);
    free(very_deep);
    /* brackets inside strings do not count */
    char *in_str = nested(1, "{\"s\":\"", "\"}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[");
    assert_int_equal(json_status(in_str), 0);
    free(in_str);

    assert_int_equal(json_status("{\"a\":1,\"a\":2}"), 400);       /* duplicate keys */
    assert_int_equal(json_status("{\"a\":\"\xff\"}"), 400);         /* invalid UTF-8 */
    assert_int_equal(json_status("{\"a\":\"\xed\xa0\x80\"}"), 400); /* surrogate */
    assert_int_equal(json_status("{\"a\":\"x\\u0000y\"}"), 400);    /* NUL escape */
    assert_int_equal(json_status("{\"a\":1} x"), 400);              /* trailing garbage */
    assert_int_equal(json_status("{\"a\":"), 400);
    assert_int_equal(json_status(""), 400);
}

static enum lang lang_of(const char *target, const char *accept)
{
    struct t t;
    t_start(&t, "GET");
    if (accept)
        t_header(&t, "accept-language", accept); /* header names are case-insensitive */
    assert_int_equal(req_parse_target(&t.r, &t.p, target), 0);
    enum lang l = t.r.lang;
    t_end(&t);
    return l;
}

static void test_language(void **state)
{
    assert_int_equal(lang_of("/", NULL), LANG_HANS);
    assert_int_equal(lang_of("/?lang=en", NULL), LANG_EN);
    assert_int_equal(lang_of("/?lang=zh-Hant", NULL), LANG_HANT);
    assert_int_equal(lang_of("/?lang=zh-TW", "en"), LANG_HANT);
    assert_int_equal(lang_of("/", "en-US,en;q=0.9"), LANG_EN);
    assert_int_equal(lang_of("/", "zh-HK,zh;q=0.8"), LANG_HANT);
    assert_int_equal(lang_of("/", "fr-FR, de"), LANG_HANS);
    assert_int_equal(lang_of("/?lang=xx", "en"), LANG_EN);  /* unknown ?lang= falls through */
    assert_int_equal(lang_of("/?lang=zh", "en"), LANG_HANS); /* the parameter wins */

    /* errors are written in the request's language */
    struct t t;
    t_start(&t, "GET");
    t_header(&t, "Accept-Language", "zh-TW");
    assert_int_equal(req_parse_target(&t.r, &t.p, "/x"), 0);
    assert_int_equal(http_error(&t.r, &t.p, 404, "err_not_found", "id"), 404);
    assert_string_equal(t.p.body.buf, "{\"error\":{\"code\":\"err_not_found\","
                                      "\"message\":\"找不到該資源。\",\"field\":\"id\"}}");
    t_end(&t);
}

static void test_service_errors(void **state)
{
    static const struct {
        int svc, status;
        const char *code;
    } map[] = {
        {SVC_INVALID, 422, "err_invalid"},     {SVC_NOT_FOUND, 404, "err_not_found"},
        {SVC_CONFLICT, 409, "err_conflict"},   {SVC_FORBIDDEN, 403, "err_forbidden"},
        {SVC_UNAUTHORIZED, 401, "err_unauthorized"}, {SVC_STALE, 412, "err_stale"},
        {SVC_LOCKED, 429, "err_locked"},       {SVC_ERROR, 500, "err_internal"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        struct t t;
        t_start(&t, "GET");
        assert_int_equal(http_from_service(&t.r, &t.p, map[i].svc), map[i].status);
        char want[64];
        snprintf(want, sizeof want, "\"code\":\"%s\"", map[i].code);
        assert_non_null(strstr(t.p.body.buf, want));
        if (map[i].status == 429) {
            assert_int_equal(t.p.n_headers, 1);
            assert_string_equal(t.p.headers[0].name, "Retry-After");
        }
        t_end(&t);
    }
    /* the service's code and field are passed on; its English detail never is */
    struct t t;
    t_start(&t, "GET");
    t.r.ctx.code = "err_range";
    t.r.ctx.field = "percent";
    t.r.ctx.error = "SELECT secret FROM /var/lib/x.db";
    assert_int_equal(http_from_service(&t.r, &t.p, SVC_INVALID), 422);
    assert_non_null(strstr(t.p.body.buf, "\"code\":\"err_range\""));
    assert_non_null(strstr(t.p.body.buf, "\"field\":\"percent\""));
    assert_null(strstr(t.p.body.buf, "SELECT"));
    t_end(&t);
    t_start(&t, "GET");
    t.r.ctx.error = "SELECT secret FROM /var/lib/x.db";
    assert_int_equal(http_from_service(&t.r, &t.p, SVC_ERROR), 500);
    assert_null(strstr(t.p.body.buf, "SELECT"));
    assert_null(strstr(t.p.body.buf, "/var"));
    t_end(&t);
}

static void test_same_origin(void **state)
{
    assert_true(http_same_origin("http://127.0.0.1:8080", "127.0.0.1:8080", false));
    assert_true(http_same_origin("http://Example.org", "example.org", false));
    assert_true(http_same_origin("http://example.org", "example.org:80", false));
    assert_true(http_same_origin("https://example.org", "example.org", true));
    assert_true(http_same_origin("https://example.org:8443", "example.org:8443", true));
    assert_true(http_same_origin("http://[::1]:8080", "[::1]:8080", false));
    assert_false(http_same_origin("http://evil.example", "example.org", false));
    assert_false(http_same_origin("http://127.0.0.1:8081", "127.0.0.1:8080", false));
    assert_false(http_same_origin("http://example.org", "example.org", true)); /* TLS only */
    assert_false(http_same_origin("https://example.org", "example.org:80", false));
    assert_false(http_same_origin("null", "example.org", false));
    assert_false(http_same_origin("http://example.org.evil", "example.org", false));
    assert_false(http_same_origin("http://example.org", NULL, false));
    assert_false(http_same_origin("http://example.org:99999", "example.org:99999", false));
    assert_false(http_same_origin("ftp://example.org", "example.org", false));
    /* a plain-http server is reached by plain http only: an https origin is another site */
    assert_false(http_same_origin("https://127.0.0.1:8080", "127.0.0.1:8080", false));
    assert_false(http_same_origin("https://example.org:443", "example.org:443", false));
}

/* The Host names a server answers: the listen address's (with localhost beside a loopback
 * one), or those --host names; a server on every address without --host takes any. */
static void test_host_allowed(void **state)
{
    struct http_config cfg = {.listen = "127.0.0.1:8080"};
    http_state_init(&cfg);
    assert_true(http_host_allowed("127.0.0.1:8080"));
    assert_true(http_host_allowed("localhost:8080"));
    assert_true(http_host_allowed("LOCALHOST"));
    assert_true(http_host_allowed("[::1]:8080"));
    assert_false(http_host_allowed("evil.example:8080")); /* DNS rebinding */
    assert_false(http_host_allowed("127.0.0.1.evil.example"));
    assert_false(http_host_allowed(""));
    assert_false(http_host_allowed(NULL));
    http_state_free();

    struct http_config named = {.listen = "0.0.0.0:80", .hosts = {"duikou.example.gov.cn"},
                                .n_hosts = 1};
    http_state_init(&named);
    assert_true(http_host_allowed("duikou.example.gov.cn"));
    assert_true(http_host_allowed("Duikou.Example.gov.cn:443"));
    assert_false(http_host_allowed("10.0.0.5"));
    assert_false(http_host_allowed("localhost"));
    http_state_free();

    struct http_config bare = {.listen = "8080"}; /* a bare port listens on 127.0.0.1 */
    http_state_init(&bare);
    assert_true(http_host_allowed("127.0.0.1:8080"));
    assert_true(http_host_allowed("localhost:8080"));
    assert_false(http_host_allowed("8080"));
    http_state_free();

    struct http_config any = {.listen = ":8080"};
    http_state_init(&any);
    assert_true(http_host_allowed("whatever.example"));
    assert_false(http_host_allowed(""));
    http_state_free();
    (void)state;
}

static void test_nonce(void **state)
{
    struct resp a = {0}, b = {0};
    resp_init(&a);
    resp_init(&b);
    assert_int_equal(strlen(a.nonce), 22);
    assert_string_not_equal(a.nonce, b.nonce);
    assert_int_equal(a.status, 200);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns),         cmocka_unit_test(test_id_bounds),
        cmocka_unit_test(test_404_405),          cmocka_unit_test(test_decoding),
        cmocka_unit_test(test_too_many_params),  cmocka_unit_test(test_form_and_cookies),
        cmocka_unit_test(test_json_limits),      cmocka_unit_test(test_language),
        cmocka_unit_test(test_service_errors),   cmocka_unit_test(test_same_origin),
        cmocka_unit_test(test_host_allowed),
        cmocka_unit_test(test_nonce),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
