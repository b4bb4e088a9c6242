/* qr: QR codes as SVG (core/qr.h) through libqrencode. */
#include "core/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "core/sb.h"

bool qr_svg(struct sb *out, const char *text)
{
    if (!text || !*text || strlen(text) > QR_TEXT_MAX)
        return false;
    /* version 0: the smallest that holds the text; case-sensitive 8-bit data */
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return false;
    int w = q->width, size = w + 2 * QR_QUIET;
    sb_appendf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
               "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"",
               size, size, size * 4, size * 4, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (q->data[y * w + x] & 1) /* bit 0: dark module */
                sb_appendf(out, "M%d %dh1v1h-1z", x + QR_QUIET, y + QR_QUIET);
    sb_append(out, "\"/></svg>");
    QRcode_free(q);
    return true;
}
