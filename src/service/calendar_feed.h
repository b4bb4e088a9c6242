/* calendar_feed: a user's personal calendar address (/calendar/<token>.ics), which a calendar
 * application polls without signing in, so the token in its URL is the only key: 32 random
 * bytes, shown once when made and stored only as its SHA-256 (as API tokens are, service/
 * auth.c). It serves the events the user's unit takes part in (event_list_for_user) for as
 * long as the feed is not revoked and the account not disabled. Making and revoking one are
 * audited (entity calendar_feed); reading one is not (a calendar polls it every few minutes).
 * Everyone signed in manages their own feeds; an admin's are its own too. */
#ifndef DUIKOU_SERVICE_CALENDAR_FEED_H
#define DUIKOU_SERVICE_CALENDAR_FEED_H
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum { CALENDAR_FEEDS_MAX = 5,      /* live feeds per account */
       CALENDAR_TOKEN_MAX = 100 };  /* longer is no token of ours */
#define CALENDAR_TOKEN_PREFIX "cal_"

struct calendar_feed_view {
    int64_t id, user_id;
    const char *created_at, *revoked_at; /* revoked_at NULL: live */
};

/* A new feed of the caller: its token (arena, shown once) and id. SVC_CONFLICT
 * err_calendar_feeds_max when the caller has CALENDAR_FEEDS_MAX live ones. */
int calendar_feed_create(struct ctx *c, const char **token, int64_t *id);
/* Revokes one of the caller's feeds: SVC_NOT_FOUND for another's or none; revoking a revoked
 * one is no error and changes nothing. */
int calendar_feed_revoke(struct ctx *c, int64_t id);
/* The caller's feeds, newest first, revoked ones too. */
int calendar_feed_list(struct ctx *c, struct calendar_feed_view **out, size_t *n);
/* The account a token opens (no permission check: the token is the key). SVC_NOT_FOUND, the
 * same for an unknown token, a revoked feed and a disabled account, so an answer tells
 * nothing about which. */
int calendar_feed_user(struct ctx *c, const char *token, struct user *out);

#endif
