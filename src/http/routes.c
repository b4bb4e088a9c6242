/* routes: every URL the server answers, read top to bottom. Method, pattern ({id} is a
 * positive integer, captured into r->ids in order), handler, the least role that may call
 * it (the services still check scope), flags, and the one-line summary the OpenAPI document
 * repeats. HEAD is answered by the GET route. */
#include "http/internal.h"

const struct route http_routes[] = {
    {"GET", "/healthz", http_health, ROLE_PUBLIC, 0, "Liveness: {\"ok\":true}"},

    /* ---- API routes (/api/v1, handlers in api/) go here ------------------------------
     * Sign-in is marked ROUTE_LOGIN | ROUTE_NO_CSRF | ROUTE_JSON, e.g.
     *   {"POST", "/api/v1/session", api_session_create, ROLE_PUBLIC,
     *    ROUTE_JSON | ROUTE_NO_CSRF | ROUTE_LOGIN, "Sign in"},
     * -------------------------------------------------------------------------------- */
};

const size_t http_n_routes = sizeof http_routes / sizeof *http_routes;
