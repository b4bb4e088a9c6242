/* json_body: strict reading of JSON request bodies. A body is an object holding only the keys
 * the route takes (a misspelt key is an error, not a silent no-op), each of the right type
 * and range; the first fault answers 422 with its field. JSON null counts as a wrong type: no
 * route using these helpers takes null to clear a value. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "api/api.h"

int api_body_fields(struct req *r, struct resp *p, const char *const *allowed)
{
    if (!json_is_object(r->json))
        return http_error(r, p, 422, "err_type", NULL);
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v)
    {
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, key) == 0;
        if (!known) /* the key is valid UTF-8 (jansson checked) and is escaped when written */
            return http_error(r, p, 422, "err_unknown_field", arena_strdup(r->arena, key));
    }
    return 0;
}

int api_body_str(struct req *r, struct resp *p, const char *key, bool required, const char **out)
{
    json_t *v = json_object_get(r->json, key);
    *out = NULL;
    if (!v)
        return required ? http_error(r, p, 422, "err_required", key) : 0;
    if (!json_is_string(v))
        return http_error(r, p, 422, "err_type", key);
    *out = json_string_value(v);
    return 0;
}

int api_body_int(struct req *r, struct resp *p, const char *key, bool required, int64_t min,
                 int64_t max, int64_t *out)
{
    json_t *v = json_object_get(r->json, key);
    if (!v)
        return required ? http_error(r, p, 422, "err_required", key) : 0;
    if (!json_is_integer(v))
        return http_error(r, p, 422, "err_type", key);
    json_int_t x = json_integer_value(v);
    if (x < min || x > max)
        return http_error(r, p, 422, "err_range", key);
    *out = (int64_t)x;
    return 0;
}

int api_body_bool(struct req *r, struct resp *p, const char *key, int *out)
{
    json_t *v = json_object_get(r->json, key);
    *out = -1;
    if (!v)
        return 0;
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
