/* funnel: /funnel, from events to operating projects (service/event.h funnel_get) for a
 * pairing's year or one event: a funnel drawn as SVG (each step a bar centred under the one
 * before, as wide as its count against the widest) and the table of the seven steps with
 * their counts, investment in 万元 and the conversion from the step before. The chart is an
 * image whose accessible name says every number; the table says them again as text. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/money.h"
#include "service/event.h"
#include "service/pairing.h"
#include "web/html.h"
#include "web/web.h"

static const char *const step_labels[FUNNEL_STEPS] = {
    "ui_fun_events",  "ui_fun_registered", "ui_fun_attended", "ui_fun_intentions",
    "ui_fun_signed",  "ui_fun_started",    "ui_fun_operating"};

/* The conversion from the step before as "45.5%", or NULL where there is none: the first two
 * steps count different things (events, then enterprises), and a step after 0 has no rate. */
static const char *conversion(struct req *r, const struct funnel_step *s, int i) {
  if (i < 2 || s[i - 1].count <= 0)
    return NULL;
  int64_t per_mille = (s[i].count * 1000 + s[i - 1].count / 2) / s[i - 1].count;
  return arena_printf(r->arena, "%lld.%lld%%", (long long)(per_mille / 10),
                      (long long)(per_mille % 10));
}

static void chart(struct req *r, struct sb *b, const struct funnel_step *s) {
  enum { WIDTH = 640, ROW = 34, BAR = 26, NAME_W = 150, AREA = 380, FONT = 13 };
  int64_t max = 0;
  for (int i = 0; i < FUNNEL_STEPS; i++)
    max = s[i].count > max ? s[i].count : max;
  struct sb label = SB_INIT;
  sb_append(&label, web_t(r, "ui_fun_chart"));
  for (int i = 0; i < FUNNEL_STEPS; i++)
    sb_appendf(&label, "%s%s %lld", i ? web_t(r, "ui_prj_list_sep") : web_t(r, "ui_colon"),
               web_t(r, step_labels[i]), (long long)s[i].count);
  const char *name = arena_strdup(r->arena, sb_str(&label));
  sb_free(&label);
  int height = FUNNEL_STEPS * ROW + 6;
  html_printf(b,
              "<svg class=\"funnel-chart\" role=\"img\" aria-label=\"%h\" viewBox=\"0 0 %d %d\" "
              "width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><title>%h</title>",
              name, WIDTH, height, WIDTH, height, name);
  int centre = NAME_W + AREA / 2;
  for (int i = 0; i < FUNNEL_STEPS; i++) {
    int y = i * ROW + 4;
    /* a bar at least a sliver wide when its count is not 0, so a small step still shows */
    int w = max > 0 ? (int)((double)AREA * (double)s[i].count / (double)max + 0.5) : 0;
    if (s[i].count > 0 && w < 2)
      w = 2;
    html_printf(b, "<text x=\"0\" y=\"%d\" font-size=\"%d\" dominant-baseline=\"central\" "
                   "fill=\"#000000\">%h</text>",
                y + BAR / 2, FONT, web_t(r, step_labels[i]));
    html_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f8fa\" "
                   "stroke=\"#8c959f\"/>",
                NAME_W, y, AREA, BAR);
    if (w > 0)
      html_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#9f1d20\"/>",
                  centre - w / 2, y, w, BAR);
    html_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"700\" "
                   "dominant-baseline=\"central\" fill=\"#000000\">%lld</text>",
                NAME_W + AREA + 8, y + BAR / 2, FONT, (long long)s[i].count);
  }
  html_printf(b, "</svg>\n");
}

