/* libFuzzer target: the request target (path and query string) as the server decodes it —
 * percent escapes, '+', NUL and invalid UTF-8 refused — then the lookups and the language
 * choice a handler makes. */
#include "http_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f;
    fz_start(&f, "GET");
    if (req_parse_target(&f.r, &f.p, fz_cstr(&f, data, size)) == 0) {
        fz_check_params(f.r.query, f.r.n_query, true);
        (void)req_query(&f.r, "lang");
        (void)req_query(&f.r, "after");
        (void)req_lang_choice(&f.r);
    }
    fz_end(&f);
    return 0;
}
