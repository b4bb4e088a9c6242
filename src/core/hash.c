/* hash: thin layer over libsodium's crypto_hash_sha256, and OpenSSL's HMAC (EVP_Q_mac), which
 * has SM3 where libsodium has not. */
#include "core/hash.h"

#include <assert.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(struct sha256_ctx),
              "sha256_ctx too small");

static void to_hex(const unsigned char *d, char out[SHA256_HEX_LEN + 1])
{
    sodium_bin2hex(out, SHA256_HEX_LEN + 1, d, crypto_hash_sha256_BYTES);
}

void sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, data, n);
    to_hex(d, out);
}

void sha256_begin(struct sha256_ctx *c)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)c->state);
}

void sha256_add(struct sha256_ctx *c, const void *data, size_t n)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)c->state, data, n);
}

void sha256_end_hex(struct sha256_ctx *c, char out[SHA256_HEX_LEN + 1])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final((crypto_hash_sha256_state *)c->state, d);
    to_hex(d, out);
}

bool hmac_known(const char *alg)
{
    return alg && (strcmp(alg, "hmac-sha256") == 0 || strcmp(alg, "hmac-sm3") == 0);
}

bool hmac_hex(const char *alg, const void *key, size_t keylen, const void *data, size_t n,
              char out[MAC_HEX_LEN + 1])
{
    if (!hmac_known(alg))
        return false;
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t len = 0;
    const char *digest = strcmp(alg, "hmac-sm3") == 0 ? "SM3" : "SHA256";
    if (!EVP_Q_mac(NULL, "HMAC", NULL, digest, NULL, key, keylen, data, n, mac, sizeof mac,
                   &len) ||
        len != MAC_HEX_LEN / 2)
        return false;
    sodium_bin2hex(out, MAC_HEX_LEN + 1, mac, len);
    return true;
}
