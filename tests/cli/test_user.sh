# duikou unit / user / token: units on a side of a pairing, accounts with a generated password
# shown once (no default accounts), passwords from standard input, disable, API tokens.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
expect_eq "no default accounts" 0 "$(sql 'SELECT count(*) FROM users')"
sd=$(sql "SELECT id FROM pairing WHERE parent_id IS NULL AND name_a = '上海市'")
city=$(sql "SELECT id FROM pairing WHERE parent_id IS NOT NULL LIMIT 1")

# units
out=$("$BIN" unit add --pairing "$sd" --side 1 --name 大连市发展和改革委员会 --kind department --tier coordination)
expect_match "unit add" "^unit [0-9]+: 大连市发展和改革委员会 .*side 1" "$out"
unit=$(printf '%s' "$out" | sed -n 's/^unit \([0-9]*\):.*/\1/p')
"$BIN" unit add --pairing "$sd" --side 0 --name 上海市人民政府合作交流办公室 --kind government --tier coordination >/dev/null
expect_fail "same name, other script" "$BIN" unit add --pairing "$sd" --side 1 --name 大連市發展和改革委員會 --kind department --tier coordination
expect_fail "city pairing" "$BIN" unit add --pairing "$city" --side 0 --name X --kind city --tier execution
expect_fail "bad kind" "$BIN" unit add --pairing "$sd" --side 0 --name Y --kind ministry --tier execution
expect_fail "bad side" "$BIN" unit add --pairing "$sd" --side 2 --name Y --kind city --tier execution
err=$("$BIN" unit add --pairing "$sd" --side 0 --name Y --kind city --tier top 2>&1 || true)
expect_match "error names the field" "\(tier\)" "$err"
list=$("$BIN" unit list --pairing "$sd")
expect_match "unit list" "大连市发展和改革委员会" "$list"
expect_match "unit list other side" "上海市人民政府合作交流办公室" "$list"
expect_eq "unit rows" 2 "$(sql 'SELECT count(*) FROM unit')"

# an account with a generated password, shown once
out=$("$BIN" user add --login Wang.Fang --unit 大連市發展和改革委員會 --role coordinator --name 王芳)
expect_match "user add" "^user [0-9]+: wang.fang \(王芳\), coordinator of 大连市发展和改革委员会" "$out"
pw=$(printf '%s\n' "$out" | sed -n 's/^password (shown this once; pass it on safely): //p')
expect_match "generated password" '^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$' "$pw"
expect_eq "password not stored" 0 "$(sql "SELECT count(*) FROM users WHERE pw_hash LIKE '%$pw%'")"
expect_eq "password not in the log" 0 "$(sql "SELECT count(*) FROM audit WHERE after LIKE '%$pw%'")"
expect_match "stored as argon2id" '^\$argon2id\$' "$(sql "SELECT pw_hash FROM users WHERE login = 'wang.fang'")"
# the password signs in; a wrong one does not, and both attempts are in the audit log
expect_match "sign in" "signed in as wang.fang \(coordinator\)" "$(printf '%s\n' "$pw" | "$BIN" user check-login --login wang.fang)"
err=$(printf 'wrong-password\n' | "$BIN" user check-login --login wang.fang 2>&1 || true)
expect_match "wrong password" "err_login_failed" "$err"
err=$(printf '%s\n' "$pw" | "$BIN" user check-login --login nobody 2>&1 || true)
expect_match "unknown login, same error" "err_login_failed" "$err"
expect_eq "attempts audited" 3 "$(sql "SELECT count(*) FROM audit WHERE action LIKE 'auth.login%' AND client = 'cli'")"
# check-login only checks: no session (under --mlps one would end the web's), no last sign-in
expect_eq "check-login opens no session" 0 "$(sql 'SELECT count(*) FROM session')"
expect_eq "check-login keeps the last sign-in" 0 "$(sql "SELECT count(*) FROM users WHERE last_login_at IS NOT NULL")"
# a web session of the account, for what follows to end
web_session() {
  sql "INSERT INTO session (user_id, token_hash, csrf_token, client, created_at, last_seen_at, expires_at) SELECT id, lower(hex(randomblob(32))), 'csrf', '127.0.0.1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z' FROM users WHERE login = '$1'"
}
web_session wang.fang

