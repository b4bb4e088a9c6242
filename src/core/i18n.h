/* i18n: every message a person can read, in Simplified Chinese (the default), Traditional
 * Chinese and English, from one table (messages.def). Code names a message by its id. */
#ifndef DUIKOU_I18N_H
#define DUIKOU_I18N_H

enum lang { LANG_HANS = 0, LANG_HANT, LANG_EN, LANG_N };

/* "zh-Hans", "zh-Hant", "en" */
const char *i18n_lang_name(enum lang l);
/* Picks a language from ?lang= (exact names, or zh-CN/zh-TW/zh-HK/en-US …) or, when that is
 * NULL or unknown, from an Accept-Language header (first supported entry wins). Default
 * zh-Hans. Either argument may be NULL. */
enum lang i18n_pick(const char *param, const char *accept_language);
enum lang i18n_parse(const char *name); /* a stored language name; zh-Hans when unknown */
/* The language a ?lang= value or a lang cookie names (as i18n_pick reads it), or -1 when it
 * names none we have. */
int i18n_tag(const char *tag);
/* The message with that id in language l; the id itself when the table lacks it (tests
 * check that no page shows a bare id). */
const char *i18n(enum lang l, const char *id);
/* True when id is in the table. */
int i18n_known(const char *id);

#endif
