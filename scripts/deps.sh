#!/usr/bin/env bash
# Installs the Debian packages Duikou needs to build, run and test, only those missing.
# Usage: scripts/deps.sh            build and run (sudo is used when not root)
#        scripts/deps.sh --test     also the browser the browser tests drive
#        scripts/deps.sh --bench    also the load generator and nginx of make bench
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config clang        # compiler, build, libFuzzer (clang)
  libsqlite3-dev sqlite3                        # store
  libjansson-dev                                # JSON request parsing
  libsodium-dev                                 # SHA-256 (audit chain), argon2id, random tokens
  libopencc-dev libopencc-data opencc           # Traditional <-> Simplified
  libutf8proc-dev                               # Unicode NFC normalisation
  libmicrohttpd-dev                             # HTTP server (duikou serve)
  libmagic-dev                                  # attachments: a file's type by its content
  libcurl4-openssl-dev                          # e-mail: SMTP (and STARTTLS, smtps) by libcurl
  libxlsxwriter-dev                             # Excel exports (通报)
  libssl-dev                                    # the audit chain's HMAC (SHA-256 or SM3, OpenSSL 3)
  libqrencode-dev                               # QR codes of event registrations (SVG)
  liboath-dev                                   # two-factor sign-in: TOTP codes (RFC 6238)
  libzip-dev libxml2-dev                        # .docx and .xlsx read (OOXML: ZIP + XML)
  libpoppler-glib-dev                           # .pdf plans: text extracted by poppler
  libcmocka-dev                                 # unit tests
  curl jq                                       # CLI and server tests (curl, JSON on the command line)
)

# make bench also needs a load generator and the reference web server.
if [ "${1:-}" = "--bench" ]; then
  PKGS+=(wrk nginx-light)
fi

# make test also drives Debian's chromium (playwright-core never downloads a browser) and
# needs CJK fonts so the screenshots show characters, not boxes.
if [ "${1:-}" = "--test" ]; then
  PKGS+=(chromium fonts-noto-cjk faketime python3-aiosmtpd)   # aiosmtpd: a real SMTP server
  # ledgers (tests/api/ledgers.test.mjs): LibreOffice Calc opens every exported XLSX; imports
  # (tests/unit/test_xlsx_read.c, tests/api/imports.test.mjs): it saves the workbooks read back
  PKGS+=(libreoffice-calc-nogui)
  # plans as documents (cli/test_import_documents.sh): PDFs from LibreOffice and from Pango +
  # cairo, a password-protected one from qpdf
  PKGS+=(libreoffice-writer-nogui python3-gi-cairo gir1.2-pango-1.0 qpdf)
fi
# make fuzz also runs sqlmap against the API.
if [ "${1:-}" = "--fuzz" ]; then
  PKGS+=(sqlmap)
fi
# make faults also needs slow clients (slowhttptest) and ss (iproute2) to count connections.
if [ "${1:-}" = "--faults" ]; then
  PKGS+=(slowhttptest iproute2)
fi

missing=()
for p in "${PKGS[@]}"; do
  # dpkg-query prints "install ok installed" only for an installed package.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js runs the API tests and the OpenAPI validator (npm packages in package.json). A
# machine that already has node and npm (e.g. from nodesource) keeps them.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
