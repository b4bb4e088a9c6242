/* input: reading fields of a JSON request body strictly, for the cooperation-core
 * handlers (task, assignment, work_plan, report), whose bodies nest (figures, id lists) and
 * whose edits may name null for "none". A body is never trusted: every object is checked
 * for keys the route does not take (err_unknown_field: a misspelt optional field must not be
 * dropped silently), every field is looked up by name, its JSON type checked (a string where
 * a number belongs is err_type, never a conversion), integers bounded before they reach C
 * types, and the first fault answers 422 with the field that caused it. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"

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
    if (!v && (flags & (API_REQUIRED | API_PRESENT)))
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