/* GET /funnel?pairing=&year=[&event=] */
int web_funnel(struct req *r, struct resp *p) {
  int64_t pairing = web_asked_pairing(r);
  if (pairing < 0)
    return web_bad_query(r, p);
  long long v;
  int year = web_this_year();
  const char *ys = req_query(r, "year");
  if (ys && *ys) {
    if (!web_parse_int(ys, &v) || v < 2000 || v > 2100)
      return web_bad_query(r, p);
    year = (int)v;
  }
  int64_t event_id = 0;
  const char *es = req_query(r, "event");
  if (es && *es) {
    if (!web_parse_int(es, &v) || v < 1)
      return web_bad_query(r, p);
    event_id = v;
  }
  struct funnel_step steps[FUNNEL_STEPS];
  int rc = funnel_get(&r->ctx, pairing, year, event_id, steps);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  /* the events of the year, for the selector */
  struct event_filter f = {.pairing_id = pairing, .year = year};
  struct event_view *events;
  size_t n_events = 0;
  if (event_list(&r->ctx, &f, &events, &n_events) != SVC_OK)
    n_events = 0;
  web_take_code(r, NULL);
  struct pairing_view *tree;
  size_t n_tree = 0;
  if (r->user->role == ROLE_ADMIN && pairing_tree(&r->ctx, &tree, &n_tree) != SVC_OK)
    n_tree = 0;
  web_take_code(r, NULL);

  struct sb *b = &p->body;
  web_begin(r, p, web_t(r, "ui_fun_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h</p>\n", web_t(r, "ui_fun_title"),
              web_t(r, "ui_fun_intro"));
  html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/funnel\">\n");
  if (n_tree) {
    html_printf(b, "<p><label for=\"f-pairing\">%h</label>\n<select id=\"f-pairing\" "
                   "name=\"pairing\">\n",
                web_t(r, "ui_prj_pairing"));
    for (size_t i = 0; i < n_tree; i++)
      html_printf(b, "<option value=\"%lld\"%s>%h — %h</option>\n", (long long)tree[i].id,
                  tree[i].id == pairing ? " selected" : "", tree[i].name_a, tree[i].name_b);
    html_printf(b, "</select></p>\n");
  }
  html_printf(b, "<p><label for=\"f-year\">%h</label>\n<input id=\"f-year\" name=\"year\" "
                 "type=\"number\" min=\"2000\" max=\"2100\" value=\"%d\"></p>\n"
                 "<p><label for=\"f-event\">%h</label>\n<select id=\"f-event\" name=\"event\">\n"
                 "<option value=\"\">%h</option>\n",
              web_t(r, "ui_evt_year"), year, web_t(r, "ui_fun_event"), web_t(r, "ui_fun_all_events"));
  for (size_t i = 0; i < n_events; i++)
    html_printf(b, "<option value=\"%lld\"%s>%h · %h</option>\n", (long long)events[i].id,
                events[i].id == event_id ? " selected" : "", web_date(r, events[i].starts),
                events[i].title);
  html_printf(b, "</select></p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_evt_filter"));
  for (size_t i = 0; event_id && i < n_events; i++)
    if (events[i].id == event_id)
      html_printf(b, "<p>%h%h<a href=\"/events/%lld\">%h</a></p>\n", web_t(r, "ui_fun_event"),
                  web_t(r, "ui_colon"), (long long)event_id, events[i].title);
  chart(r, b, steps);
  html_printf(b,
              "<table class=\"funnel\">\n<caption>%h</caption>\n<thead><tr><th scope=\"col\">%h"
              "</th><th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_fun_table"), web_t(r, "ui_fun_step"), web_t(r, "ui_fun_count"),
              web_t(r, "ui_fun_invest_wan"), web_t(r, "ui_fun_conversion"));
  for (int i = 0; i < FUNNEL_STEPS; i++) {
    const char *conv = conversion(r, steps, i);
    html_printf(b,
                "<tr data-step=\"%h\"><th scope=\"row\">%h</th><td class=\"num count\" "
                "data-label=\"%h\">%lld</td><td class=\"num invest\" data-label=\"%h\">%h</td>"
                "<td class=\"num conversion\" data-label=\"%h\">%h</td></tr>\n",
                steps[i].key, web_t(r, step_labels[i]), web_t(r, "ui_fun_count"),
                (long long)steps[i].count, web_t(r, "ui_fun_invest_wan"),
                money_format_wan_grouped(r->arena, steps[i].invest_yuan),
                web_t(r, "ui_fun_conversion"), conv ? conv : "—");
  }
  html_printf(b, "</tbody>\n</table>\n<p class=\"meta\">%h</p>\n", web_t(r, "ui_fun_note"));
  return web_end(r, p);
}
