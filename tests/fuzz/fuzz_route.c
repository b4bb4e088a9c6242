/* libFuzzer target: path routing over the real table (http/routes.c). The first byte picks
 * the method, the rest is the request target: decoded, then matched ({id} bounds, 404 against
 * 405), and the page-or-API decision made. */
#include "http_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                          "OPTIONS", "BREW"};
    if (size == 0)
        return 0;
    struct fz f;
    fz_start(&f, methods[data[0] % (sizeof methods / sizeof *methods)]);
    if (req_parse_target(&f.r, &f.p, fz_cstr(&f, data + 1, size - 1)) == 0) {
        bool path_matched;
        const struct route *rt = http_match(http_routes, http_n_routes, f.r.method, f.r.path,
                                            f.r.ids, &f.r.n_ids, &path_matched);
        if (rt) {
            (void)http_route_is_page(rt);
            for (int i = 0; i < f.r.n_ids; i++)
                if (f.r.ids[i] <= 0)
                    abort(); /* {id} captures positive integers only */
        }
    }
    fz_end(&f);
    return 0;
}
