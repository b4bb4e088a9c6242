/* migrate: the schema, as an ordered list of migrations, and the runner that applies them.
 *
 * Version N of the schema is what migrations[0..N-1] build; PRAGMA user_version records the
 * version a database file is at. Each migration runs in its own transaction, so a file is
 * always at some whole version.
 *
 * A MIGRATION, ONCE RELEASED, IS NEVER EDITED: databases in the field were built by its exact
 * text, and an edit would give two files of the same version different schemas. To change the
 * schema, append a new migration at the end of the array. Each script ends by setting
 * user_version to its own number (a literal, so no value is ever spliced into SQL); the runner
 * checks that it did.
 *
 * SQL stays portable so a PostgreSQL backend can follow: INTEGER PRIMARY KEY ids, times as
 * ISO-8601 UTC text, enums as CHECK constraints, partial indexes (PostgreSQL has them too).
 * The SQLite-only parts are the audit triggers' RAISE() and PRAGMA user_version. */
#include <stdlib.h>

#include "core/log.h"
#include "store/db.h"
#include "store/db_impl.h"

/* The province pairing an audit row's object belongs to (migration 7's audit_scope), one
 * line per kind of object: M(entity, pairing expression, tables with o the object). As a
 * trigger reads it for the new row, and as the backfill reads it for every row. */
#define AUDIT_SCOPE_OBJECTS(M)                                                                \
    M("pairing", "coalesce(o.parent_id, o.id)", "pairing o")                                 \
    M("plan", "o.pairing_id", "plan o")                                                      \
    M("task", "pl.pairing_id", "task o JOIN plan pl ON pl.id = o.plan_id")                   \
    M("unit", "o.pairing_id", "unit o")                                                      \
    M("users", "n.pairing_id", "users o JOIN unit n ON n.id = o.unit_id")                    \
    M("session", "n.pairing_id",                                                             \
      "session o JOIN users u ON u.id = o.user_id JOIN unit n ON n.id = u.unit_id")          \
    M("api_token", "n.pairing_id",                                                           \
      "api_token o JOIN users u ON u.id = o.user_id JOIN unit n ON n.id = u.unit_id")        \
    M("work_plan", "o.pairing_id", "work_plan o")                                            \
    M("work_item", "w.pairing_id", "work_item o JOIN work_plan w ON w.id = o.work_plan_id")  \
    M("report", "w.pairing_id",                                                              \
      "report o JOIN work_item i ON i.id = o.work_item_id "                                  \
      "JOIN work_plan w ON w.id = i.work_plan_id")                                           \
    M("notice", "o.pairing_id", "notice o")
/* Migration 9 adds the objects of cooperation projects. (Migration 7's text is built from
 * the list above, so that list never changes; later objects extend this one, and the
 * migration that adds them recreates the trigger.) */
#define AUDIT_SCOPE_OBJECTS_9(M)                                                              \
    AUDIT_SCOPE_OBJECTS(M)                                                                    \
    M("project", "o.pairing_id", "project o")                                                \
    M("project_update", "p.pairing_id",                                                      \
      "project_update o JOIN project p ON p.id = o.project_id")                               \
    M("platform", "o.pairing_id", "platform o")                                              \
    M("work_fund", "o.pairing_id", "work_fund o")                                            \
    M("work_fund_allocation", "f.pairing_id",                                                \
      "work_fund_allocation o JOIN work_fund f ON f.id = o.fund_id")                          \
    M("industry_fund", "o.pairing_id", "industry_fund o")                                    \
    M("fund_investment", "f.pairing_id",                                                     \
      "fund_investment o JOIN industry_fund f ON f.id = o.fund_id")                           \
    M("attachment", "o.pairing_id", "attachment o")
/* Migration 16 adds circulars and evaluations (an admin's writes of them move the pairing's
 * version too: pages cached under it show them at once). */
#define AUDIT_SCOPE_OBJECTS_16(M)                                                             \
    AUDIT_SCOPE_OBJECTS_9(M)                                                                  \
    M("circular", "o.pairing_id", "circular o")                                              \
    M("evaluation", "o.pairing_id", "evaluation o")
/* Migration 18 adds enterprises, events and their registrations and outcomes, exchanges of
 * people and calendar feeds. */
#define AUDIT_SCOPE_OBJECTS_18(M)                                                             \
    AUDIT_SCOPE_OBJECTS_16(M)                                                                 \
    M("enterprise", "o.pairing_id", "enterprise o")                                          \
    M("event", "o.pairing_id", "event o")                                                    \
    M("registration", "e.pairing_id", "registration o JOIN event e ON e.id = o.event_id")    \
    M("event_outcome", "e.pairing_id", "event_outcome o JOIN event e ON e.id = o.event_id")  \
    M("exchange", "o.pairing_id", "exchange o")
#define AUDIT_SCOPE_NEW(entity, p, from)                                                      \
    "        UNION SELECT " p " FROM " from " WHERE NEW.entity = '" entity "' "               \
    "AND o.id = NEW.entity_id\n"
#define AUDIT_SCOPE_ALL(entity, p, from)                                                      \
    "        UNION ALL SELECT " p ", a.id FROM audit a, " from " WHERE a.entity = '" entity   \
    "' AND o.id = a.entity_id\n"

/* The audit trigger of data versions (migration 10; migration 13 moves a second counter in
 * the pairing's UPDATE; migration 16 scopes more objects): SET is what that UPDATE sets,
 * OBJECTS the list of scoped objects. */
#define AUDIT_SCOPE_TRIGGER(SET) AUDIT_SCOPE_TRIGGER_OF(AUDIT_SCOPE_OBJECTS_9, SET)
#define AUDIT_SCOPE_TRIGGER_OF(OBJECTS, SET)                                                  \
    "DROP TRIGGER audit_scope_insert;\n" AUDIT_SCOPE_CREATE(OBJECTS, SET)
#define AUDIT_SCOPE_CREATE(OBJECTS, SET)                                                      \
    "CREATE TRIGGER audit_scope_insert AFTER INSERT ON audit\n"                               \
    "BEGIN\n"                                                                                 \
    "    INSERT INTO audit_scope (pairing_id, audit_id)\n"                                    \
    "    SELECT DISTINCT p, NEW.id FROM (\n"                                                  \
    "        SELECT n.pairing_id AS p FROM users u JOIN unit n ON n.id = u.unit_id\n"         \
    "            WHERE substr(NEW.actor, 1, 5) = 'user:' AND u.login = substr(NEW.actor, 6)\n" \
    OBJECTS(AUDIT_SCOPE_NEW)                                                                  \
    "    ) WHERE p IS NOT NULL;\n"                                                            \
    "    UPDATE data_version SET " SET "\n"                                                   \
    "        WHERE scope IN (SELECT pairing_id FROM audit_scope WHERE audit_id = NEW.id);\n"  \
    "    UPDATE data_version SET n = n + 1\n"                                                 \
    "        WHERE scope = 0 AND NOT EXISTS (SELECT 1 FROM audit_scope WHERE audit_id = NEW.id);\n" \
    "    UPDATE data_version SET n = n + 1\n"                                                 \
    "        WHERE scope = -1 AND NEW.entity IN ('users', 'unit', 'session', 'api_token');\n" \
    "END;\n"

/* The notification table's indexes and its data-version triggers (migration 12; migration 14
 * rebuilds the table and makes them again). */
#define NOTIFICATION_INDEXES                                                                  \
    "CREATE INDEX notification_user ON notification (user_id, id);\n"                        \
    "CREATE INDEX notification_unread ON notification (user_id) WHERE read_at IS NULL;\n"    \
    "CREATE INDEX notification_object ON notification (kind, object_id);\n"
#define NOTIFICATION_TRIGGERS                                                                 \
    "CREATE TRIGGER data_version_notification_insert AFTER INSERT ON notification\n"         \
    "BEGIN\n"                                                                                \
    "    UPDATE data_version SET n = n + 1 WHERE scope = -2;\n"                              \
    "END;\n"                                                                                 \
    "CREATE TRIGGER data_version_notification_read AFTER UPDATE OF read_at ON notification\n" \
    "BEGIN\n"                                                                                \
    "    UPDATE data_version SET n = n + 1 WHERE scope = -2;\n"                              \
    "END;\n"

