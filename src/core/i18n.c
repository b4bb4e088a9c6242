/* i18n: the catalog is compiled in from messages.def; lookups go through a hash table of
 * its ids built once (a linear scan over the ~700 ids was a fifth of the server's CPU time on
 * the bench's mixed run: a page looks up a few hundred labels). */
#include "core/i18n.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct msg {
    const char *id;
    const char *text[LANG_N];
};

static const struct msg catalog[] = {
#define MSG(id, hans, hant, en) {#id, {hans, hant, en}},
#include "core/messages.def"
#undef MSG
};

static const char *names[LANG_N] = {"zh-Hans", "zh-Hant", "en"};

const char *i18n_lang_name(enum lang l)
{
    return l < LANG_N ? names[l] : names[LANG_HANS];
}

/* One tag of Accept-Language or ?lang=, e.g. zh-TW, zh-Hant-HK, en-GB. -1: not supported. */
static int tag_lang(const char *t, size_t n)
{
    if (n >= 2 && strncasecmp(t, "en", 2) == 0 && (n == 2 || t[2] == '-'))
        return LANG_EN;
    if (n < 2 || strncasecmp(t, "zh", 2) != 0 || (n > 2 && t[2] != '-'))
        return -1;
    static const char *hant[] = {"zh-hant", "zh-tw", "zh-hk", "zh-mo"};
    for (size_t i = 0; i < sizeof hant / sizeof *hant; i++) {
        size_t m = strlen(hant[i]);
        if (n >= m && strncasecmp(t, hant[i], m) == 0)
            return LANG_HANT;
    }
    return LANG_HANS;
}

int i18n_tag(const char *tag)
{
    return tag ? tag_lang(tag, strlen(tag)) : -1;
}

enum lang i18n_parse(const char *name)
{
    if (name)
        for (int l = 0; l < LANG_N; l++)
            if (strcmp(name, names[l]) == 0)
                return (enum lang)l;
    return LANG_HANS;
}

enum lang i18n_pick(const char *param, const char *accept)
{
    if (param && *param) {
        int l = tag_lang(param, strlen(param));
        if (l >= 0)
            return (enum lang)l;
    }
    /* Entries in the order given; q-values are rarely used to reorder and ignoring them
     * keeps this simple: the first supported tag wins. */
    for (const char *p = accept; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",;");
        int l = tag_lang(p, n);
        if (l >= 0)
            return (enum lang)l;
        p += n;
        p += strcspn(p, ",");
    }
    return LANG_HANS;
}

enum { N_MSG = sizeof catalog / sizeof *catalog, SLOTS = 4096 };
_Static_assert(N_MSG * 2 <= SLOTS, "the catalog outgrew its hash table: double SLOTS");

/* Open addressing: slot holds a catalog index + 1, 0 when empty. */
static uint16_t slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static uint32_t id_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void slots_build(void)
{
    for (size_t i = 0; i < N_MSG; i++) {
        uint32_t k = id_hash(catalog[i].id) & (SLOTS - 1);
        while (slots[k])
            k = (k + 1) & (SLOTS - 1);
        slots[k] = (uint16_t)(i + 1);
    }
}

static const struct msg *find(const char *id)
{
    pthread_once(&slots_once, slots_build);
    for (uint32_t k = id_hash(id) & (SLOTS - 1); slots[k]; k = (k + 1) & (SLOTS - 1))
        if (strcmp(catalog[slots[k] - 1].id, id) == 0)
            return &catalog[slots[k] - 1];
    return NULL;
}

const char *i18n(enum lang l, const char *id)
{
    if (!id)
        return "";
    const struct msg *m = find(id);
    return m ? m->text[l < LANG_N ? l : LANG_HANS] : id;
}

int i18n_known(const char *id)
{
    return id && find(id) != NULL;
}
