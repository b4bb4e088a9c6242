/* smtp: one plain-text mail, composed (RFC 5322 headers, a UTF-8 subject as RFC 2047 encoded
 * words, the body in base64) and handed to an SMTP server by libcurl: smtp:// (STARTTLS when
 * the server offers it) or smtps://, with AUTH when the URL carries a user and password
 * (smtp://user:password@host:587). */
#ifndef DUIKOU_CORE_SMTP_H
#define DUIKOU_CORE_SMTP_H
#include <stdbool.h>
#include <stddef.h>

#include "core/sb.h"

/* True when url is an smtp:// or smtps:// URL with a host. */
bool smtp_url_ok(const char *url);
/* True when address looks like a mailbox: local@domain, no spaces, controls or angle
 * brackets, at most 254 bytes, the domain with a dot and no empty label. */
bool smtp_address_ok(const char *address);

struct smtp_mail {
    const char *from, *to;   /* bare addresses */
    const char *subject;     /* UTF-8, one line */
    const char *body;        /* UTF-8 plain text, lines ending in \n */
    const char *message_id;  /* without the angle brackets: unique, so a receiver can tell
                                a message sent again from a new one */
    long long date_ms;       /* the Date header, milliseconds since 1970 */
};
/* The whole message, CRLF line ends, into out. */
void smtp_compose(struct sb *out, const struct smtp_mail *m);

enum smtp_result {
    SMTP_SENT = 0,
    SMTP_RETRY = 1,    /* could not connect, timed out, or a 4xx answer: try again later */
    SMTP_REFUSED = 2,  /* a 5xx answer (or a URL or address curl rejects): not again */
};
/* Sends one composed message. answer (size n) gets the server's last answer or curl's
 * error, for the outbox. */
enum smtp_result smtp_send(const char *url, const char *from, const char *to,
                           const char *message, size_t len, char *answer, size_t n);

#endif