static const char *const migrations[] = {
    /* 1 (2026-11): regions, pairings, plans and their sections, tasks, targets; audit log. */
    "CREATE TABLE region (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    code TEXT NOT NULL UNIQUE,\n"
    "    name TEXT NOT NULL,\n"
    "    short_name TEXT,\n"
    "    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'district', 'zone')),\n"
    "    parent_id INTEGER REFERENCES region (id)\n"
    ");\n"
    "CREATE INDEX region_parent ON region (parent_id);\n"
    "\n"
    /* A province pairing has parent_id NULL; its city pairings point at it. plan_id is the
     * plan whose text names a child pairing (NULL at the top level). */
    "CREATE TABLE pairing (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    parent_id INTEGER REFERENCES pairing (id),\n"
    "    region_a INTEGER REFERENCES region (id),\n"
    "    region_b INTEGER REFERENCES region (id),\n"
    "    name_a TEXT NOT NULL,\n"
    "    name_b TEXT NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('province', 'city', 'zone')),\n"
    "    theme TEXT,\n"
    "    plan_id INTEGER REFERENCES plan (id),\n"
    "    task_number INTEGER,\n"
    "    created_at TEXT NOT NULL\n"
    ");\n"
    /* Children are unique within their parent; this index, led by parent_id, is also the
     * index for "the children of a pairing". NULL parent_ids are all distinct to a UNIQUE
     * index, so the top level needs its own partial one. */
    "CREATE UNIQUE INDEX pairing_child ON pairing (parent_id, name_a, name_b);\n"
    "CREATE UNIQUE INDEX pairing_top ON pairing (name_a, name_b) WHERE parent_id IS NULL;\n"
    "CREATE INDEX pairing_plan ON pairing (plan_id);\n"
    "\n"
    /* Versions of one plan share a lineage: the id of its first version (so the first version
     * has lineage = id, set in the transaction that inserts it). */
    "CREATE TABLE plan (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    lineage INTEGER REFERENCES plan (id),\n"
    "    version INTEGER NOT NULL CHECK (version >= 1),\n"
    "    status TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'superseded')),\n"
    "    title TEXT NOT NULL,\n"
    "    target_year INTEGER,\n"
    "    source_sha256 TEXT NOT NULL,\n"
    "    file_sha256 TEXT,\n"
    "    source_text TEXT NOT NULL,\n"
    "    preamble TEXT,\n"
    "    imported_at TEXT NOT NULL,\n"
    "    imported_by TEXT NOT NULL,\n"
    "    UNIQUE (lineage, version)\n"
    ");\n"
    "CREATE INDEX plan_pairing ON plan (pairing_id);\n"
    "CREATE INDEX plan_source ON plan (source_sha256);\n"
    "\n"
    "CREATE TABLE plan_section (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    plan_id INTEGER NOT NULL REFERENCES plan (id),\n"
    "    kind TEXT NOT NULL\n"
    "        CHECK (kind IN ('ideology', 'principle', 'goals', 'area', 'safeguard', 'other')),\n"
    "    ordinal INTEGER NOT NULL,\n"
    "    marker TEXT,\n"
    "    title TEXT,\n"
    "    body TEXT\n"
    ");\n"
    "CREATE INDEX plan_section_plan ON plan_section (plan_id, ordinal);\n"
    "\n"
    "CREATE TABLE task (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    plan_id INTEGER NOT NULL REFERENCES plan (id),\n"
    "    area_id INTEGER REFERENCES plan_section (id),\n"
    "    number INTEGER NOT NULL,\n"
    "    title TEXT NOT NULL,\n"
    "    body TEXT NOT NULL,\n"
    "    title_key TEXT,\n"
    "    UNIQUE (plan_id, number)\n"
    ");\n"
    "CREATE INDEX task_area ON task (area_id);\n"
    "\n"
    "CREATE TABLE target (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    plan_id INTEGER NOT NULL REFERENCES plan (id),\n"
    "    task_id INTEGER REFERENCES task (id),\n"
    "    text TEXT NOT NULL,\n"
    "    min INTEGER,\n"
    "    max INTEGER,\n"
    "    unit TEXT,\n"
    "    object TEXT,\n"
    "    per TEXT,\n"
    "    year INTEGER\n"
    ");\n"
    "CREATE INDEX target_plan ON target (plan_id);\n"
    "CREATE INDEX target_task ON target (task_id);\n"
    "\n"
    /* Append-only and hash-chained (see audit.c). Ids are assigned by audit_append as the
     * previous id + 1, so a missing row shows as a gap. */
    "CREATE TABLE audit (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    at TEXT NOT NULL,\n"
    "    actor TEXT NOT NULL,\n"
    "    action TEXT NOT NULL,\n"
    "    entity TEXT NOT NULL,\n"
    "    entity_id INTEGER,\n"
    "    before TEXT,\n"
    "    after TEXT,\n"
    "    client TEXT,\n"
    "    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),\n"
    "    hash TEXT NOT NULL CHECK (length(hash) = 64)\n"
    ");\n"
    "CREATE INDEX audit_entity ON audit (entity, entity_id);\n"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'audit log is append-only');\n"
    "END;\n"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'audit log is append-only');\n"
    "END;\n"
    "\n"
    "PRAGMA user_version = 1;\n",

    /* 2 (2026-11): organisations and accounts, and the cooperation core: assignments, work
     * plans and their items, progress reports and reviews. */
    /* A unit works on one side (0 = the pairing's region_a, 1 = region_b) of a province
     * pairing; name_key is its name in one script, for matching and search. */
    "CREATE TABLE unit (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    region_id INTEGER REFERENCES region (id),\n"
    "    name TEXT NOT NULL,\n"
    "    name_key TEXT NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('government', 'department', 'city', 'enterprise',\n"
    "        'university', 'institute', 'association', 'park', 'other')),\n"
    "    tier TEXT NOT NULL CHECK (tier IN ('decision', 'coordination', 'execution')),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    UNIQUE (pairing_id, side, name_key)\n"
    ");\n"
    "\n"
    /* "user" is reserved in PostgreSQL, hence users. An admin has no unit. */
    "CREATE TABLE users (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    unit_id INTEGER REFERENCES unit (id),\n"
    "    login TEXT NOT NULL UNIQUE,\n"
    "    name TEXT NOT NULL,\n"
    "    pw_hash TEXT NOT NULL,\n"
    "    role TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'coordinator', 'member')),\n"
    "    language TEXT NOT NULL DEFAULT 'zh-Hans'\n"
    "        CHECK (language IN ('zh-Hans', 'zh-Hant', 'en')),\n"
    "    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),\n"
    "    failed_logins INTEGER NOT NULL DEFAULT 0,\n"
    "    locked_until TEXT,\n"
    "    pw_changed_at TEXT NOT NULL,\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    CHECK (role = 'admin' OR unit_id IS NOT NULL)\n"
    ");\n"
    "CREATE INDEX users_unit ON users (unit_id);\n"
    "\n"
    /* Tokens are stored as SHA-256 hashes only: a stolen database gives no live session. */
    "CREATE TABLE session (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    token_hash TEXT NOT NULL UNIQUE,\n"
    "    csrf_token TEXT NOT NULL,\n"
    "    client TEXT,\n"
    "    created_at TEXT NOT NULL,\n"
    "    last_seen_at TEXT NOT NULL,\n"
    "    expires_at TEXT NOT NULL,\n"
    "    revoked_at TEXT\n"
    ");\n"
    "CREATE INDEX session_user ON session (user_id);\n"
    "CREATE TABLE api_token (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    token_hash TEXT NOT NULL UNIQUE,\n"
    "    name TEXT,\n"
    "    created_at TEXT NOT NULL,\n"
    "    last_used_at TEXT,\n"
    "    revoked_at TEXT\n"
    ");\n"
    "CREATE INDEX api_token_user ON api_token (user_id);\n"
    "\n"
    /* 牵头 / 配合: a task given to a unit of either side. */
    "CREATE TABLE assignment (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    task_id INTEGER NOT NULL REFERENCES task (id),\n"
    "    unit_id INTEGER NOT NULL REFERENCES unit (id),\n"
    "    role TEXT NOT NULL CHECK (role IN ('lead', 'support')),\n"
    "    created_at TEXT NOT NULL,\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    UNIQUE (task_id, unit_id)\n"
    ");\n"
    "CREATE INDEX assignment_unit ON assignment (unit_id);\n"
    "\n"
    /* 年度工作计划: one per province pairing and year. revision counts every change, for
     * ETag / If-Match. */
    "CREATE TABLE work_plan (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),\n"
    "    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'agreed')),\n"
    "    revision INTEGER NOT NULL DEFAULT 1,\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    UNIQUE (pairing_id, year)\n"
    ");\n"
    /* Sign-off by each side's lead office; an edit after approval clears them (cleared_at
     * set, kept for the record). */
    "CREATE TABLE approval (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    work_plan_id INTEGER NOT NULL REFERENCES work_plan (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    at TEXT NOT NULL,\n"
    "    cleared_at TEXT,\n"
    "    cleared_reason TEXT\n"
    ");\n"
    "CREATE INDEX approval_plan ON approval (work_plan_id);\n"
    "CREATE TABLE work_item (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    work_plan_id INTEGER NOT NULL REFERENCES work_plan (id),\n"
    "    task_id INTEGER REFERENCES task (id),\n"
    "    title TEXT NOT NULL,\n"
    "    owner_unit_id INTEGER NOT NULL REFERENCES unit (id),\n"
    "    due TEXT NOT NULL,\n"
    "    indicator TEXT,\n"
    "    target_value TEXT,\n"
    "    revision INTEGER NOT NULL DEFAULT 1,\n"
    "    removed_at TEXT,\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX work_item_plan ON work_item (work_plan_id);\n"
    "CREATE INDEX work_item_owner ON work_item (owner_unit_id, due);\n"
    "CREATE INDEX work_item_task ON work_item (task_id);\n"
    "CREATE TABLE work_item_support (\n"
    "    work_item_id INTEGER NOT NULL REFERENCES work_item (id),\n"
    "    unit_id INTEGER NOT NULL REFERENCES unit (id),\n"
    "    PRIMARY KEY (work_item_id, unit_id)\n"
    ");\n"
    "\n"
    /* 进展报告: rows never change; a correction or an answer to a return is a new report.
     * period is 2026-11 (month) or 2026-Q4 (quarter). */
    "CREATE TABLE report (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    work_item_id INTEGER NOT NULL REFERENCES work_item (id),\n"
    "    unit_id INTEGER NOT NULL REFERENCES unit (id),\n"
    "    period TEXT NOT NULL,\n"
    "    status TEXT NOT NULL\n"
    "        CHECK (status IN ('not_started', 'on_track', 'at_risk', 'delayed', 'done')),\n"
    "    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),\n"
    "    narrative TEXT NOT NULL,\n"
    "    supersedes_id INTEGER REFERENCES report (id),\n"
    "    submitted_by INTEGER NOT NULL REFERENCES users (id),\n"
    "    at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX report_item ON report (work_item_id, id);\n"
    "CREATE TABLE report_figure (\n"
    "    report_id INTEGER NOT NULL REFERENCES report (id),\n"
    "    name TEXT NOT NULL,\n"
    "    value INTEGER NOT NULL,\n"
    "    unit TEXT,\n"
    "    PRIMARY KEY (report_id, name)\n"
    ");\n"
    /* A report without a review is pending; one review per report. */
    "CREATE TABLE review (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    report_id INTEGER NOT NULL UNIQUE REFERENCES report (id),\n"
    "    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'returned')),\n"
    "    reviewer_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    comment TEXT,\n"
    "    at TEXT NOT NULL\n"
    ");\n"
    "CREATE TRIGGER report_no_update BEFORE UPDATE ON report\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'reports are append-only');\n"
    "END;\n"
    "\n"
    "PRAGMA user_version = 2;\n",

    /* 3: reports are append-only all the way: migration 2 refused only UPDATE of report. Now
     * no report is deleted, and a review or a figure, once written, neither changes nor goes.
     * (report_figure rows are inserted with their report, in the same transaction.) */
    "CREATE TRIGGER report_no_delete BEFORE DELETE ON report\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'reports are append-only');\n"
    "END;\n"
    "CREATE TRIGGER review_no_update BEFORE UPDATE ON review\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'reports are append-only');\n"
    "END;\n"
    "CREATE TRIGGER review_no_delete BEFORE DELETE ON review\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'reports are append-only');\n"
    "END;\n"
    "CREATE TRIGGER report_figure_no_update BEFORE UPDATE ON report_figure\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'reports are append-only');\n"
    "END;\n"
    "CREATE TRIGGER report_figure_no_delete BEFORE DELETE ON report_figure\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'reports are append-only');\n"
    "END;\n"
    "\n"
    "PRAGMA user_version = 3;\n",

    /* 4 (2026-11): search. A full-text index (FTS5) per kind of thing found — tasks, work
     * items, reports, units — over their text folded to one script (store/search.c): a query
     * is a lookup in the index, not a scan of every narrative through a function. Triggers
     * cannot write FTS5 tables on our connections (their schema is never trusted), so they
     * note each change in search_dirty and search_flush indexes it (as each writing
     * transaction commits, db_commit; before December 2026, before the next search).
     * The index is filled here, once, with the search_text() function the store registers. */
    "CREATE TABLE search_dirty (\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('task', 'item', 'report', 'unit')),\n"
    "    ref_id INTEGER NOT NULL\n"
    ");\n"
    "CREATE VIRTUAL TABLE search_task USING fts5(body, scope);\n"
    "CREATE VIRTUAL TABLE search_item USING fts5(body, scope);\n"
    "CREATE VIRTUAL TABLE search_unit USING fts5(body, scope);\n"
    /* reports never change: index only, no second copy of the narratives */
    "CREATE VIRTUAL TABLE search_report USING fts5(body, scope, content='');\n"
    "CREATE TRIGGER search_unit_insert AFTER INSERT ON unit\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('unit', NEW.id); END;\n"
    "CREATE TRIGGER search_unit_update AFTER UPDATE OF name ON unit\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('unit', NEW.id); END;\n"
    "CREATE TRIGGER search_unit_delete AFTER DELETE ON unit\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('unit', OLD.id); END;\n"
    "CREATE TRIGGER search_task_insert AFTER INSERT ON task\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('task', NEW.id); END;\n"
    "CREATE TRIGGER search_task_update AFTER UPDATE OF title, body ON task\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('task', NEW.id); END;\n"
    "CREATE TRIGGER search_task_delete AFTER DELETE ON task\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('task', OLD.id); END;\n"
    "CREATE TRIGGER search_item_insert AFTER INSERT ON work_item\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('item', NEW.id); END;\n"
    "CREATE TRIGGER search_item_update AFTER UPDATE OF title, indicator ON work_item\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('item', NEW.id); END;\n"
    "CREATE TRIGGER search_item_delete AFTER DELETE ON work_item\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('item', OLD.id); END;\n"
    "CREATE TRIGGER search_report_insert AFTER INSERT ON report\n"
    "BEGIN INSERT INTO search_dirty (kind, ref_id) VALUES ('report', NEW.id); END;\n"
    "INSERT INTO search_unit (rowid, body, scope)\n"
    "    SELECT id, search_text(name), 'p' || pairing_id FROM unit;\n"
    "INSERT INTO search_task (rowid, body, scope)\n"
    "    SELECT t.id, search_text(t.title || ' ' || t.body), 'p' || coalesce(pa.parent_id, pa.id)\n"
    "    FROM task t JOIN plan p ON p.id = t.plan_id JOIN pairing pa ON pa.id = p.pairing_id;\n"
    "INSERT INTO search_item (rowid, body, scope)\n"
    "    SELECT i.id, search_text(i.title || ' ' || coalesce(i.indicator, '')),\n"
    "        'p' || coalesce(pa.parent_id, pa.id) FROM work_item i\n"
    "    JOIN work_plan w ON w.id = i.work_plan_id JOIN pairing pa ON pa.id = w.pairing_id;\n"
    "INSERT INTO search_report (rowid, body, scope)\n"
    "    SELECT r.id, search_text(r.narrative), 'p' || coalesce(pa.parent_id, pa.id) FROM report r\n"
    "    JOIN work_item i ON i.id = r.work_item_id JOIN work_plan w ON w.id = i.work_plan_id\n"
    "    JOIN pairing pa ON pa.id = w.pairing_id;\n"
    "\n"
    "PRAGMA user_version = 4;\n",

    /* 5 (2026-11): notices (通知公告). A notice belongs to one province pairing, or to every
     * pairing when pairing_id is NULL (an admin's). It is written as a draft, published (then
     * public, on the portal), and may be withdrawn; published_at is the time of the latest
     * publication and stays set after a withdrawal. The public list reads published notices
     * newest first by (published_at, id), the index's order. */
    "CREATE TABLE notice (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER REFERENCES pairing (id),\n"
    "    title TEXT NOT NULL,\n"
    "    body TEXT NOT NULL,\n"
    "    status TEXT NOT NULL DEFAULT 'draft'\n"
    "        CHECK (status IN ('draft', 'published', 'withdrawn')),\n"
    "    published_at TEXT,\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    CHECK (status = 'draft' OR published_at IS NOT NULL)\n"
    ");\n"
    "CREATE INDEX notice_published ON notice (status, published_at, id);\n"
    "CREATE INDEX notice_pairing ON notice (pairing_id, id);\n"
    "\n"
    "PRAGMA user_version = 5;\n",

    /* 6 (2026-11): the ingester's damaged_text warning kept with the task, so the pages can
     * say that the text shown holds characters lost in the source (the seed plans do). */
    "ALTER TABLE task ADD COLUMN damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged IN (0, 1));\n"
    "\n"
    "PRAGMA user_version = 6;\n",

    /* 7 (2026-12): reads bounded by what they return (tests/explain: no request walks a
     * growing table). review_queue holds the reports awaiting review — the latest of their
     * item and period, not yet reviewed — with the scope a queue is read by, so a member
     * with nothing to review reads nothing (before: the whole report table). audit_scope
     * names the province pairing(s) an audit row concerns, by its actor and its object as
     * they were when it was written, so a leader's page of the log is an index range (before:
     * the log walked back until a page filled). Both are kept by triggers, so every writer
     * (the services, demo --scale, a restore) keeps them, and filled from the rows already
     * there. A new report takes the place of the one it supersedes (its writer names the
     * latest report of the item and period, as report_submit does). report_supersedes serves
     * the foreign key a new report checks. */
    "CREATE INDEX report_supersedes ON report (supersedes_id);\n"
    "CREATE TABLE review_queue (\n"
    "    report_id INTEGER PRIMARY KEY REFERENCES report (id),\n"
    "    pairing_id INTEGER NOT NULL,\n"
    "    side INTEGER NOT NULL,\n"
    "    unit_id INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX review_queue_pairing ON review_queue (pairing_id, report_id);\n"
    "CREATE INDEX review_queue_side ON review_queue (pairing_id, side, report_id);\n"
    "CREATE INDEX review_queue_unit ON review_queue (unit_id, report_id);\n"
    "CREATE TRIGGER review_queue_report AFTER INSERT ON report\n"
    "BEGIN\n"
    "    DELETE FROM review_queue WHERE report_id = NEW.supersedes_id;\n"
    "    INSERT INTO review_queue (report_id, pairing_id, side, unit_id)\n"
    "        SELECT NEW.id, w.pairing_id, u.side, NEW.unit_id FROM work_item i\n"
    "        JOIN work_plan w ON w.id = i.work_plan_id JOIN unit u ON u.id = NEW.unit_id\n"
    "        WHERE i.id = NEW.work_item_id;\n"
    "END;\n"
    "CREATE TRIGGER review_queue_review AFTER INSERT ON review\n"
    "BEGIN\n"
    "    DELETE FROM review_queue WHERE report_id = NEW.report_id;\n"
    "END;\n"
    "CREATE TRIGGER review_queue_item_removed AFTER UPDATE OF removed_at ON work_item\n"
    "WHEN NEW.removed_at IS NOT NULL\n"
    "BEGIN\n"
    "    DELETE FROM review_queue WHERE report_id IN\n"
    "        (SELECT id FROM report WHERE work_item_id = NEW.id);\n"
    "END;\n"
    "INSERT INTO review_queue (report_id, pairing_id, side, unit_id)\n"
    "    SELECT r.id, w.pairing_id, u.side, r.unit_id FROM report r\n"
    "    JOIN work_item i ON i.id = r.work_item_id JOIN work_plan w ON w.id = i.work_plan_id\n"
    "    JOIN unit u ON u.id = r.unit_id\n"
    "    WHERE i.removed_at IS NULL\n"
    "    AND NOT EXISTS (SELECT 1 FROM review v WHERE v.report_id = r.id)\n"
    "    AND r.id = (SELECT max(m.id) FROM report m\n"
    "                WHERE m.work_item_id = r.work_item_id AND m.period = r.period);\n"
    "\n"
    "CREATE TABLE audit_scope (\n"
    "    pairing_id INTEGER NOT NULL,\n"
    "    audit_id INTEGER NOT NULL REFERENCES audit (id),\n"
    "    PRIMARY KEY (pairing_id, audit_id)\n"
    ");\n"
    "CREATE TRIGGER audit_scope_insert AFTER INSERT ON audit\n"
    "BEGIN\n"
    "    INSERT INTO audit_scope (pairing_id, audit_id)\n"
    "    SELECT DISTINCT p, NEW.id FROM (\n"
    "        SELECT n.pairing_id AS p FROM users u JOIN unit n ON n.id = u.unit_id\n"
    "            WHERE substr(NEW.actor, 1, 5) = 'user:' AND u.login = substr(NEW.actor, 6)\n"
    AUDIT_SCOPE_OBJECTS(AUDIT_SCOPE_NEW)
    "    ) WHERE p IS NOT NULL;\n"
    "END;\n"
    "INSERT INTO audit_scope (pairing_id, audit_id)\n"
    "    SELECT DISTINCT p, id FROM (\n"
    "        SELECT n.pairing_id AS p, a.id AS id FROM audit a\n"
    "            JOIN users u ON substr(a.actor, 1, 5) = 'user:' AND u.login = substr(a.actor, 6)\n"
    "            JOIN unit n ON n.id = u.unit_id\n"
    AUDIT_SCOPE_OBJECTS(AUDIT_SCOPE_ALL)
    "    ) WHERE p IS NOT NULL;\n"
    "\n"
    "PRAGMA user_version = 7;\n",

    /* 8 (2026-12): sign-in locks per account and address. Five wrong passwords from one
     * address lock that address out of that account, not the account: its owner signing in
     * from elsewhere is not locked out by a stranger (service/auth.c). users.failed_logins
     * and locked_until stay for the slower lock of the account as a whole. */
    "CREATE TABLE login_lock (\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    client TEXT NOT NULL,\n"
    "    failures INTEGER NOT NULL DEFAULT 0,\n"
    "    locked_until TEXT,\n"
    "    PRIMARY KEY (user_id, client)\n"
    ");\n"
    "\n"
    "PRAGMA user_version = 8;\n",

    /* 9 (2026-12): cooperation projects (合作项目). A project belongs to a province pairing
     * and the side whose coordinator records it (side), optionally to a city pairing. Amounts
     * are integer yuan (entered in 万元 with up to 4 decimals, so yuan are exact). stage is
     * the current stage and stage_on its date; project_stage keeps every change (the first
     * row is the stage it was recorded at). signed_on is the day it first reached 签约 or
     * beyond: "this year's signings" read it. industry is a GB/T 4754-2017 code (a section
     * letter or a division's two digits, data/industry.csv), industry_section its section, so
     * a filter by section is one comparison. Partners are units of either
     * side, or enterprises by name with an optional 统一社会信用代码. A pairing's threshold
     * for a major project (重大项目) is major_project_yuan (1 亿元 unless set). */
    "ALTER TABLE pairing ADD COLUMN major_project_yuan INTEGER NOT NULL DEFAULT 100000000\n"
    "    CHECK (major_project_yuan >= 0);\n"
    /* 共建园区 / 合作平台: a park, innovation centre or other carrier of projects, run by
     * units of either side. area_m2 is the area typed in hectares (4 decimals are whole
     * square metres, so stored exactly). */
    "CREATE TABLE platform (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    name TEXT NOT NULL,\n"
    "    name_key TEXT NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('park', 'innovation', 'trading', 'training',\n"
    "        'other')),\n"
    "    region_id INTEGER REFERENCES region (id),\n"
    "    founded INTEGER CHECK (founded BETWEEN 1949 AND 2100),\n"
    "    area_m2 INTEGER CHECK (area_m2 >= 0),\n"
    "    description TEXT,\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    UNIQUE (pairing_id, name_key)\n"
    ");\n"
    "CREATE TABLE platform_unit (\n"
    "    platform_id INTEGER NOT NULL REFERENCES platform (id),\n"
    "    unit_id INTEGER NOT NULL REFERENCES unit (id),\n"
    "    PRIMARY KEY (platform_id, unit_id)\n"
    ");\n"
    "CREATE TABLE project (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    city_pairing_id INTEGER REFERENCES pairing (id),\n"
    "    platform_id INTEGER REFERENCES platform (id),\n"
    "    name TEXT NOT NULL,\n"
    "    name_key TEXT NOT NULL,\n"
    "    industry TEXT,\n"
    "    industry_section TEXT,\n"
    "    region_id INTEGER REFERENCES region (id),\n"
    "    stage TEXT NOT NULL CHECK (stage IN ('negotiating', 'signed', 'started', 'operating',\n"
    "        'stopped')),\n"
    "    stage_on TEXT NOT NULL,\n"
    "    signed_on TEXT,\n"
    "    invest_planned INTEGER NOT NULL DEFAULT 0\n"
    "        CHECK (invest_planned BETWEEN 0 AND 1000000000000000),\n"
    "    invest_contracted INTEGER NOT NULL DEFAULT 0\n"
    "        CHECK (invest_contracted BETWEEN 0 AND 1000000000000000),\n"
    "    invest_paid INTEGER NOT NULL DEFAULT 0\n"
    "        CHECK (invest_paid BETWEEN 0 AND 1000000000000000),\n"
    "    jobs INTEGER CHECK (jobs >= 0),\n"
    "    description TEXT,\n"
    "    major INTEGER NOT NULL DEFAULT 0 CHECK (major IN (0, 1)),\n"
    "    public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX project_pairing ON project (pairing_id, id);\n"
    "CREATE INDEX project_city ON project (city_pairing_id, id);\n"
    "CREATE INDEX project_platform ON project (platform_id, id);\n"
    "CREATE INDEX project_public ON project (public, id);\n"
    "CREATE TABLE project_partner (\n"
    "    project_id INTEGER NOT NULL REFERENCES project (id),\n"
    "    ordinal INTEGER NOT NULL,\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    unit_id INTEGER REFERENCES unit (id),\n"
    "    enterprise TEXT,\n"
    "    credit_code TEXT,\n"
    "    PRIMARY KEY (project_id, ordinal),\n"
    "    CHECK ((unit_id IS NULL) <> (enterprise IS NULL)),\n"
    "    CHECK (credit_code IS NULL OR enterprise IS NOT NULL)\n"
    ");\n"
    "CREATE INDEX project_partner_unit ON project_partner (unit_id, project_id);\n"
    "CREATE TABLE project_stage (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    project_id INTEGER NOT NULL REFERENCES project (id),\n"
    "    stage TEXT NOT NULL CHECK (stage IN ('negotiating', 'signed', 'started', 'operating',\n"
    "        'stopped')),\n"
    "    on_date TEXT NOT NULL,\n"
    "    reason TEXT,\n"
    "    user_id INTEGER REFERENCES users (id),\n"
    "    at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX project_stage_project ON project_stage (project_id, id);\n"
    "CREATE TABLE project_task (\n"
    "    project_id INTEGER NOT NULL REFERENCES project (id),\n"
    "    task_id INTEGER NOT NULL REFERENCES task (id),\n"
    "    PRIMARY KEY (project_id, task_id)\n"
    ");\n"
    "CREATE INDEX project_task_task ON project_task (task_id, project_id);\n"
    /* Progress updates (项目进展): rows never change, like reports; a review row accepts or
     * returns one. An update may report the paid-in investment and jobs as they stand; an
     * accepted one sets them on the project. */
    "CREATE TABLE project_update (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    project_id INTEGER NOT NULL REFERENCES project (id),\n"
    "    unit_id INTEGER REFERENCES unit (id),\n"
    "    user_id INTEGER REFERENCES users (id),\n"
    "    body TEXT NOT NULL,\n"
    "    invest_paid INTEGER CHECK (invest_paid BETWEEN 0 AND 1000000000000000),\n"
    "    jobs INTEGER CHECK (jobs >= 0),\n"
    "    created_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX project_update_project ON project_update (project_id, id);\n"
    "CREATE TABLE project_update_review (\n"
    "    update_id INTEGER PRIMARY KEY REFERENCES project_update (id),\n"
    "    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'returned')),\n"
    "    comment TEXT,\n"
    "    user_id INTEGER REFERENCES users (id),\n"
    "    at TEXT NOT NULL\n"
    ");\n"
    /* 专项工作经费: a side's budget for a year (兩市每年安排對口合作工作專項工作經費) and its
     * allocations to work items or projects, each with its document number (文号) and what
     * has been spent. 产业投资基金: funds that invest in projects. Amounts in yuan. */
    "CREATE TABLE work_fund (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),\n"
    "    budget INTEGER NOT NULL CHECK (budget BETWEEN 0 AND 1000000000000000),\n"
    "    doc_no TEXT,\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    UNIQUE (pairing_id, year, side)\n"
    ");\n"
    "CREATE TABLE work_fund_allocation (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    fund_id INTEGER NOT NULL REFERENCES work_fund (id),\n"
    "    work_item_id INTEGER REFERENCES work_item (id),\n"
    "    project_id INTEGER REFERENCES project (id),\n"
    "    purpose TEXT,\n"
    "    amount INTEGER NOT NULL CHECK (amount BETWEEN 0 AND 1000000000000000),\n"
    "    spent INTEGER NOT NULL DEFAULT 0 CHECK (spent BETWEEN 0 AND 1000000000000000),\n"
    "    doc_no TEXT NOT NULL,\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX work_fund_allocation_fund ON work_fund_allocation (fund_id, id);\n"
    "CREATE TABLE industry_fund (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    name TEXT NOT NULL,\n"
    "    name_key TEXT NOT NULL,\n"
    "    size INTEGER NOT NULL CHECK (size BETWEEN 0 AND 1000000000000000),\n"
    "    managers TEXT,\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    UNIQUE (pairing_id, name_key)\n"
    ");\n"
    "CREATE TABLE fund_investment (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    fund_id INTEGER NOT NULL REFERENCES industry_fund (id),\n"
    "    project_id INTEGER NOT NULL REFERENCES project (id),\n"
    "    amount INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),\n"
    "    on_date TEXT NOT NULL,\n"
    "    created_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX fund_investment_fund ON fund_investment (fund_id, on_date);\n"
    "CREATE INDEX fund_investment_project ON fund_investment (project_id);\n"
    /* 证据材料 / 附件: a file kept with a project, a progress update or a report. The bytes
     * are in <database>.files/ under their SHA-256 (store/files.c); the row says whose they
     * are, what they are (type by their content), and the pairing, for the audit scope. */
    "CREATE TABLE attachment (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    object TEXT NOT NULL CHECK (object IN ('project', 'project_update', 'report')),\n"
    "    object_id INTEGER NOT NULL,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    sha256 TEXT NOT NULL,\n"
    "    size INTEGER NOT NULL CHECK (size > 0),\n"
    "    type TEXT NOT NULL,\n"
    "    filename TEXT NOT NULL,\n"
    "    user_id INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX attachment_object ON attachment (object, object_id, id);\n"
    "DROP TRIGGER audit_scope_insert;\n"
    "CREATE TRIGGER audit_scope_insert AFTER INSERT ON audit\n"
    "BEGIN\n"
    "    INSERT INTO audit_scope (pairing_id, audit_id)\n"
    "    SELECT DISTINCT p, NEW.id FROM (\n"
    "        SELECT n.pairing_id AS p FROM users u JOIN unit n ON n.id = u.unit_id\n"
    "            WHERE substr(NEW.actor, 1, 5) = 'user:' AND u.login = substr(NEW.actor, 6)\n"
    AUDIT_SCOPE_OBJECTS_9(AUDIT_SCOPE_NEW)
    "    ) WHERE p IS NOT NULL;\n"
    "END;\n"
    "\n"
    "PRAGMA user_version = 9;\n",

    /* 10 (2026-12): data versions, one counter per scope, moved by the writing transaction
     * itself so every process sharing the file (and, later, every machine sharing a database)
     * sees them at once: a rendered page is kept under the versions of the scopes it reads
     * (http/cache.c), and a report in Dalian no longer re-renders Liaoning's pages.
     *   scope = a province pairing's id: every audited write whose audit_scope names it;
     *   scope 0: every audited write that names no pairing (an admin's, a region's …);
     *   scope -1: accounts — users, units, sessions and API tokens (what a session's check
     *             reads; service/session_cache.c).
     * Every change of stored data is audited in its own transaction (DESIGN.md), so the
     * audit trigger is the one place that sees them all; writes that change nothing a page
     * shows (a session's last use, the search index) are not audited and move nothing. */
    "CREATE TABLE data_version (\n"
    "    scope INTEGER PRIMARY KEY,\n"
    "    n INTEGER NOT NULL\n"
    ");\n"
    /* The trigger below finds an audit row's scopes by audit_id: without this index, a
     * scan of audit_scope in every write (durable reports fell by a third in make bench). */
    "CREATE INDEX audit_scope_audit ON audit_scope (audit_id);\n"
    "INSERT INTO data_version (scope, n) VALUES (0, 0);\n"
    "INSERT INTO data_version (scope, n) VALUES (-1, 0);\n"
    "INSERT INTO data_version (scope, n) SELECT id, 0 FROM pairing WHERE parent_id IS NULL;\n"
    "CREATE TRIGGER data_version_pairing AFTER INSERT ON pairing WHEN NEW.parent_id IS NULL\n"
    "BEGIN\n"
    "    INSERT INTO data_version (scope, n) VALUES (NEW.id, 0);\n"
    "END;\n"
    AUDIT_SCOPE_TRIGGER("n = n + 1")
    "\n"
    "PRAGMA user_version = 10;\n",

    /* 11 (2026-12): the reporting calendar (service/reporting.c): a work plan reports monthly
     * or quarterly, each period due on a day of the month after it. */
    "ALTER TABLE work_plan ADD COLUMN report_cycle TEXT NOT NULL DEFAULT 'monthly'\n"
    "    CHECK (report_cycle IN ('monthly', 'quarterly'));\n"
    "ALTER TABLE work_plan ADD COLUMN report_due_day INTEGER NOT NULL DEFAULT 5\n"
    "    CHECK (report_due_day BETWEEN 1 AND 28);\n"
    "\n"
    "PRAGMA user_version = 11;\n",

    /* 12 (2026-12): the in-app inbox (service/notification.c). A notification names its kind
     * and its object; its words are written when it is read, in the reader's language. One
     * notification per (user, kind, object, period, step): the reminder pass inserts with
     * ON CONFLICT DO NOTHING, so running it twice the same day sends nothing twice.
     *   report_due       object = work item, period, step = days before the due day;
     *   report_missing   object = work item, period, step = 0 members, 1 coordinators,
     *                    2 leaders (催办 escalating);
     *   report_urged     object = work item, period, step = the day (a 催办 sent by hand:
     *                    once a day at most);
     *   report_returned  object = report;
     *   plan_submitted   object = work plan, period = the revision submitted. */
    "CREATE TABLE notification (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('report_due', 'report_missing', 'report_urged',\n"
    "                                       'report_returned', 'plan_submitted')),\n"
    "    object_id INTEGER NOT NULL,\n"
    "    period TEXT NOT NULL DEFAULT '',\n"
    "    step INTEGER NOT NULL DEFAULT 0,\n"
    "    created_at TEXT NOT NULL,\n"
    "    read_at TEXT,\n"
    "    UNIQUE (user_id, kind, object_id, period, step)\n"
    ");\n"
    NOTIFICATION_INDEXES
    /* scope -2 of data_version: the notifications, so an unread count can be kept until one
     * is made or read (service/notification.c), by any process. */
    "INSERT INTO data_version (scope, n) VALUES (-2, 0);\n"
    NOTIFICATION_TRIGGERS
    "\n"
    "PRAGMA user_version = 12;\n",

    /* 13 (2026-12): data versions per unit, so a report re-renders its own unit's pages
     * (/my, the API's work items) and not those of the thirty other units of its pairing.
     * unit_version.n moves with every audited write of a report (submitted or reviewed) for
     * the unit that owns its item now; data_version.general moves with every audited write
     * of the pairing that is not a report's — what a unit's page reads of its pairing
     * besides its own items. general is moved by the pairing's UPDATE of the audit trigger
     * itself, so a report's write pays one statement more (the unit's), not two. */
    "CREATE TABLE unit_version (\n"
    "    unit_id INTEGER PRIMARY KEY REFERENCES unit (id),\n"
    "    n INTEGER NOT NULL\n"
    ");\n"
    "ALTER TABLE data_version ADD COLUMN general INTEGER NOT NULL DEFAULT 0;\n"
    AUDIT_SCOPE_TRIGGER(
        "n = n + 1, general = general + CASE WHEN NEW.entity = 'report' THEN 0 ELSE 1 END")
    "CREATE TRIGGER data_version_report AFTER INSERT ON audit WHEN NEW.entity = 'report'\n"
    "BEGIN\n"
    "    INSERT INTO unit_version (unit_id, n)\n"
    "        SELECT i.owner_unit_id, 1 FROM report o JOIN work_item i ON i.id = o.work_item_id\n"
    "        WHERE o.id = NEW.entity_id\n"
    "        ON CONFLICT (unit_id) DO UPDATE SET n = unit_version.n + 1;\n"
    "END;\n"
    "\n"
    "PRAGMA user_version = 13;\n",

    /* 14 (2026-12): e-mail (service/mail.c). An account may have an address; each user
     * chooses per kind of notification: the inbox only, the inbox and a mail (the default),
     * or a daily digest. The outbox is filled by a trigger on notification, so a mail is
     * queued in the very transaction that made its notification: a crash never loses one.
     * States: queued → sending → sent; failed (refused for good, or interrupted while being
     * sent: it may have arrived, so it is not sent again); no_address (the user had none:
     * the inbox only, noted). The words are made when it is sent, in the user's language,
     * as the inbox makes them when it is read. */
    /* The kinds of notification become rows (a new kind is an INSERT, not a rebuild):
     * review_waiting (a report waiting for review longer than the policy's days: to the
     * coordinators of its side, once per report) joins them. notification is rebuilt with
     * kind referencing them, its indexes and triggers as migration 12 made them.
     * plan_reopened: a submitted or agreed work plan back to draft after an item's change —
     * to the pairing's coordinators but the one who changed it (period = the revision). */
    "CREATE TABLE notification_kind (kind TEXT PRIMARY KEY);\n"
    "INSERT INTO notification_kind (kind) VALUES ('report_due'), ('report_missing'),\n"
    "    ('report_urged'), ('report_returned'), ('plan_submitted'), ('review_waiting'),\n"
    "    ('plan_reopened');\n"
    "CREATE TABLE notification_new (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    kind TEXT NOT NULL REFERENCES notification_kind (kind),\n"
    "    object_id INTEGER NOT NULL,\n"
    "    period TEXT NOT NULL DEFAULT '',\n"
    "    step INTEGER NOT NULL DEFAULT 0,\n"
    "    created_at TEXT NOT NULL,\n"
    "    read_at TEXT,\n"
    "    UNIQUE (user_id, kind, object_id, period, step)\n"
    ");\n"
    "INSERT INTO notification_new (id, user_id, kind, object_id, period, step, created_at,\n"
    "                              read_at)\n"
    "    SELECT id, user_id, kind, object_id, period, step, created_at, read_at\n"
    "    FROM notification;\n"
    "DROP TABLE notification;\n"
    "ALTER TABLE notification_new RENAME TO notification;\n"
    NOTIFICATION_INDEXES
    NOTIFICATION_TRIGGERS
    "ALTER TABLE users ADD COLUMN email TEXT;\n"
    "CREATE TABLE notification_pref (\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    kind TEXT NOT NULL REFERENCES notification_kind (kind),\n"
    "    channel TEXT NOT NULL CHECK (channel IN ('inbox', 'mail', 'digest')),\n"
    "    PRIMARY KEY (user_id, kind)\n"
    ");\n"
    "CREATE TABLE mail (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    notification_id INTEGER NOT NULL UNIQUE REFERENCES notification (id),\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    address TEXT,\n"
    "    digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),\n"
    "    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed',\n"
    "                                         'no_address')),\n"
    "    attempts INTEGER NOT NULL DEFAULT 0,\n"
    "    next_at TEXT NOT NULL,\n"
    "    answer TEXT,\n"
    "    created_at TEXT NOT NULL,\n"
    "    sent_at TEXT\n"
    ");\n"
    "CREATE INDEX mail_due ON mail (state, next_at);\n"
    "CREATE INDEX mail_user ON mail (user_id, id);\n"
    "CREATE TRIGGER mail_queue AFTER INSERT ON notification\n"
    "BEGIN\n"
    "    INSERT INTO mail (notification_id, user_id, address, digest, state, next_at,\n"
    "                      created_at)\n"
    "    SELECT NEW.id, u.id, u.email, CASE WHEN p.channel = 'digest' THEN 1 ELSE 0 END,\n"
    "           CASE WHEN u.email IS NULL THEN 'no_address' ELSE 'queued' END,\n"
    "           NEW.created_at, NEW.created_at\n"
    "    FROM users u LEFT JOIN notification_pref p ON p.user_id = u.id AND p.kind = NEW.kind\n"
    "    WHERE u.id = NEW.user_id AND coalesce(p.channel, 'mail') <> 'inbox';\n"
    "END;\n"
    "\n"
    "PRAGMA user_version = 14;\n",

    /* 15 (2026-12): 通报 (service/circular.c): a lead office's circular on its side's
     * units for a period of the year's work plan — the figures as they were when it was
     * drawn up (JSON, so a published circular never changes under its readers), and the
     * wording the coordinator edits before publishing it to both sides of the pairing. */
    "CREATE TABLE circular (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),\n"
    "    period TEXT NOT NULL,\n"
    "    title TEXT NOT NULL,\n"
    "    body TEXT NOT NULL,\n"
    "    figures TEXT NOT NULL,\n"
    "    as_of TEXT NOT NULL,\n"
    "    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    published_at TEXT\n"
    ");\n"
    "CREATE INDEX circular_pairing ON circular (pairing_id, id);\n"
    "\n"
    "PRAGMA user_version = 15;\n",

    /* 16 (2026-12): 考核评估 (service/evaluation.c): a pairing's yearly evaluation, its
     * indicators (locked when it opens), each side's steps (self-evaluation → the other
     * side's opinion → final) with their texts and hand scores, the leaderships'
     * confirmations, the history of every step, the scores stored when it closes (JSON: a
     * closed evaluation never changes) and the commendation list. Evidence files of a
     * self-evaluation are attachments of its evaluation_side row, so attachment is rebuilt
     * with that object. Circulars and evaluations join the audit scopes. */
    "CREATE TABLE evaluation (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),\n"
    "    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),\n"
    "    scores TEXT,\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    opened_at TEXT,\n"
    "    closed_at TEXT,\n"
    "    UNIQUE (pairing_id, year)\n"
    ");\n"
    "CREATE TABLE evaluation_indicator (\n"
    "    evaluation_id INTEGER NOT NULL REFERENCES evaluation (id),\n"
    "    ordinal INTEGER NOT NULL,\n"
    "    key TEXT NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100),\n"
    "    method TEXT NOT NULL CHECK (method IN ('items_done', 'items_on_time',\n"
    "        'reports_on_time', 'reports_first_accepted', 'projects_progress',\n"
    "        'investment_paid', 'hand')),\n"
    "    evidence TEXT,\n"
    "    PRIMARY KEY (evaluation_id, ordinal),\n"
    "    UNIQUE (evaluation_id, key)\n"
    ");\n"
    "CREATE TABLE evaluation_side (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    evaluation_id INTEGER NOT NULL REFERENCES evaluation (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    stage TEXT NOT NULL DEFAULT 'self' CHECK (stage IN ('self', 'opinion', 'final')),\n"
    "    self_text TEXT,\n"
    "    opinion_text TEXT,\n"
    "    summary TEXT,\n"
    "    confirmed_by INTEGER REFERENCES users (id),\n"
    "    confirmed_at TEXT,\n"
    "    UNIQUE (evaluation_id, side)\n"
    ");\n"
    "CREATE TABLE evaluation_hand_score (\n"
    "    evaluation_id INTEGER NOT NULL REFERENCES evaluation (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    key TEXT NOT NULL,\n"
    "    step TEXT NOT NULL CHECK (step IN ('self', 'opinion')),\n"
    "    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100),\n"
    "    PRIMARY KEY (evaluation_id, side, key, step)\n"
    ");\n"
    "CREATE TABLE evaluation_step (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    evaluation_id INTEGER NOT NULL REFERENCES evaluation (id),\n"
    "    side INTEGER CHECK (side IN (0, 1)),\n"
    "    action TEXT NOT NULL,\n"
    "    text TEXT,\n"
    "    user_id INTEGER REFERENCES users (id),\n"
    "    at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX evaluation_step_evaluation ON evaluation_step (evaluation_id, id);\n"
    "CREATE TABLE evaluation_commendation (\n"
    "    evaluation_id INTEGER NOT NULL REFERENCES evaluation (id),\n"
    "    unit_id INTEGER NOT NULL REFERENCES unit (id),\n"
    "    PRIMARY KEY (evaluation_id, unit_id)\n"
    ");\n"
    /* the trigger names attachment: SQLite refuses the rename below while it exists */
    "DROP TRIGGER audit_scope_insert;\n"
    "CREATE TABLE attachment_new (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    object TEXT NOT NULL CHECK (object IN ('project', 'project_update', 'report',\n"
    "                                           'evaluation_side')),\n"
    "    object_id INTEGER NOT NULL,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    sha256 TEXT NOT NULL,\n"
    "    size INTEGER NOT NULL CHECK (size > 0),\n"
    "    type TEXT NOT NULL,\n"
    "    filename TEXT NOT NULL,\n"
    "    user_id INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL\n"
    ");\n"
    "INSERT INTO attachment_new SELECT * FROM attachment;\n"
    "DROP TABLE attachment;\n"
    "ALTER TABLE attachment_new RENAME TO attachment;\n"
    "CREATE INDEX attachment_object ON attachment (object, object_id, id);\n"
    /* two kinds of notification: a project's stage changed (to its partner units' people),
     * an evaluation's step that waits for someone (service/notification.h) */
    "INSERT INTO notification_kind (kind) VALUES ('project_stage'), ('evaluation_step');\n"
    AUDIT_SCOPE_CREATE(AUDIT_SCOPE_OBJECTS_16,
        "n = n + 1, general = general + CASE WHEN NEW.entity = 'report' THEN 0 ELSE 1 END")
    "\n"
    "PRAGMA user_version = 16;\n",

    /* 17 (2026-12): the keyed audit chain (store/audit.h): a row's MAC under a key kept
     * outside the database, from the row that installed the key on. */
    "ALTER TABLE audit ADD COLUMN mac TEXT;\n"
    "\n"
    "PRAGMA user_version = 17;\n",

    /* 18 (2026-12): docking events, enterprises and exchanges of people (#12).
     * An enterprise (企业库) belongs to a side of a province pairing; its 统一社会信用代码 is
     * unique in the pairing (GB 32100-2015 checked by the service); contact_* are personal
     * data (service/enterprise.h says who sees them). A merged record points at the one it
     * was merged into and keeps its row, so history still reads.
     * An event's starts and ends are China time as typed, YYYY-MM-DDTHH:MM (year: starts'
     * year, for the index); capacity NULL is no limit. Its themes are GB/T 4754 codes; its
     * organising units are of either side; its city pairings are children of its pairing.
     * A registration is an enterprise or a unit, numbered within the event (the number its QR
     * code carries); status registered holds a seat, waiting queues by queued_at, withdrawn
     * gives the seat to the first waiting. An outcome (意向 / 签约) names registrations as its
     * parties and may become a project, which remembers the event (project.origin_event_id).
     * An exchange (干部挂职, 培训, 人才 / 专家 / 师生交流) is one table: a secondment names a person
     * (id_number and phone sealed with the data key, core/seal.h) and two units; the others
     * count people per side. A calendar feed is a user's revocable token (hash only). */
    "CREATE TABLE enterprise (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    name TEXT NOT NULL,\n"
    "    name_key TEXT NOT NULL,\n"
    "    credit_code TEXT,\n"
    "    region_id INTEGER REFERENCES region (id),\n"
    "    industry TEXT,\n"
    "    industry_section TEXT,\n"
    "    size TEXT CHECK (size IN ('large', 'medium', 'small', 'micro')),\n"
    "    contact_name TEXT,\n"
    "    contact_phone TEXT,\n"
    "    merged_into INTEGER REFERENCES enterprise (id),\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    UNIQUE (pairing_id, credit_code)\n"
    ");\n"
    "CREATE INDEX enterprise_pairing ON enterprise (pairing_id, side, name_key);\n"
    "CREATE TABLE event (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('consultation', 'joint_meeting', 'docking', 'forum',\n"
    "        'exhibition', 'training')),\n"
    "    title TEXT NOT NULL,\n"
    "    host_side INTEGER NOT NULL CHECK (host_side IN (0, 1)),\n"
    "    host_region_id INTEGER REFERENCES region (id),\n"
    "    starts TEXT NOT NULL,\n"
    "    ends TEXT NOT NULL,\n"
    "    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),\n"
    "    place TEXT,\n"
    "    capacity INTEGER CHECK (capacity >= 1),\n"
    "    agenda TEXT,\n"
    "    public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),\n"
    "    task_id INTEGER REFERENCES task (id),\n"
    "    target_enterprises INTEGER CHECK (target_enterprises >= 0),\n"
    "    state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'cancelled')),\n"
    "    minutes TEXT,\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    CHECK (ends > starts)\n"
    ");\n"
    "CREATE INDEX event_pairing ON event (pairing_id, year, starts);\n"
    "CREATE INDEX event_public ON event (public, starts);\n"
    "CREATE TABLE event_city (\n"
    "    event_id INTEGER NOT NULL REFERENCES event (id),\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    PRIMARY KEY (event_id, pairing_id)\n"
    ");\n"
    "CREATE TABLE event_theme (\n"
    "    event_id INTEGER NOT NULL REFERENCES event (id),\n"
    "    industry TEXT NOT NULL,\n"
    "    section TEXT NOT NULL,\n"
    "    PRIMARY KEY (event_id, industry)\n"
    ");\n"
    "CREATE TABLE event_unit (\n"
    "    event_id INTEGER NOT NULL REFERENCES event (id),\n"
    "    unit_id INTEGER NOT NULL REFERENCES unit (id),\n"
    "    PRIMARY KEY (event_id, unit_id)\n"
    ");\n"
    "CREATE INDEX event_unit_unit ON event_unit (unit_id, event_id);\n"
    "CREATE TABLE registration (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    event_id INTEGER NOT NULL REFERENCES event (id),\n"
    "    number INTEGER NOT NULL CHECK (number >= 1),\n"
    "    enterprise_id INTEGER REFERENCES enterprise (id),\n"
    "    unit_id INTEGER REFERENCES unit (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    status TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'withdrawn')),\n"
    "    queued_at TEXT NOT NULL,\n"
    "    registered_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    checked_in_at TEXT,\n"
    "    checked_in_by INTEGER REFERENCES users (id),\n"
    "    CHECK ((enterprise_id IS NULL) <> (unit_id IS NULL)),\n"
    "    CHECK (checked_in_at IS NULL OR status = 'registered'),\n"
    "    UNIQUE (event_id, number),\n"
    "    UNIQUE (event_id, enterprise_id),\n"
    "    UNIQUE (event_id, unit_id)\n"
    ");\n"
    "CREATE INDEX registration_enterprise ON registration (enterprise_id, event_id);\n"
    "CREATE INDEX registration_unit ON registration (unit_id, event_id);\n"
    "CREATE TABLE event_outcome (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    event_id INTEGER NOT NULL REFERENCES event (id),\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('intention', 'signed')),\n"
    "    title TEXT NOT NULL,\n"
    "    amount_yuan INTEGER NOT NULL DEFAULT 0\n"
    "        CHECK (amount_yuan BETWEEN 0 AND 1000000000000000),\n"
    "    industry TEXT,\n"
    "    description TEXT,\n"
    "    project_id INTEGER UNIQUE REFERENCES project (id),\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX event_outcome_event ON event_outcome (event_id, id);\n"
    "CREATE TABLE event_outcome_party (\n"
    "    outcome_id INTEGER NOT NULL REFERENCES event_outcome (id),\n"
    "    ordinal INTEGER NOT NULL,\n"
    "    registration_id INTEGER NOT NULL REFERENCES registration (id),\n"
    "    PRIMARY KEY (outcome_id, ordinal)\n"
    ");\n"
    "ALTER TABLE project ADD COLUMN origin_event_id INTEGER REFERENCES event (id);\n"
    "CREATE INDEX project_origin ON project (origin_event_id);\n"
    "CREATE TABLE exchange (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('secondment', 'training', 'talent', 'expert',\n"
    "        'teacher', 'student')),\n"
    "    title TEXT NOT NULL,\n"
    "    person_name TEXT,\n"
    "    id_number_sealed TEXT,\n"
    "    phone_sealed TEXT,\n"
    "    from_unit_id INTEGER REFERENCES unit (id),\n"
    "    host_unit_id INTEGER REFERENCES unit (id),\n"
    "    side INTEGER NOT NULL CHECK (side IN (0, 1)),\n"
    "    post TEXT,\n"
    "    field TEXT,\n"
    "    starts TEXT NOT NULL,\n"
    "    ends TEXT,\n"
    "    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),\n"
    "    place TEXT,\n"
    "    count_a INTEGER NOT NULL DEFAULT 0 CHECK (count_a >= 0),\n"
    "    count_b INTEGER NOT NULL DEFAULT 0 CHECK (count_b >= 0),\n"
    "    names TEXT,\n"
    "    task_id INTEGER REFERENCES task (id),\n"
    "    purpose TEXT,\n"
    "    created_by INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL,\n"
    "    CHECK (ends IS NULL OR ends >= starts)\n"
    ");\n"
    "CREATE INDEX exchange_pairing ON exchange (pairing_id, year, kind);\n"
    "CREATE TABLE calendar_feed (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    token_hash TEXT NOT NULL UNIQUE,\n"
    "    created_at TEXT NOT NULL,\n"
    "    revoked_at TEXT\n"
    ");\n"
    "CREATE INDEX calendar_feed_user ON calendar_feed (user_id);\n"
    /* The objects a file may be attached to become rows (a new one is an INSERT, not a
     * rebuild); events join them for their minutes. */
    "DROP TRIGGER audit_scope_insert;\n"
    "CREATE TABLE attachment_object_kind (object TEXT PRIMARY KEY);\n"
    "INSERT INTO attachment_object_kind (object) VALUES ('project'), ('project_update'),\n"
    "    ('report'), ('evaluation_side'), ('event');\n"
    "CREATE TABLE attachment_new (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    object TEXT NOT NULL REFERENCES attachment_object_kind (object),\n"
    "    object_id INTEGER NOT NULL,\n"
    "    pairing_id INTEGER NOT NULL REFERENCES pairing (id),\n"
    "    sha256 TEXT NOT NULL,\n"
    "    size INTEGER NOT NULL CHECK (size > 0),\n"
    "    type TEXT NOT NULL,\n"
    "    filename TEXT NOT NULL,\n"
    "    user_id INTEGER REFERENCES users (id),\n"
    "    created_at TEXT NOT NULL\n"
    ");\n"
    "INSERT INTO attachment_new SELECT * FROM attachment;\n"
    "DROP TABLE attachment;\n"
    "ALTER TABLE attachment_new RENAME TO attachment;\n"
    "CREATE INDEX attachment_object ON attachment (object, object_id, id);\n"
    /* two computed indicators of the yearly evaluation, events_target and exchanges
     * (service/evaluation.h): the indicators' CHECK is rebuilt with them */
    "CREATE TABLE evaluation_indicator_new (\n"
    "    evaluation_id INTEGER NOT NULL REFERENCES evaluation (id),\n"
    "    ordinal INTEGER NOT NULL,\n"
    "    key TEXT NOT NULL,\n"
    "    name TEXT NOT NULL,\n"
    "    weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100),\n"
    "    method TEXT NOT NULL CHECK (method IN ('items_done', 'items_on_time',\n"
    "        'reports_on_time', 'reports_first_accepted', 'projects_progress',\n"
    "        'investment_paid', 'events_target', 'exchanges', 'hand')),\n"
    "    evidence TEXT,\n"
    "    PRIMARY KEY (evaluation_id, ordinal),\n"
    "    UNIQUE (evaluation_id, key)\n"
    ");\n"
    "INSERT INTO evaluation_indicator_new SELECT * FROM evaluation_indicator;\n"
    "DROP TABLE evaluation_indicator;\n"
    "ALTER TABLE evaluation_indicator_new RENAME TO evaluation_indicator;\n"
    /* a registration's place changed (registered, moved up from the waiting list, or put on
     * it): to the people of the registering unit (service/notification.h) */
    "INSERT INTO notification_kind (kind) VALUES ('event_registration');\n"
    AUDIT_SCOPE_CREATE(AUDIT_SCOPE_OBJECTS_18,
        "n = n + 1, general = general + CASE WHEN NEW.entity = 'report' THEN 0 ELSE 1 END")
    "\n"
    "PRAGMA user_version = 18;\n",

    /* 19 (2026-12): XLSX imports (service/import.c): a preview waits here, with the rows read
     * from the file and their errors, until its user commits it or it expires; nothing else
     * is stored before the commit. */
    "CREATE TABLE import (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('reports', 'work_items', 'projects')),\n"
    "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
    "    sha256 TEXT NOT NULL,\n"
    "    filename TEXT,\n"
    "    n_rows INTEGER NOT NULL,\n"
    "    n_errors INTEGER NOT NULL,\n"
    "    rows TEXT NOT NULL,\n"
    "    errors TEXT NOT NULL,\n"
    "    created_at TEXT NOT NULL,\n"
    "    expires_at TEXT NOT NULL,\n"
    "    committed_at TEXT\n"
    ");\n"
    "CREATE INDEX import_user ON import (user_id, id);\n"
    "PRAGMA user_version = 19;\n",

    /* 20 (2026-12): a plan file uploaded on /plans/import waits here (base64) for its
     * admin's confirmation (service/plan_upload.c), for 30 minutes; confirmed, cancelled or
     * expired, it is deleted. No plan data is stored before the confirmation. */
    "CREATE TABLE plan_upload (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
    "    filename TEXT,\n"
    "    sha256 TEXT NOT NULL,\n"
    "    content TEXT NOT NULL,\n"
    "    created_at TEXT NOT NULL,\n"
    "    expires_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX plan_upload_expires ON plan_upload (expires_at);\n"
    "PRAGMA user_version = 20;\n",

    /* 21 (2026-12): an approval keeps the plan's items as they were approved (the JSON of
     * each, as the audit writes it), so the page where the other side approves — or this
     * side approves again after a change — shows what changed since (service/work_plan.c
     * work_plan_changes). Approvals made before keep NULL: no comparison for them. */
    "ALTER TABLE approval ADD COLUMN items TEXT;\n"
    "PRAGMA user_version = 21;\n",

    /* 22 (2026-12): a plan upload keeps the preview computed on the upload (JSON: what the
     * dry-run import said), so showing it again is a read (service/plan_upload.c). Uploads
     * waiting from before have NULL: shown without it, confirmed as ever. */
    "ALTER TABLE plan_upload ADD COLUMN preview TEXT;\n"
    "PRAGMA user_version = 22;\n",

    /* 23 (2026-12): two-factor sign-in (service/two_factor.c). An account's TOTP secret,
     * sealed with the data key (core/seal.h); enabled_at NULL while enrolment awaits its
     * first code; last_step: the latest time step accepted, so a code is never taken twice.
     * Recovery codes are kept as SHA-256 hashes, each used once; a pending sign-in (password
     * right, code still to come) is a single-use token's hash that lives five minutes. */
    "CREATE TABLE two_factor (\n"
    "    user_id INTEGER PRIMARY KEY REFERENCES users (id),\n"
    "    secret TEXT NOT NULL,\n"
    "    created_at TEXT NOT NULL,\n"
    "    enabled_at TEXT,\n"
    "    last_step INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE two_factor_recovery (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    code_hash TEXT NOT NULL,\n"
    "    used_at TEXT\n"
    ");\n"
    "CREATE INDEX two_factor_recovery_user ON two_factor_recovery (user_id);\n"
    "CREATE TABLE two_factor_pending (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "    token_hash TEXT NOT NULL UNIQUE,\n"
    "    expires_at TEXT NOT NULL\n"
    ");\n"
    "PRAGMA user_version = 23;\n",

    /* 24 (2026-12): 三员分立. An admin account's kind (system, security or audit; NULL: none,
     * which only a server without --mlps accepts; an admin's alone), and the settings the
     * server records for the command line, e.g. whether it runs under --mlps
     * (service/setting.h). audit_by_admin names the audit rows an administrator (an admin
     * account at the time) or the command line wrote, decided as the row is written, so a
     * later change of role does not move a row between readers (service/audit_log.c); the
     * hashed row itself is unchanged. Rows before it are placed by the roles of today. */
    "ALTER TABLE users ADD COLUMN admin_kind TEXT\n"
    "    CHECK (admin_kind IS NULL OR (role = 'admin' AND\n"
    "        admin_kind IN ('system', 'security', 'audit')));\n"
    "CREATE TABLE audit_by_admin (audit_id INTEGER PRIMARY KEY);\n"
    "CREATE TRIGGER audit_by_admin_insert AFTER INSERT ON audit\n"
    "WHEN substr(NEW.actor, 1, 4) = 'cli:' OR (substr(NEW.actor, 1, 5) = 'user:' AND EXISTS\n"
    "    (SELECT 1 FROM users u WHERE u.login = substr(NEW.actor, 6) AND u.role = 'admin'))\n"
    "BEGIN\n"
    "    INSERT INTO audit_by_admin (audit_id) VALUES (NEW.id);\n"
    "END;\n"
    "CREATE TRIGGER audit_by_admin_delete AFTER DELETE ON audit\n"
    "BEGIN\n"
    "    DELETE FROM audit_by_admin WHERE audit_id = OLD.id;\n"
    "END;\n"
    "INSERT INTO audit_by_admin (audit_id) SELECT a.id FROM audit a\n"
    "    WHERE substr(a.actor, 1, 4) = 'cli:' OR (substr(a.actor, 1, 5) = 'user:' AND EXISTS\n"
    "    (SELECT 1 FROM users u WHERE u.login = substr(a.actor, 6) AND u.role = 'admin'));\n"
    "CREATE TABLE setting (\n"
    "    name TEXT PRIMARY KEY,\n"
    "    value TEXT NOT NULL,\n"
    "    updated_at TEXT NOT NULL\n"
    ");\n"
    "PRAGMA user_version = 24;\n",

    /* 25 (2026-12): the `serve --mlps` sign-in policies (service/auth.c). pw_must_change: a
     * password an admin (or the command line) set must be replaced at the next sign-in;
     * last_login_at/_client and login_failures (failed sign-ins since) are what the next
     * sign-in shows, copied into its session (prev_*) so reading a session reads them too;
     * end_reason says why a session was revoked ("signed in elsewhere" gets its own message).
     * Existing accounts take their latest session as their last sign-in. */
    "ALTER TABLE users ADD COLUMN pw_must_change INTEGER NOT NULL DEFAULT 0\n"
    "    CHECK (pw_must_change IN (0, 1));\n"
    "ALTER TABLE users ADD COLUMN last_login_at TEXT;\n"
    "ALTER TABLE users ADD COLUMN last_login_client TEXT;\n"
    "ALTER TABLE users ADD COLUMN login_failures INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE session ADD COLUMN end_reason TEXT;\n"
    "ALTER TABLE session ADD COLUMN prev_login_at TEXT;\n"
    "ALTER TABLE session ADD COLUMN prev_login_client TEXT;\n"
    "ALTER TABLE session ADD COLUMN prev_failures INTEGER NOT NULL DEFAULT 0;\n"
    "UPDATE users SET last_login_at = (SELECT s.created_at FROM session s WHERE s.user_id =\n"
    "    users.id ORDER BY s.id DESC LIMIT 1), last_login_client = (SELECT s.client FROM\n"
    "    session s WHERE s.user_id = users.id ORDER BY s.id DESC LIMIT 1);\n"
    "PRAGMA user_version = 25;\n",

    /* 26 (2026-12): audit retention (store/audit_archive.c). A row of the audit log may be
     * removed only once it is six calendar months old (audit_retention_limit_ms: the month's
     * last day when it has no such day; always at least 180 days) and an archive record covers
     * it that an audit.archive row after it names, whoever runs the DELETE (the sqlite3 shell
     * too): a guard against accidents; audit_verify catches a deliberate one. The row is
     * matched as audit_archive writes its after-image (instr: with trusted_schema off, no JSON
     * function runs in a trigger). The records never change. The time compared is SQLite's,
     * the system clock core/clock.c reads too. */
    "CREATE TABLE audit_archive (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    first_id INTEGER NOT NULL,\n"
    "    last_id INTEGER NOT NULL UNIQUE,\n"
    "    rows INTEGER NOT NULL,\n"
    "    last_hash TEXT NOT NULL CHECK (length(last_hash) = 64),\n"
    "    last_mac TEXT,\n"
    "    file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),\n"
    "    created_at TEXT NOT NULL,\n"
    "    CHECK (first_id >= 1 AND first_id <= last_id AND rows = last_id - first_id + 1)\n"
    ");\n"
    "CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON audit_archive\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'audit archive records are append-only');\n"
    "END;\n"
    "CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON audit_archive\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'audit archive records are append-only');\n"
    "END;\n"
    "DROP TRIGGER audit_no_delete;\n"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
    "WHEN NOT EXISTS (SELECT 1 FROM audit_archive r WHERE r.last_id >= OLD.id\n"
    "        AND r.first_id <= OLD.id AND (SELECT v.id FROM audit v WHERE v.id > r.last_id\n"
    "            AND v.action = 'audit.archive'\n"
    "            AND instr(v.after, '{\"first_id\":' || r.first_id || ',\"last_id\":' ||\n"
    "                r.last_id || ',') = 1\n"
    "            AND instr(v.after, ',\"last_hash\":\"' || r.last_hash || '\",') > 0\n"
    "            AND instr(v.after, ',\"sha256\":\"' || r.file_sha256 || '\",') > 0\n"
    "            ORDER BY v.id DESC LIMIT 1) IS NOT NULL)\n"
    "    OR OLD.at >= min(strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-6 months'),\n"
    "        date('now', 'start of month', '-5 months', '-1 day')\n"
    "            || strftime('T%H:%M:%fZ', 'now'))\n"
    "BEGIN\n"
    "    SELECT RAISE(ABORT, 'audit log is append-only: only archived rows older than six months "
    "(at least 180 days) may be removed');\n"
    "END;\n"
    "PRAGMA user_version = 26;\n",

    /* Append new migrations here, numbered in order, each ending with its own
     * "PRAGMA user_version = N;". */
};

