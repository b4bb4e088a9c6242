/* bench_ingest: how fast the ingester reads plan texts.
 *   bench_ingest FILE [N]  parses FILE N times (after one warm-up parse that loads OpenCC and
 *   the gazetteer) and prints the median and best time per parse, and the throughput on a
 *   10 MB concatenation of FILE. Used by `make bench`; not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "core/text.h"
#include "ingest/gazetteer.h"
#include "ingest/ingest.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_ingest FILE [N]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 200;
    if (n < 1)
        n = 1;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static char buf[4 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);

    struct arena a;
    struct ingest_result r;
    double t0 = now();
    arena_init(&a);
    ingest_parse(&a, buf, len, &r);
    arena_free(&a);
    double cold = now() - t0;

    double *times = xmalloc((size_t)n * sizeof *times);
    for (int i = 0; i < n; i++) {
        arena_init(&a);
        t0 = now();
        ingest_parse(&a, buf, len, &r);
        times[i] = now() - t0;
        arena_free(&a);
    }
    qsort(times, (size_t)n, sizeof *times, cmp);
    printf("ingest %zu bytes: cold %.2f ms (loads OpenCC and the gazetteer), warm median %.3f ms, "
           "best %.3f ms over %d runs\n",
           len, cold * 1e3, times[n / 2] * 1e3, times[0] * 1e3, n);

    /* Throughput on ~10 MB: the file repeated (each copy is a full set of plans). */
    size_t copies = (10u << 20) / (len + 1) + 1, big_len = copies * (len + 1);
    char *big = xmalloc(big_len);
    for (size_t i = 0; i < copies; i++) {
        memcpy(big + i * (len + 1), buf, len);
        big[i * (len + 1) + len] = '\n';
    }
    arena_init(&a);
    t0 = now();
    ingest_parse(&a, big, big_len, &r);
    double t = now() - t0;
    printf("ingest %.1f MB (%zu copies, %zu plans): %.0f ms, %.1f MB/s\n", big_len / 1048576.0,
           copies, r.n_plans, t * 1e3, big_len / 1048576.0 / t);
    arena_free(&a);
    free(big);
    free(times);
    gazetteer_shutdown();
    text_shutdown();
    return 0;
}
