/* qr: a QR code as an SVG image, drawn with Debian's libqrencode (error correction level M,
 * 8-bit mode, so any UTF-8 text is encoded as its bytes). The registrations of an event carry
 * one each (the check-in address with the registration's number), which the organiser's phone
 * or a printed badge shows at the door. */
#ifndef DUIKOU_CORE_QR_H
#define DUIKOU_CORE_QR_H
#include <stdbool.h>

struct sb;

enum { QR_QUIET = 4, /* modules of light margin on each side, as ISO/IEC 18004 asks */
       QR_TEXT_MAX = 1000 };

/* Appends to out an <svg> of text's QR code: a viewBox of (modules + 2·QR_QUIET) units square,
 * a white background and one <path> of the dark modules (one "M x y h1v1h-1z" each), sized by
 * its width/height attributes in module units so CSS may scale it. The text is only encoded,
 * never written into the SVG, so nothing in it needs escaping. false (out unchanged) when the
 * text is empty, longer than QR_TEXT_MAX bytes, or cannot be encoded. */
bool qr_svg(struct sb *out, const char *text);

#endif
