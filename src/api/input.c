/* input: reading fields of a JSON request body strictly. The api_json_* readers serve bodies
 * that nest (figures, id lists) and edits that may name null for "none" (the cooperation
 * core); the api_body_* wrappers serve flat bodies where null is never a value (accounts). A body is never trusted: every object is checked
 * for keys the route does not take (err_unknown_field: a misspelt optional field must not be
 * dropped silently), every field is looked up by name, its JSON type checked (a string where
 * a number belongs is err_type, never a conversion), integers bounded before they reach C
 * types, and the first fault answers 422 with the field that caused it. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "core/mem.h"
#include "service/project.h"

int api_json_object(struct req *r, struct resp *p, json_t *obj, const char *name,
                    const char *const *allowed)
{
    if (!json_is_object(obj))
        return http_error(r, p, 422, "err_type", name);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, key) == 0;
        if (!known) /* the key is valid UTF-8 (jansson checked it); JSON output escapes it */
            return http_error(r, p, 422, "err_unknown_field",
                              name ? arena_printf(r->arena, "%s.%s", name, key)
                                   : arena_strdup(r->arena, key));
    }
    return 0;
}

/* The value of key, NULL when absent or null; *status set when that is not allowed. */
static json_t *field(struct req *r, struct resp *p, json_t *obj, const char *key,
                     const char *name, unsigned flags, int *status)
{
    *status = 0;
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (v && json_is_null(v) && (flags & API_NO_NULL))
        *status = http_error(r, p, 422, "err_type", name);
    else if (!v && (flags & (API_REQUIRED | API_PRESENT)))
        *status = http_error(r, p, 422, "err_required", name);
    else if (v && json_is_null(v) && (flags & API_REQUIRED))
        *status = http_error(r, p, 422, "err_required", name);
    return v && !json_is_null(v) ? v : NULL;
}

int api_json_int(struct req *r, struct resp *p, json_t *obj, const char *key, const char *name,
                 unsigned flags, int64_t min, int64_t max, int64_t *out)
{
    int st;
    name = name ? name : key;
    json_t *v = field(r, p, obj, key, name, flags, &st);
    if (st || !v)
        return st;
    if (!json_is_integer(v))
        return http_error(r, p, 422, "err_type", name);
    json_int_t x = json_integer_value(v);
    if (x < min || x > max)
        return http_error(r, p, 422, "err_range", name);
    *out = (int64_t)x;
    return 0;
}

int api_json_str(struct req *r, struct resp *p, json_t *obj, const char *key, const char *name,
                 unsigned flags, const char **out)
{
    int st;
    name = name ? name : key;
    json_t *v = field(r, p, obj, key, name, flags, &st);
    if (st || !v)
        return st;
    if (!json_is_string(v))
        return http_error(r, p, 422, "err_type", name);
    *out = json_string_value(v);
    return 0;
}

int api_json_ids(struct req *r, struct resp *p, json_t *obj, const char *key, unsigned flags,
                 size_t max, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int st;
    json_t *v = field(r, p, obj, key, key, flags, &st);
    if (st || !v)
        return st;
    if (!json_is_array(v))
        return http_error(r, p, 422, "err_type", key);
    size_t len = json_array_size(v);
    if (len > max)
        return http_error(r, p, 422, "err_range", key);
    int64_t *ids = arena_alloc(r->arena, (len + 1) * sizeof *ids);
    for (size_t i = 0; i < len; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_integer(e))
            return http_error(r, p, 422, "err_type", arena_printf(r->arena, "%s[%zu]", key, i));
        if (json_integer_value(e) < 1)
            return http_error(r, p, 422, "err_range", arena_printf(r->arena, "%s[%zu]", key, i));
        ids[i] = (int64_t)json_integer_value(e);
    }
    *out = ids;
    *n = len;
    return 0;
}

/* ---- flat bodies, null never accepted ------------------------------------------------ */

int api_body_fields(struct req *r, struct resp *p, const char *const *allowed)
{
    return api_json_object(r, p, r->json, NULL, allowed);
}

int api_body_str(struct req *r, struct resp *p, const char *key, bool required, const char **out)
{
    *out = NULL;
    return api_json_str(r, p, r->json, key, NULL, API_NO_NULL | (required ? API_REQUIRED : 0),
                        out);
}

int api_body_int(struct req *r, struct resp *p, const char *key, bool required, int64_t min,
                 int64_t max, int64_t *out)
{
    return api_json_int(r, p, r->json, key, NULL, API_NO_NULL | (required ? API_REQUIRED : 0),
                        min, max, out);
}

int api_body_bool(struct req *r, struct resp *p, const char *key, int *out)
{
    int st;
    *out = -1;
    json_t *v = field(r, p, r->json, key, key, API_NO_NULL, &st);
    if (st || !v)
        return st;
    if (!json_is_boolean(v))
        return http_error(r, p, 422, "err_type", key);
    *out = json_is_true(v);
    return 0;
}

bool api_body_has(struct req *r, const char *key)
{
    return json_object_get(r->json, key) != NULL;
}

/* The updated_at an If-Match header names for an ETag "KIND-ID-UPDATED_AT": NULL without the
 * header or with "*"; "" when it names anything else, a weak ETag or a list included (If-Match
 * compares strongly), so the service answers 412. */
const char *api_if_match(struct req *r, const char *kind, int64_t id)
{
    const char *h = req_header(r, "If-Match");
    if (!h)
        return NULL;
    while (*h == ' ')
        h++;
    if (strcmp(h, "*") == 0)
        return NULL;
    const char *prefix = arena_printf(r->arena, "\"%s-%" PRId64 "-", kind, id);
    size_t pn = strlen(prefix), n = strlen(h);
    while (n && h[n - 1] == ' ')
        n--;
    if (n <= pn + 1 || strncmp(h, prefix, pn) != 0 || h[n - 1] != '"')
        return "";
    return arena_strndup(r->arena, h + pn, n - pn - 1);
}

/* An amount as …_yuan (an integer) or …_wan (万元 text); *out -1 when neither is given. */
int api_body_amount(struct req *r, struct resp *p, const char *base, int64_t *out)
{
    const char *yk = arena_printf(r->arena, "%s_yuan", base);
    const char *wk = arena_printf(r->arena, "%s_wan", base);
    int st;
    *out = -1;
    if (api_body_has(r, yk) && api_body_has(r, wk))
        return http_error(r, p, 422, "err_invalid", wk);
    if (api_body_has(r, yk)) {
        if ((st = api_body_int(r, p, yk, false, INT64_MIN, INT64_MAX, out)))
            return st;
        if (*out < 0 || *out > API_YUAN_MAX)
            return http_error(r, p, 422, *out < 0 ? "err_amount_negative" : "err_amount", yk);
        return 0;
    }
    if (api_body_has(r, wk)) {
        const char *text;
        if ((st = api_body_str(r, p, wk, false, &text)))
            return st;
        if (project_parse_wan(&r->ctx, text, wk, out) != SVC_OK)
            return http_from_service(r, p, SVC_INVALID);
    }
    return 0;
}

