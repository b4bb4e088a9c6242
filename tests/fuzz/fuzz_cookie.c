/* libFuzzer target: a Cookie header (session, language) split into name=value pairs. */
#include "http_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f;
    fz_start(&f, "GET");
    req_parse_cookies(&f.r, fz_cstr(&f, data, size));
    fz_check_params(f.r.cookies, f.r.n_cookies, false);
    (void)req_cookie(&f.r, "duikou_session");
    (void)req_cookie(&f.r, "lang");
    (void)req_lang_choice(&f.r);
    fz_end(&f);
    return 0;
}
