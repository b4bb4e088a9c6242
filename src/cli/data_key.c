/* data_key: the key that seals personal data at rest (core/seal.h), taken up by every command
 * that opens the database: read from <db>.data-key when it is there; made there by the
 * server and the commands that write (the first that needs it), never by one that only
 * reads. Without it the sealed fields read as unavailable. */
#include <stdbool.h>

#include <errno.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/seal.h"
#include "service/exchange.h"

int cli_data_key_setup(struct cli *c, struct ctx *ctx)
{
    static bool done;
    if (done)
        return 0;
    done = true;
    const char *path = arena_printf(&c->arena, "%s.data-key", c->db_path);
    const char *why = NULL;
    /* a new key for a database that sealed data under another would leave those unreadable
     * for good, and the old key could not be put back beside the new: make none, and say
     * so. The program runs on: the sealed fields read as unavailable and no new personal data
     * is taken (err_data_key) until the key is back. */
    struct stat st;
    if (!c->read_only && lstat(path, &st) != 0 && errno == ENOENT && exchange_has_sealed(ctx)) {
        log_warn("%s is missing, but this database holds personal data sealed with it: no new "
                 "key is made (it would not open them); put the key file back",
                 path);
        return 0;
    }
    if (seal_key_load(path, !c->read_only, &why) < 0) {
        cli_fail("%s: %s", path, why);
        return -1;
    }
    return 0;
}
