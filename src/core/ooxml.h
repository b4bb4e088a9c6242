/* ooxml: the parts of an Office Open XML package (.docx, .xlsx) that came from outside.
 * The ZIP is read from memory by libzip and bounded before anything is inflated beyond its
 * limits (entries, each part's size, the whole, the compression ratio), so a ZIP bomb is
 * refused, not unpacked; XML is parsed by libxml2 with no network, no DTD and no entity
 * expansion (no XXE, no billion laughs). A password-protected workbook or document, and the
 * binary .xls/.doc formats, are told apart from a damaged file so the user hears why. */
#ifndef DUIKOU_CORE_OOXML_H
#define DUIKOU_CORE_OOXML_H
#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

struct arena;

enum {
    OOXML_MAX_ENTRIES = 10000,
    OOXML_MAX_PART = 128 << 20,  /* one part, inflated */
    OOXML_MAX_TOTAL = 256 << 20, /* all parts read from one package, inflated */
    OOXML_MAX_RATIO = 200,       /* inflated / compressed, for parts over 1 MiB */
    OOXML_MAX_XML = 16 << 20,    /* a part parsed as XML: libxml2's tree takes up to ~25×
                                    the text for dense markup, so this bounds a parse to a few
                                    hundred MB (a plan is ~100 KB, a 10,000-row sheet ~5 MB) */
};

enum ooxml_status {
    OOXML_OK,
    OOXML_NOT_ZIP,   /* not a ZIP at all (or a damaged one) */
    OOXML_ENCRYPTED, /* an OLE container holding an encrypted package: a password was set */
    OOXML_LEGACY,    /* an OLE container without one: .xls or .doc of Office 97–2003 */
    OOXML_MISSING,   /* the package has no such part */
    OOXML_TOO_LARGE, /* over the limits above, or inflating to more than it declared */
    OOXML_BAD_XML,   /* not well-formed, or carrying a DTD */
};

struct ooxml;

/* Opens the package in data (len bytes; data must outlive the package). The package is
 * closed with the arena. */
enum ooxml_status ooxml_open(struct arena *a, const void *data, size_t len, struct ooxml **out);
/* Whether the package holds a part of that name ("word/document.xml"). */
bool ooxml_has(struct ooxml *z, const char *name);
/* The part's bytes, NUL-terminated, in the arena. */
enum ooxml_status ooxml_part(struct ooxml *z, const char *name, char **data, size_t *len);
/* The part parsed (at most OOXML_MAX_XML bytes); the document is freed with the arena. */
enum ooxml_status ooxml_xml(struct ooxml *z, const char *name, xmlDocPtr *doc);

/* A stable code ("not_zip", "encrypted" …) for messages.def lookups and JSON, and an English
 * sentence for the CLI. */
const char *ooxml_status_code(enum ooxml_status s);
const char *ooxml_status_message(enum ooxml_status s);

/* Tree helpers over namespaced OOXML: an element's local name is name (prefix ignored, as
 * producers choose their own prefixes); its attribute by local name; the first child element
 * of that name. */
bool ooxml_is(const xmlNode *n, const char *name);
const char *ooxml_attr(struct arena *a, const xmlNode *n, const char *name);
xmlNode *ooxml_child(const xmlNode *n, const char *name);

#endif
