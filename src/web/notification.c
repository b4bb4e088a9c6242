/* notification: the inbox page (消息) — the caller's notifications, newest first, unread ones
 * marked, each in words of the reader's language with a button that marks it read and opens
 * the page it is about; and marking all read (service/notification.h). */
#include <string.h>

#include "api/api.h"
#include "web/html.h"
#include "web/web.h"

#include "service/notification.h"

/* One piece of the words: escaped in a page, as it is in a mail. */
static void put(struct sb *b, bool html, const char *s) {
  if (html)
    html_escape(b, s, strlen(s));
  else
    sb_append(b, s);
}

/* A label, strong in a page. */
static void label(struct sb *b, bool html, const char *s) {
  if (html)
    sb_append(b, "<strong>");
  put(b, html, s);
  if (html)
    sb_append(b, "</strong>");
}

/* The words of one notification, as HTML (the inbox) or plain text (a mail). */
static void words_as(struct req *r, struct sb *b, const struct notification_view *v, bool html) {
  const char *period = web_period(r, v->period);
  const char *title = arena_printf(r->arena, "「%s」", v->title);
  if (strcmp(v->kind, "report_due") == 0) {
    const char *parts[] = {web_t(r, "ui_nt_due_a"), title, period, web_t(r, "ui_nt_due_b"),
                           web_date(r, v->due), web_t(r, "ui_nt_due_c"),
                           arena_printf(r->arena, "%d", v->step), web_t(r, "ui_nt_due_d")};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
      put(b, html, parts[i]);
  } else if (strcmp(v->kind, "report_missing") == 0 || strcmp(v->kind, "report_urged") == 0) {
    bool urged = v->kind[7] == 'u';
    label(b, html, web_t(r, urged ? "ui_nt_urged_label" : "ui_nt_missing_label"));
    if (!urged && v->step && v->unit_name) {
      put(b, html, v->unit_name);
      put(b, html, web_t(r, "ui_nt_of"));
    }
    const char *parts[] = {title, period, web_t(r, "ui_nt_missing_b"), web_date(r, v->due),
                           web_t(r, v->step == 2 && !urged   ? "ui_nt_missing_leader"
                                    : v->step == 1 && !urged ? "ui_nt_missing_coord"
                                                             : "ui_nt_missing_member")};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
      put(b, html, parts[i]);
  } else if (strcmp(v->kind, "report_returned") == 0) {
    put(b, html, web_t(r, "ui_nt_returned_a"));
    put(b, html, title);
    put(b, html, web_t(r, "ui_nt_returned_b"));
    if (v->comment && *v->comment) {
      put(b, html, web_t(r, "ui_colon"));
      put(b, html, v->comment);
    }
  } else if (strcmp(v->kind, "plan_submitted") == 0) {
    put(b, html, v->title);
    put(b, html, web_t(r, "ui_nt_plan_submitted"));
  } else if (strcmp(v->kind, "plan_reopened") == 0) {
    label(b, html, web_t(r, "ui_nt_reopened_label"));
    put(b, html, v->title);
    put(b, html, web_t(r, "ui_nt_plan_reopened"));
  } else if (strcmp(v->kind, "review_waiting") == 0) {
    label(b, html, web_t(r, "ui_nt_review_label"));
    put(b, html, arena_printf(r->arena, web_t(r, "ui_nt_review_waiting"), v->step,
                              notification_policy.review_wait_days));
  } else if (strcmp(v->kind, "project_stage") == 0) {
    label(b, html, web_t(r, "ui_nt_project_label"));
    put(b, html, title);
    put(b, html, web_t(r, "ui_nt_project_stage"));
    put(b, html, arena_printf(r->arena, "「%s」", web_t(r, arena_printf(r->arena, "ui_prj_stage_%s",
                                                                       v->period))));
    put(b, html, web_t(r, "ui_nt_period_end"));
  } else if (strcmp(v->kind, "event_registration") == 0) {
    label(b, html, web_t(r, "ui_nt_event_label"));
    put(b, html, title);
    put(b, html, web_t(r, strcmp(v->period, "withdrawn") == 0 ? "ui_nt_event_withdrawn"
                      : strcmp(v->period, "waiting") == 0  ? "ui_nt_event_waiting"
                                                            : "ui_nt_event_registered"));
  } else if (strcmp(v->kind, "evaluation_step") == 0) {
    /* period "action:side": what happened, to whose self-evaluation */
    const char *colon = strchr(v->period, ':');
    size_t len = colon ? (size_t)(colon - v->period) : strlen(v->period);
    const char *action = arena_strndup(r->arena, v->period, len);
    label(b, html, web_t(r, "ui_nt_evaluation_label"));
    put(b, html, title);
    put(b, html, arena_printf(r->arena, web_t(r, arena_printf(r->arena, "ui_nt_ev_%s", action)),
                              v->unit_name ? v->unit_name : ""));
  } else {
    put(b, html, v->kind);
  }
}

static void words(struct req *r, struct sb *b, const struct notification_view *v) {
  words_as(r, b, v, true);
}

/* service/mail.h's mail_compose_fn: the words as the inbox has them, in the user's language,
 * each with the link to its page; one notification, or a day's digest. */