enum { N_MIGRATIONS = (int)(sizeof migrations / sizeof migrations[0]) };

int db_schema_version(void)
{
    return N_MIGRATIONS;
}

static int user_version(struct db *db)
{
    struct stmt st;
    int rc = db_prepare(db, &st, "PRAGMA user_version");
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW)
        rc = (int)db_col_int64(&st, 0);
    else if (rc >= 0)
        rc = DB_ERROR;
    db_finalize(&st);
    return rc;
}

/* A migration that rebuilds a table (SQLite's way to alter most things) must run with foreign
 * keys off, or dropping the old table would cascade or fail. So the runner turns them off and
 * instead checks every foreign key before committing each step. */
static int foreign_keys_ok(struct db *db)
{
    struct stmt st;
    int rc = db_prepare(db, &st, "PRAGMA foreign_key_check");
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW) {
        log_error("db: migration leaves a broken foreign key in table %s, row %lld",
                  db_col_text(&st, 0), (long long)db_col_int64(&st, 1));
        rc = DB_CONSTRAINT;
    }
    db_finalize(&st);
    return rc;
}

static int apply(struct db *db, int v, char **errmsg)
{
    int rc = db_begin(db);
    if (rc < 0) {
        db_set_errmsg(errmsg, "cannot lock the database to upgrade its schema", NULL);
        goto done;
    }
    /* Another process may have migrated while we waited for the lock. */
    int have = user_version(db);
    if (have < 0) {
        rc = have;
        db_set_errmsg(errmsg, "cannot read the schema version", NULL);
        goto done;
    }
    if (have >= v) {
        rc = 0;
        goto done;
    }
    rc = db_exec(db, migrations[v - 1]);
    if (rc == 0 && user_version(db) != v) {
        log_error("db: migration %d does not set user_version to %d", v, v);
        rc = DB_ERROR;
    }
    if (rc == 0)
        rc = foreign_keys_ok(db);
    if (rc == 0)
        rc = db_commit(db);
    if (rc < 0) {
        log_error("db: migration to schema version %d failed", v);
        db_set_errmsg(errmsg, "upgrading the database schema failed", NULL);
        goto done;
    }
    log_info("db: schema migrated to version %d", v);
done:
    db_rollback(db); /* no-op after a commit */
    return rc;
}

int db_migrate(struct db *db, int target, char **errmsg)
{
    int rc = 0;
    if (target < 0 || target > N_MIGRATIONS)
        return DB_ERROR;
    int have = user_version(db);
    if (have < 0) {
        db_set_errmsg(errmsg, "cannot read the schema version", NULL);
        return have;
    }
    if (have > N_MIGRATIONS) {
        log_error("db: schema version %d, this program knows up to %d", have, N_MIGRATIONS);
        db_set_errmsg(errmsg,
                      "the database was written by a newer version of duikou; upgrade the program",
                      NULL);
        return DB_ERROR;
    }
    if (have >= target)
        return 0;
    rc = db_exec(db, "PRAGMA foreign_keys = OFF");
    for (int v = have + 1; rc == 0 && v <= target; v++)
        rc = apply(db, v, errmsg);
    if (rc < 0 && errmsg && !*errmsg)
        db_set_errmsg(errmsg, "upgrading the database schema failed", NULL);
    return rc;
}
