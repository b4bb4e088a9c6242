/* ooxml: bounded ZIP (libzip) and safe XML (libxml2) for packages from outside. */
#include "core/ooxml.h"

#include <pthread.h>
#include <string.h>
#include <zip.h>

#include <libxml/parser.h>

#include "core/mem.h"

struct ooxml {
    struct arena *arena;
    zip_t *zip;
    size_t read_total; /* inflated bytes handed out so far */
};

static const unsigned char OLE_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* An encrypted OOXML file is an OLE container with an "EncryptedPackage" stream; its
 * directory holds the name in UTF-16LE. */
static bool has_utf16_name(const unsigned char *d, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i + 2 * n <= len; i++) {
        size_t k = 0;
        while (k < n && d[i + 2 * k] == (unsigned char)name[k] && d[i + 2 * k + 1] == 0)
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static void close_zip(void *p) { zip_discard(p); }
static void free_doc(void *p) { xmlFreeDoc(p); }

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

enum ooxml_status ooxml_open(struct arena *a, const void *data, size_t len, struct ooxml **out)
{
    *out = NULL;
    if (len >= sizeof OLE_MAGIC && memcmp(data, OLE_MAGIC, sizeof OLE_MAGIC) == 0)
        return has_utf16_name(data, len, "EncryptedPackage") ? OOXML_ENCRYPTED : OOXML_LEGACY;
    if (len < 22) /* shorter than an end-of-central-directory record */
        return OOXML_NOT_ZIP;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    if (!src) {
        zip_error_fini(&err);
        return OOXML_NOT_ZIP;
    }
    /* No ZIP_CHECKCONS: libxlsxwriter's own files (minizip) fail its strict comparison of
     * local and central headers; each part's sizes and CRC are still checked as it is read. */
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &err);
    zip_error_fini(&err);
    if (!z) {
        zip_source_free(src);
        return OOXML_NOT_ZIP;
    }
    arena_defer(a, close_zip, z);
    zip_int64_t n = zip_get_num_entries(z, 0);
    if (n < 0 || n > OOXML_MAX_ENTRIES)
        return OOXML_TOO_LARGE;
    pthread_once(&xml_once, xml_init);
    struct ooxml *o = arena_alloc(a, sizeof *o);
    o->arena = a;
    o->zip = z;
    *out = o;
    return OOXML_OK;
}

bool ooxml_has(struct ooxml *z, const char *name)
{
    return zip_name_locate(z->zip, name, 0) >= 0;
}

static enum ooxml_status read_part(struct ooxml *z, const char *name, size_t max, char **data,
                                   size_t *len);

enum ooxml_status ooxml_part(struct ooxml *z, const char *name, char **data, size_t *len)
{
    return read_part(z, name, OOXML_MAX_PART, data, len);
}

static enum ooxml_status read_part(struct ooxml *z, const char *name, size_t max, char **data,
                                   size_t *len)
{
    *data = NULL;
    *len = 0;
    zip_int64_t idx = zip_name_locate(z->zip, name, 0);
    if (idx < 0)
        return OOXML_MISSING;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->zip, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(st.valid & ZIP_STAT_COMP_SIZE))
        return OOXML_NOT_ZIP;
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return OOXML_ENCRYPTED;
    /* The declared sizes are checked first (nothing is inflated for a bomb that admits it);
     * the reading below stops at the declared size for one that lies. */
    if (st.size > max || z->read_total + st.size > OOXML_MAX_TOTAL)
        return OOXML_TOO_LARGE;
    if (st.size > (1u << 20) && st.size / (st.comp_size ? st.comp_size : 1) > OOXML_MAX_RATIO)
        return OOXML_TOO_LARGE;
    zip_file_t *f = zip_fopen_index(z->zip, (zip_uint64_t)idx, 0);
    if (!f)
        return OOXML_NOT_ZIP;
    char *buf = arena_alloc(z->arena, (size_t)st.size + 1);
    size_t got = 0;
    enum ooxml_status rc = OOXML_OK;
    while (got < st.size) {
        zip_int64_t r = zip_fread(f, buf + got, st.size - got);
        if (r <= 0) {
            rc = OOXML_NOT_ZIP;
            break;
        }
        got += (size_t)r;
    }
    char extra;
    if (rc == OOXML_OK && zip_fread(f, &extra, 1) != 0) /* more than it declared */
        rc = OOXML_TOO_LARGE;
    zip_fclose(f);
    if (rc != OOXML_OK)
        return rc;
    buf[got] = '\0';
    z->read_total += got;
    *data = buf;
    *len = got;
    return OOXML_OK;
}

enum ooxml_status ooxml_xml(struct ooxml *z, const char *name, xmlDocPtr *doc)
{
    *doc = NULL;
    char *data;
    size_t len;
    enum ooxml_status rc = read_part(z, name, OOXML_MAX_XML, &data, &len);
    if (rc != OOXML_OK)
        return rc;
    /* OOXML never carries a DTD; one in a package is an attack (external or recursive
     * entities), refused before libxml2 reads it. */
    if (memmem(data, len, "<!DOCTYPE", 9) || memmem(data, len, "<!ENTITY", 8))
        return OOXML_BAD_XML;
    if (len > (size_t)INT32_MAX)
        return OOXML_TOO_LARGE;
    xmlDocPtr d = xmlReadMemory(data, (int)len, name, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                    XML_PARSE_COMPACT);
    if (!d)
        return OOXML_BAD_XML;
    arena_defer(z->arena, free_doc, d);
    if (d->intSubset || !xmlDocGetRootElement(d))
        return OOXML_BAD_XML;
    *doc = d;
    return OOXML_OK;
}

const char *ooxml_status_code(enum ooxml_status s)
{
    switch (s) {
    case OOXML_OK: return "ok";
    case OOXML_NOT_ZIP: return "not_zip";
    case OOXML_ENCRYPTED: return "encrypted";
    case OOXML_LEGACY: return "legacy_format";
    case OOXML_MISSING: return "missing_part";
    case OOXML_TOO_LARGE: return "too_large";
    case OOXML_BAD_XML: return "bad_xml";
    }
    return "not_zip";
}

const char *ooxml_status_message(enum ooxml_status s)
{
    switch (s) {
    case OOXML_OK: return "ok";
    case OOXML_NOT_ZIP: return "the file is not an Office Open XML package (not a ZIP, or damaged)";
    case OOXML_ENCRYPTED: return "the file is protected by a password; save it again without one";
    case OOXML_LEGACY:
        return "the file is in the old binary Office format (.xls/.doc); save it as .xlsx/.docx";
    case OOXML_MISSING: return "the package lacks a part it needs";
    case OOXML_TOO_LARGE:
        return "the package inflates to more than is allowed (a ZIP bomb, or too large)";
    case OOXML_BAD_XML: return "the package holds XML that is not well-formed or carries a DTD";
    }
    return "?";
}

bool ooxml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const char *ooxml_attr(struct arena *a, const xmlNode *n, const char *name)
{
    for (const xmlAttr *at = n ? n->properties : NULL; at; at = at->next) {
        if (strcmp((const char *)at->name, name) != 0)
            continue;
        xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
        char *s = arena_strdup(a, v ? (const char *)v : "");
        xmlFree(v);
        return s;
    }
    return NULL;
}

xmlNode *ooxml_child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (ooxml_is(c, name))
            return c;
    return NULL;
}
