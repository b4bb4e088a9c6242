/* attachment: the download of an evidence file (/attachments/{id}) for who may read what it
 * belongs to — always as an attachment with its stored type, never shown inline, so a file
 * cannot run as a page of this site — and the files section the project page shows, with the
 * upload form for who may add files. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "service/attachment.h"
#include "web/html.h"
#include "web/web.h"

/* RFC 6266 / 5987: filename*=UTF-8''… percent-encoded, and an ASCII fallback. */
static const char *disposition(struct req *r, const char *name) {
  struct sb b = SB_INIT;
  sb_append(&b, "attachment; filename=\"file\"; filename*=UTF-8''");
  html_urlencode(&b, name, strlen(name));
  const char *out = arena_strdup(r->arena, sb_str(&b));
  sb_free(&b);
  return out;
}

int web_attachment(struct req *r, struct resp *p) {
  struct attachment_view v;
  char *data;
  size_t len;
  int rc = attachment_download(&r->ctx, r->ids[0], &v, &data, &len);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  p->content_type = v.type;
  resp_header(r, p, "Content-Disposition", disposition(r, v.filename));
  sb_appendn(&p->body, data, len);
  return 200;
}

int web_attachment_status(const char *code) {
  if (code && strcmp(code, "err_attachment_type") == 0)
    return 415;
  if (code && strcmp(code, "err_attachment_size") == 0)
    return 413;
  return 422;
}

static const char *size_text(struct req *r, int64_t size) {
  if (size >= 1024 * 1024)
    return arena_printf(r->arena, "%lld.%lld MB", (long long)(size / (1024 * 1024)),
                        (long long)(size % (1024 * 1024) * 10 / (1024 * 1024)));
  if (size >= 1024)
    return arena_printf(r->arena, "%lld KB", (long long)((size + 1023) / 1024));
  return arena_printf(r->arena, "%lld B", (long long)size);
}

void web_attachments_section(struct req *r, struct sb *b, const char *object, int64_t id,
                             const char *action, const char *err) {
  web_attachments_section_as(r, b, object, id, action, err, "files", "ui_att_title");
}

void web_attachments_section_as(struct req *r, struct sb *b, const char *object, int64_t id,
                                const char *action, const char *err, const char *anchor,
                                const char *title) {
  struct attachment_view *v;
  size_t n = 0;
  if (attachment_list(&r->ctx, object, id, &v, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<section id=\"%h\" aria-labelledby=\"%h-heading\">\n"
                 "<h2 id=\"%h-heading\">%h</h2>\n",
              anchor, anchor, anchor, web_t(r, title));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_att_none"));
  else {
    html_printf(b, "<ul class=\"files\">\n");
    for (size_t i = 0; i < n; i++)
      html_printf(b, "<li><a href=\"/attachments/%lld\" download>%h</a> <span class=\"meta\">%h · %h"
                     " · %h %h</span></li>\n",
                  (long long)v[i].id, v[i].filename, v[i].type, size_text(r, v[i].size),
                  v[i].uploaded_by ? v[i].uploaded_by : "", web_date(r, v[i].created_at));
    html_printf(b, "</ul>\n");
  }
  if (action) {
    web_form_error(r, b, err);
    html_printf(b, "<form method=\"post\" action=\"%h\" enctype=\"multipart/form-data\">\n",
                action);
    web_csrf_field(r, b);
    html_printf(b,
                "<p><label for=\"%h-file\">%h</label>\n<input id=\"%h-file\" name=\"file\" "
                "type=\"file\" required accept=\".pdf,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.doc,"
                ".docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp\"></p>\n<p class=\"meta\">%h</p>\n"
                "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                anchor, web_t(r, "ui_att_file"), anchor, web_t(r, "ui_att_hint"),
                web_t(r, "ui_att_upload"));
  }
  html_printf(b, "</section>\n");
}
