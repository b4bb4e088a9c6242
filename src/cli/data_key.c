/* data_key: the key that seals personal data at rest (core/seal.h), taken up by every command
 * that opens the database: read from <db>.data-key when it is there; made there by the
 * server and the commands that write (the first that needs it), never by one that only
 * reads. Without it the sealed fields read as unavailable. */
#include <stdbool.h>

#include "cli/cli.h"
#include "core/seal.h"

int cli_data_key_setup(struct cli *c)
{
    static bool done;
    if (done)
        return 0;
    done = true;
    const char *path = arena_printf(&c->arena, "%s.data-key", c->db_path);
    const char *why = NULL;
    if (seal_key_load(path, !c->read_only, &why) < 0) {
        cli_fail("%s: %s", path, why);
        return -1;
    }
    return 0;
}