# by unit id; an admin has no unit; the password from standard input
out=$("$BIN" user add --login dl.member --unit "$unit" --role member)
expect_match "user add by unit id" "member of 大连市发展和改革委员会" "$out"
out=$(printf 'correct horse battery\n' | "$BIN" user add --login root --role admin --password-stdin)
expect_match "admin" "^user [0-9]+: root \(root\), admin$" "$out"
if printf '%s' "$out" | grep -q password; then fail "a password given is not printed"; else pass; fi
expect_match "stdin password signs in" "signed in as root" "$(printf 'correct horse battery\n' | "$BIN" user check-login --login root)"
# refusals, each for its own reason
refused() { # WHAT PATTERN COMMAND...
  local what=$1 pattern=$2; shift 2
  local err
  if err=$("$@" 2>&1 </dev/null); then fail "$what: succeeded"; else expect_match "$what" "$pattern" "$err"; fi
}
refused "admin with a unit" "admin account belongs to no unit" "$BIN" user add --login root2 --role admin --unit "$unit"
refused "member without a unit" "belongs to a unit \\(unit_id\\)" "$BIN" user add --login member2 --role member
refused "login taken" "taken" "$BIN" user add --login WANG.FANG --role member --unit "$unit"
refused "bad login" "a login is 3" "$BIN" user add --login 王芳 --role member --unit "$unit"
refused "bad role" "role is admin, leader" "$BIN" user add --login member3 --role boss --unit "$unit"
refused "unknown unit" "no unit is called" "$BIN" user add --login member4 --role member --unit 没有的单位
err=$(printf 'password123\n' | "$BIN" user add --login member5 --role member --unit "$unit" --password-stdin 2>&1 || true)
expect_match "common password refused" "too common" "$err"
expect_eq "no account from refusals" 3 "$(sql 'SELECT count(*) FROM users')"
list=$("$BIN" user list)
expect_match "user list" "wang.fang +coordinator +大连市发展和改革委员会" "$list"
expect_match "user list admin" "root +admin +\(no unit\)" "$list"

# password change from standard input ends the sessions
sessions=$(sql "SELECT count(*) FROM session WHERE user_id = (SELECT id FROM users WHERE login = 'wang.fang') AND revoked_at IS NULL")
expect_eq "one live session" 1 "$sessions"
expect_fail "short password refused" sh -c "printf 'short\n' | '$BIN' user password --login wang.fang"
out=$(printf 'a much better passphrase\n' | "$BIN" user password --login wang.fang)
expect_match "password changed" "password of wang.fang changed" "$out"
expect_eq "sessions ended" 0 "$(sql "SELECT count(*) FROM session WHERE user_id = (SELECT id FROM users WHERE login = 'wang.fang') AND revoked_at IS NULL")"
expect_fail "old password" sh -c "printf '%s\n' '$pw' | '$BIN' user check-login --login wang.fang"
expect_match "new password" "signed in" "$(printf 'a much better passphrase\n' | "$BIN" user check-login --login wang.fang)"

# API tokens: printed once on stdout, stored hashed
token=$("$BIN" token create --login wang.fang --name nightly-export 2>/dev/null)
expect_match "token shape" '^dk_[A-Za-z0-9_-]{43}$' "$token"
expect_eq "token stored hashed" 1 "$(sql "SELECT count(*) FROM api_token WHERE token_hash = '$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)'")"
if grep -qa -- "${token#dk_}" "$DUIKOU_DB" "$DUIKOU_DB-wal" 2>/dev/null; then fail "raw token in the database files"; else pass; fi
expect_match "token list" "nightly-export" "$("$BIN" token list --login wang.fang)"
tid=$(sql "SELECT id FROM api_token")
expect_match "token revoke" "revoked" "$("$BIN" token revoke "$tid")"
expect_match "token listed as revoked" "revoked" "$("$BIN" token list)"
expect_fail "token for nobody" "$BIN" token create --login nobody

# disable ends the sessions and refuses sign-in; enable lets it back in
web_session wang.fang
expect_match "disable" "disabled" "$("$BIN" user disable --login wang.fang)"
expect_eq "disabled sessions ended" 0 "$(sql "SELECT count(*) FROM session WHERE user_id = (SELECT id FROM users WHERE login = 'wang.fang') AND revoked_at IS NULL")"
expect_fail "disabled cannot sign in" sh -c "printf 'a much better passphrase\n' | '$BIN' user check-login --login wang.fang"
expect_match "list shows disabled" "wang.fang .*\[disabled\]" "$("$BIN" user list)"
expect_fail "disabled gets no token" "$BIN" token create --login wang.fang
expect_match "enable" "enabled" "$("$BIN" user enable --login wang.fang)"
expect_match "enabled signs in" "signed in" "$(printf 'a much better passphrase\n' | "$BIN" user check-login --login wang.fang)"

# every change is in the log, and the chain holds
for action in unit.create user.create user.password user.disable user.enable token.create token.revoke auth.revoke_sessions; do
  n=$(sql "SELECT count(*) FROM audit WHERE action = '$action'")
  if [ "$n" -ge 1 ]; then pass; else fail "no audit row for $action"; fi
done
expect_eq "no hash in the log" 0 "$(sql "SELECT count(*) FROM audit WHERE coalesce(before,'') || coalesce(after,'') LIKE '%argon2%'")"
expect_match "audit verify" "intact" "$("$BIN" audit verify)"
expect_match "check" "integrity: ok" "$("$BIN" check)"

finish
