/* libFuzzer target for the ingester: any bytes in, never a crash, a hang or a leak, and the
 * JSON output always built. `make fuzz` runs it; tests/fuzz/corpus/ingest is replayed by
 * `make test` through replay.c. */
#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "core/mem.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct ingest_result r;
    ingest_parse(&a, (const char *)data, size, &r);
    (void)ingest_has_errors(&r);
    struct sb out = SB_INIT;
    struct jw w;
    jw_init(&w, &out, false);
    ingest_write_json(&r, &w);
    sb_free(&out);
    arena_free(&a);
    return 0;
}
