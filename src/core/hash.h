/* hash: SHA-256 (libsodium) as lowercase hex; HMAC with SHA-256 or SM3 (OpenSSL 3). */
#ifndef DUIKOU_HASH_H
#define DUIKOU_HASH_H
#include <stdbool.h>
#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes 64 hex digits and a NUL into out. */
void sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1]);

/* Incremental form, for hashing several fields without concatenating them. */
struct sha256_ctx {
    unsigned char state[128] __attribute__((aligned(64)));
};
void sha256_begin(struct sha256_ctx *c);
void sha256_add(struct sha256_ctx *c, const void *data, size_t n);
void sha256_end_hex(struct sha256_ctx *c, char out[SHA256_HEX_LEN + 1]);

/* HMAC of data under key, as 64 lowercase hex digits: alg "hmac-sha256", or "hmac-sm3" (GB/T
 * 32905, for deployments that must use 商用密码). false for another alg or a failure. */
#define MAC_HEX_LEN 64
bool hmac_known(const char *alg);
bool hmac_hex(const char *alg, const void *key, size_t keylen, const void *data, size_t n,
              char out[MAC_HEX_LEN + 1]);

#endif
