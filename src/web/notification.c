/* notification: the inbox page (消息) — the caller's notifications, newest first, unread ones
 * marked, each in words of the reader's language with a button that marks it read and opens
 * the page it is about; and marking all read (service/notification.h). */
#include <string.h>

#include "api/api.h"
#include "web/html.h"
#include "web/web.h"

#include "service/notification.h"

/* The words of one notification. */
static void words(struct req *r, struct sb *b, const struct notification_view *v) {
  const char *period = web_period(r, v->period);
  if (strcmp(v->kind, "report_due") == 0) {
    html_printf(b, "%h「%h」%h%h%h%h%d%h", web_t(r, "ui_nt_due_a"), v->title, period,
                web_t(r, "ui_nt_due_b"), web_date(r, v->due), web_t(r, "ui_nt_due_c"), v->step,
                web_t(r, "ui_nt_due_d"));
  } else if (strcmp(v->kind, "report_missing") == 0) {
    html_printf(b, "<strong>%h</strong>%h%h「%h」%h%h%h%h",
                web_t(r, "ui_nt_missing_label"), v->step ? v->unit_name : "",
                v->step ? web_t(r, "ui_nt_of") : "", v->title, period,
                web_t(r, "ui_nt_missing_b"), web_date(r, v->due),
                web_t(r, v->step == 2   ? "ui_nt_missing_leader"
                         : v->step == 1 ? "ui_nt_missing_coord"
                                        : "ui_nt_missing_member"));
  } else if (strcmp(v->kind, "report_urged") == 0) {
    html_printf(b, "<strong>%h</strong>「%h」%h%h%h%h", web_t(r, "ui_nt_urged_label"), v->title,
                period, web_t(r, "ui_nt_missing_b"), web_date(r, v->due),
                web_t(r, "ui_nt_missing_member"));
  } else if (strcmp(v->kind, "report_returned") == 0) {
    html_printf(b, "%h「%h」%h", web_t(r, "ui_nt_returned_a"), v->title,
                web_t(r, "ui_nt_returned_b"));
    if (v->comment && *v->comment)
      html_printf(b, "%h%h", web_t(r, "ui_colon"), v->comment);
  } else if (strcmp(v->kind, "plan_submitted") == 0) {
    html_printf(b, "%h%h", v->title, web_t(r, "ui_nt_plan_submitted"));
  } else {
    html_printf(b, "%h", v->kind);
  }
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
