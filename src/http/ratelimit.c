/* ratelimit: token buckets in memory, keyed by a string. The key is hashed with a random
 * SipHash key (so clients cannot aim collisions) into one of RL_SHARDS shards, each a small
 * open-addressing table behind its own mutex: a request holds one shard's lock for a few
 * dozen instructions. When a shard fills, buckets that have refilled completely are dropped
 * (forgetting them changes nothing), then the least recently used, so memory stays bounded
 * however many addresses come by. */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "http/http.h"

enum { RL_SHARDS = 16 };

struct rl_entry {
    uint64_t h; /* 0: empty slot */
    int64_t last_ms;
    double tokens;
};

struct rl_shard {
    pthread_mutex_t mu;
    struct rl_entry *t;
    size_t n;
} __attribute__((aligned(64)));

struct ratelimit {
    double per_ms, burst;
    size_t cap; /* slots per shard, a power of two */
    unsigned char key[crypto_shorthash_KEYBYTES];
    struct rl_shard shards[RL_SHARDS];
};

struct ratelimit *ratelimit_new(double per_second, double burst, size_t max_keys)
{
    if (sodium_init() < 0)
        abort();
    struct ratelimit *rl = xcalloc(1, sizeof *rl);
    rl->per_ms = per_second / 1000.0;
    rl->burst = burst < 1 ? 1 : burst;
    /* Keep at most 3/4 of the slots in use. */
    size_t per_shard = max_keys / RL_SHARDS * 4 / 3 + 1, cap = 16;
    while (cap < per_shard)
        cap *= 2;
    rl->cap = cap;
    crypto_shorthash_keygen(rl->key);
    for (int i = 0; i < RL_SHARDS; i++) {
        pthread_mutex_init(&rl->shards[i].mu, NULL);
        rl->shards[i].t = xcalloc(cap, sizeof(struct rl_entry));
    }
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    for (int i = 0; i < RL_SHARDS; i++) {
        pthread_mutex_destroy(&rl->shards[i].mu);
        free(rl->shards[i].t);
    }
    free(rl);
}

static double refilled(const struct ratelimit *rl, const struct rl_entry *e, int64_t now)
{
    int64_t dt = now - e->last_ms;
    if (dt <= 0)
        return e->tokens;
    double t = e->tokens + (double)dt * rl->per_ms;
    return t > rl->burst ? rl->burst : t;
}

static struct rl_entry *slot(const struct ratelimit *rl, struct rl_shard *s, uint64_t h)
{
    size_t mask = rl->cap - 1, i = (size_t)(h >> 8) & mask;
    while (s->t[i].h && s->t[i].h != h)
        i = (i + 1) & mask;
    return &s->t[i];
}

static int by_last_desc(const void *a, const void *b)
{
    const struct rl_entry *x = a, *y = b;
    return (x->last_ms < y->last_ms) - (x->last_ms > y->last_ms);
}

/* The shard is full: rebuild it without the full buckets and, if that is not enough, with
 * only the newest half. Rare (once per cap/4 new keys at worst). */
static void sweep(const struct ratelimit *rl, struct rl_shard *s, int64_t now)
{
    struct rl_entry *old = xmalloc(rl->cap * sizeof *old);
    size_t n = 0;
    for (size_t i = 0; i < rl->cap; i++)
        if (s->t[i].h && refilled(rl, &s->t[i], now) < rl->burst)
            old[n++] = s->t[i];
    if (n > rl->cap / 2) {
        qsort(old, n, sizeof *old, by_last_desc);
        n = rl->cap / 2;
    }
    memset(s->t, 0, rl->cap * sizeof *s->t);
    for (size_t i = 0; i < n; i++)
        *slot(rl, s, old[i].h) = old[i];
    s->n = n;
    free(old);
}

int ratelimit_take(struct ratelimit *rl, const char *key)
{
    unsigned char hb[crypto_shorthash_BYTES];
    crypto_shorthash(hb, (const unsigned char *)key, strlen(key), rl->key);
    uint64_t h;
    memcpy(&h, hb, sizeof h);
    if (!h)
        h = 1;
    int64_t now = clock_now_ms();
    struct rl_shard *s = &rl->shards[h % RL_SHARDS];
    int wait = 0;

    pthread_mutex_lock(&s->mu);
    struct rl_entry *e = slot(rl, s, h);
    if (!e->h) {
        if ((s->n + 1) * 4 > rl->cap * 3) {
            sweep(rl, s, now);
            e = slot(rl, s, h);
        }
        e->h = h;
        e->tokens = rl->burst;
        e->last_ms = now;
        s->n++;
    }
    double t = refilled(rl, e, now);
    if (now > e->last_ms)
        e->last_ms = now;
    if (t >= 1.0) {
        e->tokens = t - 1.0;
    } else {
        e->tokens = t;
        double secs = rl->per_ms > 0 ? (1.0 - t) / rl->per_ms / 1000.0 : 3600.0;
        wait = secs < 86400.0 ? (int)secs : 86400;
        if (wait < secs)
            wait++;
        if (wait < 1)
            wait = 1;
    }
    pthread_mutex_unlock(&s->mu);
    return wait;
}

size_t ratelimit_keys(struct ratelimit *rl)
{
    size_t n = 0;
    for (int i = 0; i < RL_SHARDS; i++) {
        pthread_mutex_lock(&rl->shards[i].mu);
        n += rl->shards[i].n;
        pthread_mutex_unlock(&rl->shards[i].mu);
    }
    return n;
}
