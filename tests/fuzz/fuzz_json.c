/* libFuzzer target: a JSON request body through the depth limit and jansson, then read by
 * the strict readers every API handler uses (api/input.c): unknown fields, types, ranges,
 * id lists. */
#include <jansson.h>

#include "api/api.h"
#include "http_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const allowed[] = {"title", "due", "percent", "support", "disabled",
                                          NULL};
    struct fz f;
    fz_start(&f, "POST");
    f.r.body = (const char *)data;
    f.r.body_len = size;
    if (req_parse_json(&f.r, &f.p) == 0 && json_is_object(f.r.json)) {
        const char *s;
        int64_t n;
        int b;
        int64_t *ids;
        size_t n_ids;
        (void)api_body_fields(&f.r, &f.p, allowed);
        (void)api_body_str(&f.r, &f.p, "title", true, &s);
        (void)api_body_int(&f.r, &f.p, "percent", false, 0, 100, &n);
        (void)api_body_bool(&f.r, &f.p, "disabled", &b);
        (void)api_json_ids(&f.r, &f.p, f.r.json, "support", 0, 50, &ids, &n_ids);
    }
    fz_end(&f);
    return 0;
}
