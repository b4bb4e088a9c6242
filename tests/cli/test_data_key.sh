# The data key that seals personal data at rest (core/seal.h, cli/data_key.c): made beside the
# database by the first command that writes (mode 0600), never by one that only reads; a
# database that holds data sealed with it runs on without it (the sealed fields unavailable)
# and makes no new key that would not open them; a key file that is not one is refused.
. "$(dirname "$0")/lib.sh"

KEY="$DUIKOU_DB.data-key"
"$BIN" init >/dev/null 2>&1
expect_eq "init (a write) makes the key" "600" "$(stat -c %a "$KEY")"
expect_match "the key file" "^duikou-data-key v1 [0-9a-f]{64}$" "$(cat "$KEY")"
"$BIN" import "$SEED" >/dev/null 2>&1

# a secondment with a sealed phone, then the key lost
sql "INSERT INTO unit (pairing_id, side, name, name_key, kind, tier, created_at, updated_at)
     VALUES (1, 0, '甲', '甲', 'city', 'execution', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');
     INSERT INTO exchange (pairing_id, kind, title, side, starts, year, phone_sealed, created_at, updated_at)
     VALUES (1, 'secondment', '挂职', 0, '2027-01-01', 2027, 'v1:AAAA', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');"
mv "$KEY" "$WORK/kept.key"
err=$("$BIN" user add --login clerk --role admin --password-stdin <<<'A-long-enough-password-1' 2>&1)
expect_match "a write says the key is missing" "is missing, but this database holds personal data sealed with it" "$err"
expect_eq "and makes none" "no" "$([ -e "$KEY" ] && echo yes || echo no)"
expect_eq "but runs on" "1" "$(sql "SELECT count(*) FROM users WHERE login = 'clerk'")"
"$BIN" plans >/dev/null 2>&1 && pass || fail "a command that only reads runs without the key"
expect_eq "reading made no key" "no" "$([ -e "$KEY" ] && echo yes || echo no)"
mv "$WORK/kept.key" "$KEY"
"$BIN" user add --login clerk3 --role admin --password-stdin <<<'A-long-enough-password-1' >/dev/null 2>&1 \
  && pass || fail "with the key back, writes go on"

# a key file shorter than its header, or readable by others, is no key
printf 'duikou' >"$KEY"
chmod 600 "$KEY"
expect_fail "a short key file" "$BIN" user add --login clerk2 --role admin --password-stdin <<<'A-long-enough-password-1'
finish
