/* seal: personal data encrypted at rest under a key kept beside the database (core/seal.h). */
#include "core/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"

#define SEAL_PREFIX "v1:"
#define SEAL_MAGIC "duikou-data-key v1 "

static struct seal_key use_key;
static bool have_key;

void seal_use_key(const struct seal_key *k)
{
    have_key = k != NULL;
    if (k)
        use_key = *k;
    else
        sodium_memzero(&use_key, sizeof use_key);
}

bool seal_have_key(void)
{
    return have_key;
}

int seal_key_read(const char *path, struct seal_key *out, const char **why)
{
    memset(out, 0, sizeof *out);
    struct stat sb;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *why = "the data key file cannot be read";
        if (fd >= 0)
            close(fd);
        return -1;
    }
    /* the key opens every sealed datum: a file others may read is no key */
    if (sb.st_mode & 077) {
        close(fd);
        *why = "the data key file may be read by others than its owner (chmod 600 it)";
        return -1;
    }
    char text[128] = {0};
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    size_t magic = strlen(SEAL_MAGIC);
    /* a file shorter than its magic is none: nothing past what was read is looked at */
    bool ok = n > 0 && (size_t)n > magic && memcmp(text, SEAL_MAGIC, magic) == 0;
    if (ok) {
        size_t hex = strcspn(text + magic, "\n");
        ok = hex == 2 * sizeof out->key &&
             sodium_hex2bin(out->key, sizeof out->key, text + magic, hex, NULL, NULL, NULL) == 0;
    }
    sodium_memzero(text, sizeof text);
    if (!ok) {
        sodium_memzero(out, sizeof *out);
        *why = "this is not a Duikou data key file";
        return -1;
    }
    return 0;
}

int seal_key_create(const char *path, struct seal_key *out, const char **why)
{
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        *why = "libsodium could not start";
        return -1;
    }
    randombytes_buf(out->key, sizeof out->key);
    char hex[2 * SEAL_KEY_BYTES + 1], text[128];
    sodium_bin2hex(hex, sizeof hex, out->key, sizeof out->key);
    int n = snprintf(text, sizeof text, SEAL_MAGIC "%s\n", hex);
    sodium_memzero(hex, sizeof hex);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    bool written = fd >= 0 && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
    sodium_memzero(text, sizeof text);
    int err = errno;
    if (fd >= 0)
        close(fd);
    if (!written) {
        if (fd >= 0)
            unlink(path);
        sodium_memzero(out, sizeof *out);
        *why = fd < 0 && err == EEXIST ? "a data key file is there already (never overwritten)"
                                       : "the data key file cannot be written";
        return -1;
    }
    return 0;
}

int seal_key_load(const char *path, bool create, const char **why)
{
    struct seal_key k;
    struct stat sb;
    int rc;
    if (sodium_init() < 0) {
        *why = "libsodium could not start";
        return -1;
    }
    if (lstat(path, &sb) == 0)
        rc = seal_key_read(path, &k, why);
    else if (errno != ENOENT) {
        *why = "the data key file cannot be read";
        return -1;
    } else if (!create)
        return 0;
    else
        rc = seal_key_create(path, &k, why);
    if (rc < 0)
        return -1;
    seal_use_key(&k);
    sodium_memzero(&k, sizeof k);
    return 1;
}

const char *seal_text(struct arena *a, const char *plain)
{
    if (!have_key || !plain)
        return NULL;
    size_t n = strlen(plain);
    size_t bin_n = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *bin = xmalloc(bin_n);
    randombytes_buf(bin, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(bin + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n,
                          bin, use_key.key);
    size_t b64_n = sodium_base64_ENCODED_LEN(bin_n, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(a, strlen(SEAL_PREFIX) + b64_n);
    memcpy(out, SEAL_PREFIX, strlen(SEAL_PREFIX));
    sodium_bin2base64(out + strlen(SEAL_PREFIX), b64_n, bin, bin_n,
                      sodium_base64_VARIANT_ORIGINAL);
    free(bin);
    return out;
}

const char *seal_open(struct arena *a, const char *sealed)
{
    size_t pre = strlen(SEAL_PREFIX);
    if (!have_key || !sealed || strncmp(sealed, SEAL_PREFIX, pre) != 0)
        return NULL;
    const char *b64 = sealed + pre;
    size_t b64_n = strlen(b64);
    size_t max = b64_n / 4 * 3 + 3, bin_n = 0;
    const size_t head = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    unsigned char *bin = xmalloc(max);
    const char *end = NULL;
    char *plain = NULL;
    if (sodium_base642bin(bin, max, b64, b64_n, NULL, &bin_n, &end,
                          sodium_base64_VARIANT_ORIGINAL) == 0 &&
        end == b64 + b64_n && bin_n >= head) {
        size_t n = bin_n - head;
        plain = arena_alloc(a, n + 1);
        if (crypto_secretbox_open_easy((unsigned char *)plain, bin + crypto_secretbox_NONCEBYTES,
                                       bin_n - crypto_secretbox_NONCEBYTES, bin,
                                       use_key.key) != 0 ||
            memchr(plain, 0, n)) {
            sodium_memzero(plain, n + 1);
            plain = NULL;
        } else {
            plain[n] = 0;
        }
    }
    free(bin);
    return plain;
}