void web_mail_compose(struct arena *a, const char *language, const struct notification_view *v,
                      size_t n, const char *public_url, struct sb *subject, struct sb *body) {
  struct req r = {0};
  r.arena = a;
  r.lang = i18n_parse(language);
  const char *base = public_url ? public_url : "";
  size_t bl = strlen(base);
  while (bl && base[bl - 1] == '/')
    bl--;
  sb_append(subject, web_t(&r, "ui_mail_subject_prefix"));
  if (n == 1) {
    struct sb line = SB_INIT;
    words_as(&r, &line, &v[0], false);
    /* the subject: the words up to the first full stop, at most ~60 characters */
    const char *w = sb_str(&line);
    size_t cut = line.len, chars = 0;
    for (size_t i = 0; i < line.len; i++) {
      if (((unsigned char)w[i] & 0xC0) != 0x80 && ++chars > 60) {
        cut = i;
        break;
      }
    }
    sb_appendn(subject, w, cut);
    if (cut < line.len)
      sb_append(subject, "…");
    sb_appendf(body, "%s\n\n", w);
    sb_free(&line);
  } else {
    sb_appendf(subject, "%s%zu%s", web_t(&r, "ui_mail_digest_a"), n, web_t(&r, "ui_mail_digest_b"));
    sb_appendf(body, "%s%zu%s\n\n", web_t(&r, "ui_mail_digest_a"), n,
               web_t(&r, "ui_mail_digest_b"));
  }
  for (size_t i = 0; i < n; i++) {
    if (n > 1) {
      sb_appendf(body, "%zu. ", i + 1);
      words_as(&r, body, &v[i], false);
      sb_append(body, "\n   ");
    } else {
      sb_appendf(body, "%s", web_t(&r, "ui_mail_open"));
    }
    sb_appendn(body, base, bl);
    sb_appendf(body, "%s\n\n", api_notification_link(&r, &v[i]));
  }
  sb_appendf(body, "-- \n%s\n", web_t(&r, "ui_mail_footer"));
}

/* GET /inbox?after= */
int web_inbox(struct req *r, struct resp *p) {
  int64_t after = web_page_after(r);
  if (after < 0)
    return web_bad_query(r, p);
  struct notification_view *v;
  size_t n;
  int64_t next;
  int rc = notification_list(&r->ctx, after, NOTIFICATION_PAGE_DEFAULT, &v, &n, &next);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_nt_title"));
  html_printf(b, "<h1>%h</h1>\n", web_t(r, "ui_nt_title"));
  const char *done = req_query(r, "done");
  if (done && strcmp(done, "read") == 0)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, "ui_nt_all_read"));
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_nt_none"));
    return web_end(r, p);
  }
  html_printf(b, "<form method=\"post\" action=\"/inbox/read-all\">");
  web_csrf_field(r, b);
  html_printf(b, "<button type=\"submit\">%h</button></form>\n<ol class=\"inbox\">\n",
              web_t(r, "ui_nt_read_all"));
  for (size_t i = 0; i < n; i++) {
    html_printf(b, "<li class=\"%s\"><p>", v[i].read_at ? "read" : "unread");
    if (!v[i].read_at)
      html_printf(b, "<span class=\"badge\">%h</span> ", web_t(r, "ui_nt_unread"));
    words(r, b, &v[i]);
    html_printf(b,
                "</p><p class=\"meta\">%h</p>"
                "<form method=\"post\" action=\"/inbox/%lld/open\">",
                web_time(r, v[i].created_at), (long long)v[i].id);
    web_csrf_field(r, b);
    html_printf(b, "<button type=\"submit\">%h</button></form></li>\n", web_t(r, "ui_nt_open"));
  }
  html_printf(b, "</ol>\n");
  web_pager(r, b, "/inbox", after, next != 0, next);
  return web_end(r, p);
}

/* POST /inbox/{id}/open: marks it read, 303 to the page it is about (to /inbox when it is
 * not the caller's: a stale button). */
int web_inbox_open(struct req *r, struct resp *p) {
  int rc = notification_read(&r->ctx, r->ids[0]);
  if (rc == SVC_NOT_FOUND) {
    web_take_code(r, NULL);
    return web_redirect(r, p, "/inbox");
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  /* the one notification again, for its link */
  struct notification_view *v;
  size_t n;
  int64_t next;
  if (notification_list(&r->ctx, r->ids[0] + 1, 1, &v, &n, &next) != SVC_OK || n != 1 ||
      v[0].id != r->ids[0])
    return web_redirect(r, p, "/inbox");
  return web_redirect(r, p, api_notification_link(r, &v[0]));
}

/* POST /inbox/read-all: 303 to /inbox?done=read. */
int web_inbox_read_all(struct req *r, struct resp *p) {
  int rc = notification_read(&r->ctx, 0);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, "/inbox?done=read");
}

/* The header's link to the inbox with the unread count (a personal part: http/cache.c fills
 * the count of whoever a shared page is sent to). */
void web_inbox_link(struct req *r, struct resp *p, struct sb *b) {
  int64_t unread = 0;
  if (web_unread(r, &unread) != SVC_OK)
    web_take_code(r, NULL);
  html_printf(b, "<a class=\"inbox-link\" href=\"/inbox\">%h <span class=\"unread\">",
              web_t(r, "ui_nt_title"));
  p->unread_at = b->len; /* where the count is, for the shared page cache (http/cache.c) */
  p->unread_hole = true;
  web_unread_count(b, unread);
  p->unread_len = b->len - p->unread_at;
  html_printf(b, "</span></a>\n");
}

int web_unread(struct req *r, int64_t *unread) {
  /* kept per user while the notifications' data version read at the request's start holds */
  return r->have_scopes ? notification_unread_at(&r->ctx, r->scopes.notifications, unread)
                        : notification_unread(&r->ctx, unread);
}

void web_unread_count(struct sb *b, int64_t unread) {
  if (unread)
    sb_appendf(b, "%lld", (long long)unread);
}
