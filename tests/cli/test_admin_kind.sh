# duikou user add --admin-kind / user set-admin-kind (三员分立): without --mlps an admin may have
# a kind or none, and its kind may change; once `serve --mlps` has really started (it records
# that in the database for the command line once it listens; one that cannot listen records
# nothing) an admin account has exactly one kind: none, two at once, a kind for a non-admin and
# a second kind for an account that has one are refused. A serve without --mlps on such a
# database runs under --mlps anyway and says so; only `duikou mlps off --confirm` lowers it.
# Every change is in the audit log.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
pw='Tx9-ceshi-mima-2026'
add() { printf '%s\n' "$pw" | "$BIN" user add --password-stdin "$@" 2>&1; }
sd=$(sql "SELECT id FROM pairing WHERE parent_id IS NULL AND name_a = '上海市'")
unit=$("$BIN" unit add --pairing "$sd" --side 1 --name 大连市发展和改革委员会 --kind department \
  --tier coordination | sed -n 's/^unit \([0-9]*\):.*/\1/p')

# before --mlps: as ever, and a kind may be given
expect_match "admin of no kind" "^user [0-9]+: old.admin \(old.admin\), admin$" "$(add --login old.admin --role admin)"
expect_match "admin with a kind" "admin \(system\)$" "$(add --login sys.admin --role admin --admin-kind system)"
expect_match "two at once" "one kind" "$(add --login two.kinds --role admin --admin-kind system --admin-kind audit || true)"
expect_match "two in one" "system, security, audit" "$(add --login two.kinds --role admin --admin-kind system,audit || true)"
expect_match "a kind is an admin's" "only an admin account" "$(add --login dl.member --role member --unit "$unit" --admin-kind audit || true)"
expect_eq "none of those made" 0 "$(sql "SELECT count(*) FROM users WHERE login IN ('two.kinds', 'dl.member')")"
expect_match "list shows kinds" "sys.admin +admin:system" "$("$BIN" user list)"
expect_match "kind changes" "sys.admin is the security administrator" "$("$BIN" user set-admin-kind --login sys.admin --kind security)"
"$BIN" user set-admin-kind --login sys.admin --kind system >/dev/null
expect_eq "changes audited" 2 "$(sql "SELECT count(*) FROM audit WHERE action = 'user.admin_kind'")"
expect_fail "set-admin-kind needs --kind" "$BIN" user set-admin-kind --login sys.admin

# a server with --mlps records it, once it listens
SERVER=""
PORT=""
run() { # starts a server with these options and waits until it listens
  : >"$WORK/out"
  "$BIN" serve --listen 127.0.0.1:0 "$@" >"$WORK/out" 2>"$WORK/err" &
  SERVER=$!
  for _ in $(seq 600); do
    grep -q "^listening on " "$WORK/out" && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.05
  done
  grep -q "^listening on " "$WORK/out" || { cat "$WORK/err" >&2; fail "server did not start"; }
  PORT=$(sed -n 's/^listening on http:.*:\([0-9]*\)$/\1/p' "$WORK/out")
}
stop() { kill -TERM "$SERVER"; wait "$SERVER" || fail "server exit status"; }
start() { run "$@"; stop; }

# a serve --mlps that cannot listen (the port is taken) records nothing
run
taken=$PORT
expect_fail "a taken port" "$BIN" serve --listen "127.0.0.1:$taken" --mlps
stop
expect_eq "not recorded by a failed start" 0 "$(sql "SELECT count(*) FROM setting WHERE name = 'mlps'")"
expect_match "plain admin while off" "admin$" "$(add --login early.admin --role admin)"

start --mlps
expect_eq "recorded" 1 "$(sql "SELECT value FROM setting WHERE name = 'mlps'")"
expect_eq "audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'setting.update'")"
expect_match "status" "^mlps on" "$("$BIN" mlps)"

expect_match "under --mlps a kind is required" "exactly one kind" "$(add --login new.admin --role admin || true)"
expect_match "still never two" "one kind" "$(add --login new.admin --role admin --admin-kind audit --admin-kind security || true)"
expect_match "one kind: made" "admin \(audit\)$" "$(add --login aud.admin --role admin --admin-kind audit)"
expect_match "no second kind" "no account holds two kinds" "$("$BIN" user set-admin-kind --login sys.admin --kind audit 2>&1 || true)"
expect_eq "kind kept" system "$(sql "SELECT admin_kind FROM users WHERE login = 'sys.admin'")"
# the admin of no kind cannot sign in, and is told what to run
expect_match "no kind, no sign-in" "err_admin_kind_missing" "$(printf '%s\n' "$pw" | "$BIN" user check-login --login old.admin 2>&1 || true)"
expect_match "a first kind is fine" "old.admin is the audit administrator" "$("$BIN" user set-admin-kind --login old.admin --kind audit)"
expect_match "then it signs in" "signed in as old.admin" "$(printf '%s\n' "$pw" | "$BIN" user check-login --login old.admin 2>&1)"

# a server without --mlps, and one that cannot start, lower nothing: the first runs under
# --mlps and says so, and the rules hold while it runs and after
run
expect_match "told on stderr" "under --mlps" "$(cat "$WORK/err")"
expect_eq "still on while it runs" 1 "$(sql "SELECT value FROM setting WHERE name = 'mlps'")"
expect_match "no second kind while it runs" "no account holds two kinds" "$("$BIN" user set-admin-kind --login aud.admin --kind system 2>&1 || true)"
taken=$PORT
expect_fail "a taken port again" "$BIN" serve --listen "127.0.0.1:$taken"
stop
expect_eq "still on" 1 "$(sql "SELECT value FROM setting WHERE name = 'mlps'")"
expect_eq "no row for it" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'setting.update'")"
expect_match "a kind still required" "exactly one kind" "$(add --login plain.admin --role admin || true)"

# lowered only on purpose, audited
expect_match "off needs --confirm" "--confirm" "$("$BIN" mlps off 2>&1 || true)"
expect_eq "not lowered" 1 "$(sql "SELECT value FROM setting WHERE name = 'mlps'")"
expect_match "off" "^mlps off" "$("$BIN" mlps off --confirm)"
expect_eq "recorded off" 0 "$(sql "SELECT value FROM setting WHERE name = 'mlps'")"
expect_eq "off audited" 2 "$(sql "SELECT count(*) FROM audit WHERE action = 'setting.update' AND actor LIKE 'cli:%'")"
expect_match "no kind again" "admin$" "$(add --login plain.admin --role admin)"
start
expect_eq "a plain serve leaves it off" 0 "$(sql "SELECT value FROM setting WHERE name = 'mlps'")"
finish
