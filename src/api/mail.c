/* mail: one's own e-mail address and choices per kind of notification, and the outbox for
 * admins (service/mail.h). */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/mail.h"
#include "service/user.h"

static int settings_json(struct req *r, struct resp *p)
{
    struct user_view u;
    const char *ch[MAIL_KINDS];
    int rc = user_get(&r->ctx, r->user->id, &u);
    if (rc == SVC_OK)
        rc = mail_prefs(&r->ctx, ch);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kstr(&w, "email", u.email);
    jw_key(&w, "channels");
    jw_obj(&w);
    for (int i = 0; i < MAIL_KINDS; i++)
        jw_kstr(&w, mail_kinds[i], ch[i]);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* GET /api/v1/me/mail → {"email","channels":{"report_due":"mail"|"inbox"|"digest",…}}. */
int api_me_mail(struct req *r, struct resp *p)
{
    return settings_json(r, p);
}

static int channel_index(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, mail_channels[i]) == 0)
            return i;
    return -1;
}

/* PATCH /api/v1/me/mail {"email"?: address or "" (none), "channels"?: {kind: channel}} → 200
 * as GET. Everything is checked before anything is stored. */
int api_me_mail_update(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"email", "channels", NULL};
    struct user_input in = {0};
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "email", false, &in.email)))
        return st;
    json_t *chs = json_object_get(r->json, "channels");
    const char *kinds[MAIL_KINDS];
    const char *values[MAIL_KINDS];
    size_t n = 0;
    if (chs) {
        if (!json_is_object(chs))
            return http_error(r, p, 422, "err_invalid", "channels");
        const char *key;
        json_t *v;
        json_object_foreach(chs, key, v) {
            int k = -1;
            for (int i = 0; i < MAIL_KINDS; i++)
                if (strcmp(key, mail_kinds[i]) == 0)
                    k = i;
            if (k < 0)
                return http_error(r, p, 422, "err_unknown_field",
                                  arena_printf(r->arena, "channels.%s", key));
            if (!json_is_string(v) || channel_index(json_string_value(v)) < 0)
                return http_error(r, p, 422, "err_invalid",
                                  arena_printf(r->arena, "channels.%s", key));
            kinds[n] = mail_kinds[k];
            values[n++] = mail_channels[channel_index(json_string_value(v))];
        }
    }
    if (in.email) {
        int rc = user_update(&r->ctx, r->user->id, &in);
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
    }
    for (size_t i = 0; i < n; i++) {
        int rc = mail_pref_set(&r->ctx, kinds[i], values[i]);
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
    }
    return settings_json(r, p);
}

/* GET /api/v1/outbox?failed=1 → {"mails":[…]}, newest first (admins). */
int api_outbox(struct req *r, struct resp *p)
{
    int st;
    int64_t failed = api_query_int(r, p, "failed", 0, 0, 1, &st);
    if (st)
        return st;
    int64_t limit = api_query_int(r, p, "limit", 100, 1, 1000, &st);
    if (st)
        return st;
    struct mail_view *v;
    size_t n;
    int rc = mail_list(&r->ctx, failed == 1, (int)limit, &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "mails");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", v[i].id);
        jw_kint(&w, "notification_id", v[i].notification_id);
        jw_kint(&w, "user_id", v[i].user_id);
        jw_kstr(&w, "login", v[i].login);
        jw_kstr(&w, "address", v[i].address);
        jw_kstr(&w, "kind", v[i].kind);
        jw_kbool(&w, "digest", v[i].digest);
        jw_kstr(&w, "state", v[i].state);
        jw_kint(&w, "attempts", v[i].attempts);
        jw_kstr(&w, "answer", v[i].answer);
        jw_kstr(&w, "created_at", v[i].created_at);
        jw_kstr(&w, "next_at", v[i].next_at);
        jw_kstr(&w, "sent_at", v[i].sent_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}
