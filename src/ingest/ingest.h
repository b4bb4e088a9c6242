/* ingest: plan text in, structured plans out. Pure functions over a buffer: no database.
 * Everything a parse returns is allocated in the caller's arena. */
#ifndef DUIKOU_INGEST_H
#define DUIKOU_INGEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/hash.h"

struct arena;
struct jw;

enum { INGEST_MAX_BYTES = 64 * 1024 * 1024 }; /* larger files are refused, not truncated */

enum ingest_severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

struct ingest_warning {
    int line;                  /* 1-based line in the input; 0 when it is about the file */
    enum ingest_severity severity;
    const char *code;          /* stable: damaged_text, truncated, task_gap, … */
    const char *message;       /* English, for the CLI; UIs translate by code */
    int place;                 /* paragraph (.docx) or page (.pdf) of line; 0 in plain text */
};

struct plan_area {
    const char *marker; /* "(一)" as folded ASCII brackets */
    const char *title;
    int line;
};

struct plan_task {
    int number;
    const char *title; /* text before the first 。, or the whole line for noun phrases */
    const char *body;  /* the full paragraph without the number, hard wraps joined */
    int area;          /* index into areas; -1 when the plan has no key areas */
    int line;
    bool damaged;      /* the paragraph holds damaged text (see warnings) */
};

struct plan_pairing {
    int task;           /* number of the task whose text names it */
    const char *kind;   /* "city" or "zone" */
    const char *a, *b;  /* as written; a is on the side of pairing[0] */
    const char *a_code, *b_code; /* gazetteer codes, NULL when not a known region */
    const char *theme;  /* 互联网+ 产业合作标杆 … as written */
    int line;
};

struct plan_target {
    int task;          /* 0 when it belongs to the goals, not a task */
    const char *text;  /* the phrase as written: 不少于50家企业 */
    bool has_min, has_max;
    int64_t min, max;
    const char *unit;   /* 家, 个, 市, 年 … */
    const char *object; /* 企业 … or NULL */
    const char *per;    /* "年" for 每年 …, or NULL */
    int year;           /* 2020 for 到2020年, else 0 */
    int line;
};

struct plan_item { /* principles and safeguard measures */
    const char *marker; /* "(一)", "——" or NULL */
    const char *title;
    const char *body;
    int line;
};

struct plan_doc {
    const char *title;
    int line, end_line;
    const char *pairing[2];      /* the two regions in title order, as written */
    const char *pairing_code[2]; /* gazetteer codes or NULL */
    int target_year;             /* from the goals: 到2020年 */
    const char *preamble, *ideology, *goals;
    struct plan_item *principles;
    size_t n_principles;
    struct plan_area *areas;
    size_t n_areas;
    struct plan_task *tasks;
    size_t n_tasks;
    struct plan_pairing *pairings;
    size_t n_pairings;
    struct plan_target *targets;
    size_t n_targets;
    struct plan_item *safeguards;
    size_t n_safeguards;
    struct ingest_warning *warnings;
    size_t n_warnings;
    const char *text;                 /* the plan's own lines, as decoded */
    char sha256[SHA256_HEX_LEN + 1];  /* of text: the identity of this version */
    size_t cap_pairings, cap_targets, cap_warnings; /* array capacities (ingest's own) */
};

struct ingest_result {
    bool ok;                /* false: nothing usable (error says why) */
    const char *error;      /* English message when !ok */
    const char *error_code; /* empty, binary, too_large, no_plan, unreadable, … */
    const char *encoding;   /* utf-8, utf-8-bom, utf-16le, utf-16be, gb18030 */
    size_t bytes;
    char sha256[SHA256_HEX_LEN + 1]; /* of the raw input */
    struct plan_doc *plans;
    size_t n_plans;
    struct ingest_warning *warnings; /* about the file as a whole */
    size_t n_warnings;
    /* What the bytes were: "text", "docx" or "pdf" (told by content, not name). For a
     * document, the parser reads the text drawn from it, so line numbers count lines of that
     * text; place_kind ("paragraph" or "page") names what line_place[line - 1] counts. */
    const char *format;
    const char *place_kind;
    const int *line_place;
    size_t n_line_place;
};

/* Parses buf[0..len): plain text, a .docx or a .pdf, told by content. Never fails on
 * content: problems become warnings or r->ok=false. */
void ingest_parse(struct arena *a, const char *buf, size_t len, struct ingest_result *r);
/* Reads and parses a file; a file over INGEST_MAX_BYTES is refused without reading it. */
void ingest_parse_file(struct arena *a, const char *path, struct ingest_result *r);
/* True when the result must not be imported: !ok, or any warning of SEV_ERROR. */
bool ingest_has_errors(const struct ingest_result *r);
/* Writes {"plans":[…],"warnings":[…],…} as documented in README (duikou parse --json). */
void ingest_write_json(const struct ingest_result *r, struct jw *w);

/* The paragraph or page holding a line of the text a document was read into; 0 for plain
 * text (the line is the place) or a line out of range. */
int ingest_place(const struct ingest_result *r, int line);
/* "line 12", "page 3" or "paragraph 57" for the CLI; NULL when line is 0 (the whole file). */
const char *ingest_where(struct arena *a, const struct ingest_result *r, int line);

/* A document read into plan text: one line per paragraph (table row, or PDF paragraph
 * rejoined), with place[i] the paragraph or page where line i + 1 comes from. */
struct ingest_doc_text {
    char *text; /* UTF-8, NUL-terminated, in the arena */
    size_t len;
    int *place;
    size_t n_lines;
    const char *error, *error_code; /* set when nothing could be read */
};
/* Readers, exposed for tests and fuzzing. Both return false with error set when the input is
 * not a readable document of their kind, or holds no text. */
bool ingest_docx_text(struct arena *a, const char *buf, size_t len, struct ingest_doc_text *out);
bool ingest_pdf_text(struct arena *a, const char *buf, size_t len, struct ingest_doc_text *out);
/* PDF text as poppler gives it, cleaned into plan text: page numbers and running titles
 * dropped, hard wraps and page breaks inside paragraphs rejoined, spaces beside Chinese
 * removed. pages[i] is page i + 1's text. Exposed for tests. */
void ingest_pdf_clean(struct arena *a, const char *const *pages, size_t n_pages,
                      struct ingest_doc_text *out);

/* Decoding, exposed for tests: converts buf to UTF-8 (NUL-terminated, in the arena).
 * Returns NULL and sets *error and *code when the input is not text. */
char *ingest_decode(struct arena *a, const char *buf, size_t len, size_t *out_len,
                    const char **encoding, const char **error, const char **code,
                    struct ingest_warning **warnings, size_t *n_warnings);

#endif
