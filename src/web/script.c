/* script: data shown in the interface's script. Plans and tasks are stored as written
 * (the seed's plan is Traditional, units often Simplified), so a page converts what it
 * shows with OpenCC (web/html.h) and keeps the wording as stored one click away, for
 * citing the document exactly. */
#include <string.h>

#include "web/html.h"
#include "web/web.h"

bool web_show_script(struct req *r) {
  const char *q = req_query(r, "script");
  if (q && strcmp(q, "original") != 0)
    return false;
  if (!q && r->lang != LANG_EN)
    html_set_script(r->lang == LANG_HANT ? HTML_TRADITIONAL : HTML_SIMPLIFIED);
  return true;
}

void web_script_switch(struct req *r, struct sb *b, const char *path) {
  if (r->lang == LANG_EN)
    return;
  if (html_script() == HTML_AS_STORED)
    html_printf(b, "<p class=\"script-switch\"><a href=\"%h\">%h</a></p>\n", path,
                web_t(r, "ui_script_converted"));
  else
    html_printf(b, "<p class=\"script-switch\"><a href=\"%h?script=original\">%h</a></p>\n",
                path, web_t(r, "ui_script_original"));
}
