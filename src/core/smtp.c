/* smtp: see smtp.h. libcurl speaks SMTP; this file only puts a message together and reads
 * curl's answer. */
#include "core/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool smtp_url_ok(const char *url)
{
    if (!url)
        return false;
    const char *host = strncmp(url, "smtp://", 7) == 0    ? url + 7
                       : strncmp(url, "smtps://", 8) == 0 ? url + 8
                                                          : NULL;
    if (!host || !*host || *host == '/' || *host == ':')
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    const char *at = strrchr(host, '@'); /* user:password@host */
    return !at || (at[1] && at[1] != '/' && at[1] != ':');
}

bool smtp_address_ok(const char *a)
{
    if (!a)
        return false;
    size_t n = strlen(a);
    const char *at = strchr(a, '@');
    if (n < 3 || n > 254 || !at || at == a || strchr(at + 1, '@') || at - a > 64)
        return false;
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p))
            return false;
    const char *d = at + 1;
    if (!strchr(d, '.') || *d == '.' || d[strlen(d) - 1] == '.' || strstr(d, ".."))
        return false;
    return true;
}

/* base64 of n bytes, lines of at most 76 characters when wrap. */
static void base64(struct sb *out, const unsigned char *s, size_t n, bool wrap)
{
    for (size_t at = 0; at < n || (at == 0 && n == 0);) {
        size_t take = n - at > 57 ? 57 : n - at; /* 57 bytes → 76 characters */
        char line[80];
        sodium_bin2base64(line, sizeof line, s + at, take, sodium_base64_VARIANT_ORIGINAL);
        sb_append(out, line);
        if (wrap)
            sb_append(out, "\r\n");
        at += take;
        if (n == 0)
            break;
    }
}

/* A header value: as it is when printable ASCII, else RFC 2047 encoded words (39 bytes of
 * UTF-8 each, never cutting a character: 64 characters, so "Subject: " and the first stay
 * within 78), folded. */
static void header_text(struct sb *out, const char *s)
{
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < ' ' || *p > '~')
            plain = false;
    if (plain && strlen(s) < 900) {
        sb_append(out, s);
        return;
    }
    size_t n = strlen(s), at = 0;
    while (at < n) {
        size_t take = n - at > 39 ? 39 : n - at;
        while (at + take < n && ((unsigned char)s[at + take] & 0xC0) == 0x80)
            take--; /* the next byte continues a character: end before it */
        if (at)
            sb_append(out, "\r\n ");
        sb_append(out, "=?UTF-8?B?");
        char word[64];
        sodium_bin2base64(word, sizeof word, (const unsigned char *)s + at, take,
                          sodium_base64_VARIANT_ORIGINAL);
        sb_append(out, word);
        sb_append(out, "?=");
        at += take;
    }
}

void smtp_compose(struct sb *out, const struct smtp_mail *m)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(m->date_ms / 1000);
    struct tm g;
    gmtime_r(&t, &g);
    sb_appendf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[g.tm_wday],
               g.tm_mday, months[g.tm_mon], g.tm_year + 1900, g.tm_hour, g.tm_min, g.tm_sec);
    sb_appendf(out, "From: %s\r\nTo: %s\r\nMessage-ID: <%s>\r\nSubject: ", m->from, m->to,
               m->message_id);
    header_text(out, m->subject);
    sb_append(out, "\r\nMIME-Version: 1.0\r\n"
                   "Content-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: base64\r\n"
                   "Auto-Submitted: auto-generated\r\n\r\n");
    /* The body with CRLF line ends, then base64 (SMTP lines stay short, any script). */
    struct sb crlf = SB_INIT;
    for (const char *p = m->body; *p; p++) {
        if (*p == '\n' && (p == m->body || p[-1] != '\r'))
            sb_appendc(&crlf, '\r');
        sb_appendc(&crlf, *p);
    }
    base64(out, (const unsigned char *)(crlf.buf ? crlf.buf : ""), crlf.len, true);
    sb_free(&crlf);
}

struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *arg)
{
    struct upload *u = arg;
    size_t take = size * n < u->left ? size * n : u->left;
    memcpy(buf, u->p, take);
    u->p += take;
    u->left -= take;
    return take;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_start(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

enum smtp_result smtp_send(const char *url, const char *from, const char *to,
                           const char *message, size_t len, char *answer, size_t n)
{
    pthread_once(&curl_once, curl_start);
    answer[0] = 0;
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(answer, n, "curl: cannot start");
        return SMTP_RETRY;
    }
    char err[CURL_ERROR_SIZE] = "", f[300], t[300];
    snprintf(f, sizeof f, "<%s>", from);
    snprintf(t, sizeof t, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, t);
    struct upload up = {message, len};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, f);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY); /* STARTTLS when offered */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    if (rc == CURLE_OK) {
        snprintf(answer, n, "%ld", code);
        return SMTP_SENT;
    }
    snprintf(answer, n, "%s%s%s", code ? "" : curl_easy_strerror(rc), code ? "" : ": ",
             err[0] ? err : curl_easy_strerror(rc));
    if (code) /* the server's own answer (curl's error buffer quotes its text) */
        snprintf(answer, n, "%ld %s", code, err[0] ? err : curl_easy_strerror(rc));
    if (code >= 500 || rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
        rc == CURLE_LOGIN_DENIED)
        return SMTP_REFUSED;
    return SMTP_RETRY;
}
