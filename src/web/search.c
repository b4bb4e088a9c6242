/* search: GET /search?q= — one box over tasks, work items, reports and units of what the
 * signed-in person may see (service/search.h), in either script: 遼寧 finds 辽宁 and back.
 * Each kind lists its first hits and a "more" link that pages through that kind alone
 * (?kind=&after=). A blank or over-long query is answered 422 with the message next to the
 * box, the query kept. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "service/search.h"
#include "web/html.h"
#include "web/web.h"

enum { SEARCH_FIRST = 20, SEARCH_MORE = 50 };

static const struct {
  const char *param, *title;
} kinds[SEARCH_KINDS] = {
    [SEARCH_TASK] = {"task", "ui_srch_tasks"},
    [SEARCH_ITEM] = {"item", "ui_srch_items"},
    [SEARCH_REPORT] = {"report", "ui_srch_reports"},
    [SEARCH_UNIT] = {"unit", "ui_srch_units"},
};

static void search_box(struct req *r, struct sb *b, const char *q, const char *err) {
  html_printf(b,
              "<form method=\"get\" action=\"/search\" class=\"search\" role=\"search\" "
              "aria-labelledby=\"q-label\">\n"
              "<p><label id=\"q-label\" for=\"q\">%h</label>\n<input id=\"q\" name=\"q\" type=\"search\" "
              "maxlength=\"%d\" value=\"%h\"",
              web_t(r, "ui_srch_label"), (int)SEARCH_Q_MAX, q ? q : "");
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"q-error\"");
  html_printf(b, ">\n<button type=\"submit\">%h</button>\n", web_t(r, "ui_srch_button"));
  web_field_error(r, b, err, "q");
  html_printf(b, "</p>\n<p class=\"meta\">%h</p>\n</form>\n", web_t(r, "ui_srch_help"));
}

/* A link to an item: its report form when the caller's unit owns it, else its task. */
static void item_link(struct req *r, struct sb *b, const struct search_hit *h,
                      int64_t item_id) {
  if (h->own)
    html_printf(b, "<a href=\"/items/%lld/report\">%h</a>", (long long)item_id, h->title);
  else if (h->task_id)
    html_printf(b, "<a href=\"/tasks/%lld\">%h</a>", (long long)h->task_id, h->title);
  else
    html_printf(b, "%h", h->title);
}

static void hit(struct req *r, struct sb *b, int kind, const struct search_hit *h) {
  html_printf(b, "<li>");
  switch (kind) {
  case SEARCH_TASK:
    html_printf(b, "<a href=\"/tasks/%lld\">%h %d %h</a><br><span class=\"meta\">%h</span>",
                (long long)h->id, web_t(r, "ui_task"), h->number, h->title, h->meta);
    break;
  case SEARCH_ITEM:
    item_link(r, b, h, h->id);
    html_printf(b, "<br><span class=\"meta\">%h</span>", h->meta);
    break;
  case SEARCH_REPORT:
    item_link(r, b, h, h->item_id);
    html_printf(b,
                "<br><span class=\"meta\">%h · %h</span>\n"
                "<p class=\"excerpt\">%h<mark>%h</mark>%h</p>",
                h->meta, web_period(r, h->period), h->before, h->match, h->after);
    break;
  default:
    if (h->manage)
      html_printf(b, "<a href=\"/units/%lld\">%h</a>", (long long)h->id, h->title);
    else
      html_printf(b, "%h", h->title);
    html_printf(b, "<br><span class=\"meta\">%h · %h</span>", h->meta,
                web_t(r, h->side == 0 ? "ui_adm_side_a" : "ui_adm_side_b"));
    break;
  }
  html_printf(b, "</li>\n");
}

static void section(struct req *r, struct sb *b, const char *q, int kind,
                    const struct search_list *l) {
  html_printf(b, "<section class=\"search-kind\" id=\"%h\">\n<h2>%h</h2>\n", kinds[kind].param,
              web_t(r, kinds[kind].title));
  if (l->n == 0) {
    html_printf(b, "<p class=\"meta\">%h</p>\n</section>\n", web_t(r, "ui_srch_kind_none"));
    return;
  }
  html_printf(b, "<ol class=\"search-hits\">\n");
  for (size_t i = 0; i < l->n; i++)
    hit(r, b, kind, &l->hits[i]);
  html_printf(b, "</ol>\n");
  if (l->next_after)
    html_printf(b,
                "<p class=\"pager\"><a href=\"/search?q=%u&amp;kind=%h&amp;after=%lld\">%h"
                "</a></p>\n",
                q, kinds[kind].param, (long long)l->next_after, web_t(r, "ui_srch_more"));
  html_printf(b, "</section>\n");
}

int web_search(struct req *r, struct resp *p) {
  const char *q = req_query(r, "q"), *kind_s = req_query(r, "kind"), *err = NULL;
  int kind = -1;
  long long after = 0;
  for (int k = 0; kind_s && *kind_s && k < SEARCH_KINDS; k++)
    if (strcmp(kind_s, kinds[k].param) == 0)
      kind = k;
  const char *after_s = req_query(r, "after");
  if (after_s && *after_s && (!web_parse_int(after_s, &after) || after < 0))
    after = 0;
  struct search_result res;
  bool ran = false;
  if (q) {
    int rc = search_run(&r->ctx, q, kind, kind >= 0 ? after : 0,
                        kind >= 0 ? SEARCH_MORE : SEARCH_FIRST, &res);
    if (rc == SVC_INVALID)
      err = web_take_code(r, "err_search_empty");
    else if (rc != SVC_OK)
      return web_service_page(r, p, rc);
    else
      ran = true;
  }
  struct sb *b = &p->body;
  p->status = err ? 422 : 200;
  web_begin(r, p, web_t(r, "ui_srch_title"));
  html_printf(b, "<h1>%h</h1>\n", web_t(r, "ui_srch_title"));
  search_box(r, b, q, err);
  if (!ran)
    return web_end(r, p);
  size_t total = 0;
  for (int k = 0; k < SEARCH_KINDS; k++)
    total += res.kinds[k].n;
  if (total == 0) {
    html_printf(b, "<p role=\"status\">%h “%h”</p>\n", web_t(r, "ui_srch_none"), q);
    return web_end(r, p);
  }
  if (kind >= 0)
    html_printf(b, "<p><a href=\"/search?q=%u\">%h</a></p>\n", q, web_t(r, "ui_srch_all"));
  for (int k = 0; k < SEARCH_KINDS; k++)
    if (kind < 0 || k == kind)
      section(r, b, q, k, &res.kinds[k]);
  return web_end(r, p);
}
