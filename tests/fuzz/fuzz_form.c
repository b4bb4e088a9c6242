/* libFuzzer target: an application/x-www-form-urlencoded body as the pages receive it. */
#include "http_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f;
    fz_start(&f, "POST");
    if (req_parse_form(&f.r, &f.p, (const char *)data, size) == 0) {
        fz_check_params(f.r.form, f.r.n_form, true);
        (void)req_form(&f.r, "csrf_token");
        (void)req_form(&f.r, "narrative");
    }
    fz_end(&f);
    return 0;
}
