/* routes: every URL the server answers, read top to bottom. Method, pattern ({id} is a
 * positive integer, captured into r->ids in order), handler, the least role that may call
 * it (the services still check scope), flags, and the one-line summary the OpenAPI document
 * repeats. HEAD is answered by the GET route. */
#include "api/api.h"
#include "http/internal.h"
#include "web/web.h"

const struct route http_routes[] = {
    {"GET", "/healthz", http_health, ROLE_PUBLIC, 0, "Liveness: {\"ok\":true}"},

    /* ---- web pages: the public portal (web/portal.c, web/layout.c) ------------------ */
    {"GET", "/", web_home, ROLE_PUBLIC, 0,
     "Portal (HTML): the pairings, their city and zone pairings, links to the plans"},
    {"GET", "/plans/{id}", web_plan_page, ROLE_PUBLIC, ROUTE_CACHE,
     "A plan as a readable, printable page (HTML)"},
    {"GET", "/assets/{file}", web_asset, ROLE_PUBLIC, 0,
     "The stylesheet at its fingerprinted URL, cached for a year"},

    /* ---- web pages: signing in and out, one's own account (web/account.c). A page that
     * needs sign-in answers an anonymous request with 303 to /login?next=…. */
    {"GET", "/login", web_login_form, ROLE_PUBLIC, 0,
     "The sign-in form (HTML); ?next= is the page to return to (signed in: 303 there)"},
    {"POST", "/login", web_login, ROLE_PUBLIC, ROUTE_NO_CSRF | ROUTE_LOGIN,
     "Sign in with the form: 303 to next or the role's page, else the form with the error"},
    {"POST", "/logout", web_logout, ROLE_MEMBER, 0, "Sign out with the form: 303 to /"},
    {"GET", "/account", web_account, ROLE_MEMBER, 0,
     "One's own account (HTML): details, password, language, sessions"},
    {"POST", "/account/password", web_account_password, ROLE_MEMBER, 0,
     "Change one's password with the form; one's other sessions end"},
    {"POST", "/account/language", web_account_language, ROLE_MEMBER, 0,
     "Choose one's interface language with the form"},
    {"POST", "/account/sessions/revoke", web_account_revoke, ROLE_MEMBER, 0,
     "Sign out everywhere with the form, this session included: 303 to /login"},

    /* ---- web pages: reporting progress and reviewing it (web/report.c) ------------ */
    {"GET", "/my", web_my, ROLE_MEMBER, 0,
     "My work (HTML): the items one's unit owns with light, due date and latest report"},
    {"GET", "/items/{id}/report", web_report_form, ROLE_MEMBER, 0,
     "The report form of an item of one's own unit (HTML), with its latest report"},
    {"POST", "/items/{id}/report", web_report_submit, ROLE_MEMBER, 0,
     "Report progress with the form: 303 to /my, else the form again with the errors"},
    {"GET", "/reviews", web_reviews, ROLE_COORDINATOR, 0,
     "The review queue (HTML): each pending report beside the previous one"},
    {"POST", "/reports/{id}/review", web_report_review, ROLE_COORDINATOR, 0,
     "Accept or return a report with the form: 303 to /reviews"},
    {"POST", "/reviews/accept", web_reviews_accept, ROLE_COORDINATOR, 0,
     "Accept the selected reports with the form: 303 to /reviews"},

    /* ---- web pages: notices, 通知公告 (web/notice.c) ------------------------------------ */
    {"GET", "/notices", web_notices, ROLE_PUBLIC, 0,
     "Published notices (HTML), newest first, in pages (?after=)"},
    {"GET", "/notices/manage", web_notices_manage, ROLE_COORDINATOR, 0,
     "The notices one writes in every state (HTML; coordinator: its pairing's, admin: all), "
     "the create form"},
    {"POST", "/notices", web_notice_create, ROLE_COORDINATOR, 0,
     "Create a draft notice with the form: 303 to /notices/manage, else 422 with the form"},
    {"GET", "/notices/{id}", web_notice_page, ROLE_PUBLIC, 0,
     "A published notice, readable and printable (HTML); others are not found"},
    {"GET", "/notices/{id}/edit", web_notice_edit_form, ROLE_COORDINATOR, 0,
     "The edit form of a notice one writes (HTML), with publish and withdraw"},
    {"POST", "/notices/{id}/edit", web_notice_edit, ROLE_COORDINATOR, 0,
     "Edit a notice with the form: 303 back; 409 with the input kept when changed meanwhile"},
    {"POST", "/notices/{id}/publish", web_notice_publish, ROLE_COORDINATOR, 0,
     "Publish a draft or withdrawn notice with the form: 303 to /notices/manage"},
    {"POST", "/notices/{id}/withdraw", web_notice_withdraw, ROLE_COORDINATOR, 0,
     "Withdraw a published notice with the form: 303 to /notices/manage"},

    /* ---- web pages: cooperation projects, 合作项目 (web/project.c) --------------------- */
    {"GET", "/projects", web_projects, ROLE_PUBLIC, 0,
     "Projects (HTML) with filters and keyset pages; signed out: the public projects"},
    {"GET", "/projects/new", web_project_new, ROLE_COORDINATOR, 0,
     "The form of a new project (HTML; admin: ?pairing=)"},
    {"POST", "/projects", web_project_create, ROLE_COORDINATOR, 0,
     "Record a project with the form: 303 to it, else 422 with the form and the input kept"},
    {"GET", "/projects/{id}", web_project_page, ROLE_MEMBER, 0,
     "A project (HTML): facts, partners, stage timeline, tasks; the stage form for its side"},
    {"GET", "/projects/{id}/edit", web_project_edit_form, ROLE_COORDINATOR, 0,
     "The edit form of a project of one's side (HTML)"},
    {"POST", "/projects/{id}/edit", web_project_edit, ROLE_COORDINATOR, 0,
     "Edit a project with the form: 303 to it; 409 with the input kept when changed meanwhile"},
    {"POST", "/projects/{id}/stage", web_project_stage, ROLE_COORDINATOR, 0,
     "Change a project's stage with the form: 303 to it, else 422/409 with the message"},

    /* ---- web pages: the dashboard of a pairing (web/dashboard.c) -------------------- */
    {"GET", "/pairings/{id}/dashboard", web_dashboard, ROLE_MEMBER, ROUTE_CACHE,
     "A pairing's year at a glance (HTML): lights by area, city pairing and unit, overdue "
     "items, latest reports (?year=; users of the pairing)"},
    {"GET", "/dashboard", web_dashboard_home, ROLE_MEMBER, 0,
     "303 to the dashboard of one's own pairing (admin: the first pairing)"},
    /* ---- web pages: a task's page, assigning units to tasks (web/task.c,
     * web/assignment.c) ---------------------------------------------------------------- */
    {"GET", "/tasks/{id}", web_task_page, ROLE_MEMBER, 0,
     "A task (HTML): text, targets, both sides' units, work items by year, report timeline"},
    {"GET", "/plans/{id}/assign", web_assign_form, ROLE_COORDINATOR, 0,
     "Assign one's side's lead and support units to every task of a plan (HTML form)"},
    {"POST", "/plans/{id}/assign", web_assign_save, ROLE_COORDINATOR, 0,
     "Save the changed assignments of the form at once: 303, else 422/409 with the form"},
    /* ---- web pages: administration, audit log, search (web/admin.c, web/audit.c,
     * web/search.c) ---------------------------------------------------------------- */
    {"GET", "/units", web_units, ROLE_COORDINATOR, 0,
     "Units (HTML): a coordinator its side's, a leader its pairing's, an admin all "
     "(?pairing=&side=&after=); the create form"},
    {"POST", "/units", web_unit_create, ROLE_COORDINATOR, 0,
     "Create a unit with the form: 303 to it, else the form again with the errors"},
    {"GET", "/units/{id}", web_unit, ROLE_COORDINATOR, 0,
     "A unit (HTML) and, for who may edit it, its form"},
    {"POST", "/units/{id}", web_unit_update, ROLE_COORDINATOR, 0,
     "Edit a unit with the form: 303 back; 409 with the input kept when it changed meanwhile"},
    {"GET", "/users", web_users, ROLE_COORDINATOR, 0,
     "Accounts (HTML): a coordinator its side's, an admin all (?unit=&after=); the create form"},
    {"POST", "/users", web_user_create, ROLE_COORDINATOR, 0,
     "Create an account with the form; the answer shows its generated password once"},
    {"GET", "/users/{id}", web_user, ROLE_COORDINATOR, 0,
     "An account (HTML) and, for who may edit it, its form"},
    {"POST", "/users/{id}", web_user_update, ROLE_COORDINATOR, 0,
     "Edit an account (name, role, unit, language, disabled) with the form: 303 back"},
    {"GET", "/audit", web_audit, ROLE_LEADER, 0,
     "The audit log (HTML), newest first, filtered by who, what, object and days; older pages"},
    {"GET", "/search", web_search, ROLE_MEMBER, 0,
     "Search tasks, work items, reports and units of one's pairing (HTML), either script"},
    /* ---- web pages: the work plan editor (web/work_plan.c) ------------------------- */
    {"GET", "/work-plans", web_work_plans, ROLE_MEMBER, 0,
     "Work plans of one's pairing (HTML; admin: ?pairing=), newest year first"},
    {"POST", "/work-plans", web_work_plan_open, ROLE_COORDINATOR, 0,
     "Open the work plan of a year with the form: 303 to the plan"},
    {"GET", "/work-plans/{id}", web_work_plan_page, ROLE_MEMBER, 0,
     "A work plan (HTML, printable): state, approvals, items; the editor's forms"},
    {"POST", "/work-plans/{id}/items", web_work_item_add, ROLE_COORDINATOR, 0,
     "Add an item with the form: 303 to the plan, else the plan with the errors"},
    {"POST", "/work-plans/{id}/submit", web_work_plan_submit, ROLE_COORDINATOR, 0,
     "Submit a draft work plan with the form: 303 to the plan"},
    {"POST", "/work-plans/{id}/approve", web_work_plan_approve, ROLE_COORDINATOR, 0,
     "Approve a submitted work plan for one's side with the form: 303 to the plan"},
    {"GET", "/work-items/{id}/edit", web_work_item_edit_form, ROLE_COORDINATOR, 0,
     "The edit form of a work item of one's side (HTML)"},
    {"POST", "/work-items/{id}/edit", web_work_item_edit, ROLE_COORDINATOR, 0,
     "Edit a work item with the form: 303 to the plan, 409 when changed meanwhile"},
    {"POST", "/work-items/{id}/remove", web_work_item_remove, ROLE_COORDINATOR, 0,
     "Remove a work item: a confirmation page, then 303 to the plan"},

    /* ---- the published plans ---------------------------------------------------- */
    {"GET", "/api/v1/pairings", api_pairings, ROLE_PUBLIC, 0,
     "Province pairings with their city and zone pairings"},
    {"GET", "/api/v1/pairings/{id}", api_pairing, ROLE_PUBLIC, 0, "One pairing"},
    {"GET", "/api/v1/plans", api_plans, ROLE_PUBLIC, 0, "Current plans (?all=1: every version)"},
    {"GET", "/api/v1/plans/{id}", api_plan, ROLE_PUBLIC, 0,
     "A plan with key areas, tasks, pairings and targets"},

    /* ---- session -------------------------------------------------------------------- */
    {"POST", "/api/v1/session", api_session_create, ROLE_PUBLIC,
     ROUTE_JSON | ROUTE_NO_CSRF | ROUTE_LOGIN, "Sign in: sets the session cookie, returns the CSRF token"},
    {"DELETE", "/api/v1/session", api_session_delete, ROLE_MEMBER, 0, "Sign out"},
    {"GET", "/api/v1/me", api_me, ROLE_MEMBER, 0, "The signed-in user"},

    /* ---- accounts: units, users, own account (api/unit.c, api/user.c, api/account.c) */
    /* @accounts-routes */
    {"GET", "/api/v1/units", api_units, ROLE_MEMBER, 0,
     "Units of the caller's pairing (admin: all); ?pairing=&side=&after=&limit="},
    {"POST", "/api/v1/units", api_unit_create, ROLE_COORDINATOR, ROUTE_JSON,
     "Create a unit (coordinator: on its own side; admin: anywhere)"},
    {"GET", "/api/v1/units/{id}", api_unit, ROLE_MEMBER, 0, "One unit (ETag)"},
    {"PATCH", "/api/v1/units/{id}", api_unit_update, ROLE_COORDINATOR, ROUTE_JSON,
     "Edit a unit's name, kind, tier, region (If-Match)"},
    {"GET", "/api/v1/users", api_users, ROLE_COORDINATOR, 0,
     "Accounts (coordinator: its side's; admin: all); ?unit=&after=&limit="},
    {"POST", "/api/v1/users", api_user_create, ROLE_COORDINATOR, ROUTE_JSON,
     "Create an account; a generated password is shown once"},
    {"GET", "/api/v1/users/{id}", api_user, ROLE_COORDINATOR, 0, "One account (ETag)"},
    {"PATCH", "/api/v1/users/{id}", api_user_update, ROLE_COORDINATOR, ROUTE_JSON,
     "Edit an account: name, role, unit, language, disabled (If-Match)"},
    {"PATCH", "/api/v1/me", api_me_update, ROLE_MEMBER, ROUTE_JSON,
     "Change one's own name and language"},
    {"POST", "/api/v1/me/password", api_me_password, ROLE_MEMBER, ROUTE_JSON,
     "Change one's own password; one's other sessions end"},
    {"GET", "/api/v1/me/sessions", api_me_sessions, ROLE_MEMBER, 0, "One's own live sessions"},
    {"POST", "/api/v1/me/sessions/revoke", api_me_sessions_revoke, ROLE_MEMBER, 0,
     "Sign out everywhere, this session included"},

    /* ---- cooperation core: tasks, assignments, work plans, reports, lights ------------ */
    /* @core-routes */
    {"GET", "/api/v1/tasks/{id}", api_task, ROLE_MEMBER, 0,
     "A task: text, area, targets, city pairings, assignments, work items of every year"},
    {"PUT", "/api/v1/tasks/{id}/assignments", api_task_assignments_put, ROLE_COORDINATOR,
     ROUTE_JSON, "Set one side's lead and support units of a task (If-Match)"},
    {"GET", "/api/v1/work-plans", api_work_plans, ROLE_MEMBER, 0,
     "Work plans of a pairing (?pairing=), newest year first"},
    {"POST", "/api/v1/work-plans", api_work_plan_open, ROLE_COORDINATOR, ROUTE_JSON,
     "Open the work plan of a pairing and year (201 created, 200 existing)"},
    {"GET", "/api/v1/work-plans/{id}", api_work_plan, ROLE_MEMBER, ROUTE_CACHE,
     "A work plan with approvals and items (ETag)"},
    {"POST", "/api/v1/work-plans/{id}/items", api_work_item_add, ROLE_COORDINATOR, ROUTE_JSON,
     "Add an item to a work plan"},
    {"POST", "/api/v1/work-plans/{id}/submit", api_work_plan_submit, ROLE_COORDINATOR,
     ROUTE_JSON, "Submit a draft work plan for approval (If-Match)"},
    {"POST", "/api/v1/work-plans/{id}/approve", api_work_plan_approve, ROLE_COORDINATOR,
     ROUTE_JSON, "Approve a submitted work plan for one's side (If-Match)"},
    {"GET", "/api/v1/work-items/{id}", api_work_item, ROLE_MEMBER, 0,
     "A work item (ETag) with its reports, newest first (?after=&limit=)"},
    {"PATCH", "/api/v1/work-items/{id}", api_work_item_edit, ROLE_COORDINATOR, ROUTE_JSON,
     "Replace a work item's fields (If-Match)"},
    {"DELETE", "/api/v1/work-items/{id}", api_work_item_remove, ROLE_COORDINATOR, 0,
     "Remove a work item from its plan (If-Match)"},
    {"GET", "/api/v1/my/work-items", api_my_work_items, ROLE_MEMBER, 0,
     "The items the caller's unit owns, soonest due first (?year=&after=&limit=)"},
    {"POST", "/api/v1/work-items/{id}/reports", api_report_submit, ROLE_MEMBER, ROUTE_JSON,
     "Report progress on an item of one's own unit"},
    {"GET", "/api/v1/reports/{id}", api_report, ROLE_MEMBER, 0,
     "A report with its figures and review"},
    {"GET", "/api/v1/reviews/pending", api_reviews_pending, ROLE_MEMBER, 0,
     "Pending reports to review, each beside the previous one (?after=&limit=)"},
    {"POST", "/api/v1/reports/{id}/review", api_report_review, ROLE_COORDINATOR, ROUTE_JSON,
     "Accept a report, or return it with a comment"},
    {"GET", "/api/v1/lights", api_lights, ROLE_MEMBER, 0,
     "Light counts of a pairing by area, city pairing and unit (?pairing=&year=)"},

    /* ---- notices, 通知公告 (api/notice.c) ------------------------------------------- */
    {"GET", "/api/v1/notices", api_notices, ROLE_PUBLIC, 0,
     "Published notices, newest first (?after=&limit=); ?manage=1: the caller's in every state"},
    {"POST", "/api/v1/notices", api_notice_create, ROLE_COORDINATOR, ROUTE_JSON,
     "Create a draft notice (coordinator: its pairing; admin: any, or every pairing)"},
    {"GET", "/api/v1/notices/{id}", api_notice, ROLE_PUBLIC, 0,
     "One notice (ETag): published ones for anyone, others for who writes them"},
    {"PATCH", "/api/v1/notices/{id}", api_notice_update, ROLE_COORDINATOR, ROUTE_JSON,
     "Edit a notice's title and text (If-Match)"},
    {"POST", "/api/v1/notices/{id}/publish", api_notice_publish, ROLE_COORDINATOR, 0,
     "Publish a draft or withdrawn notice (If-Match when sent)"},
    {"POST", "/api/v1/notices/{id}/withdraw", api_notice_withdraw, ROLE_COORDINATOR, 0,
     "Withdraw a published notice (If-Match when sent)"},

    /* ---- cooperation projects, 合作项目 (api/project.c) ------------------------------- */
    {"GET", "/api/v1/projects", api_projects, ROLE_PUBLIC, 0,
     "Projects of the caller's pairing (member: its unit's), newest first or by investment; "
     "filters; keyset pages. Without a session: the public projects"},
    {"POST", "/api/v1/projects", api_project_create, ROLE_COORDINATOR, ROUTE_JSON,
     "Record a project (coordinator: for its own side; admin: pairing_id and side)"},
    {"GET", "/api/v1/projects/{id}", api_project, ROLE_MEMBER, 0,
     "One project with partners, tasks and stage history (ETag)"},
    {"PATCH", "/api/v1/projects/{id}", api_project_edit, ROLE_COORDINATOR, ROUTE_JSON,
     "Edit a project (If-Match; the owning side's coordinator)"},
    {"POST", "/api/v1/projects/{id}/stage", api_project_stage, ROLE_COORDINATOR, ROUTE_JSON,
     "Change a project's stage on a date (forward only; into or out of stopped with a "
     "reason)"},

    /* ---- audit log (api/audit.c) ------------------------------------------------------ */
    /* @audit-routes */
    {"GET", "/api/v1/audit", api_audit, ROLE_LEADER, 0,
     "The audit log, newest first; filters, keyset pages (leader: its pairing)"},
};

const size_t http_n_routes = sizeof http_routes / sizeof *http_routes;
