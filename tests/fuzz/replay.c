/* replay: runs a fuzz target over every file of a corpus directory without libFuzzer, so the
 * corpus (with every crash ever found) is a regression test in `make test`. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "ingest/gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: replay CORPUS_DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 1;
    }
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
        size_t got = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, got);
        free(buf);
        files++;
    }
    closedir(d);
    gazetteer_shutdown();
    text_shutdown();
    printf("replayed %d inputs from %s\n", files, argv[1]);
    return files > 0 ? 0 : 1;
}
