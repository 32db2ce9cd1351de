#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this).
# It installs what the end-to-end tests need when it can (Debian/Ubuntu with
# root or sudo), then checks formatting, vets, runs every test with -race,
# the end-to-end tests (tag e2e) inside a private D-Bus session with an
# unlocked gnome-keyring, and each fuzz target briefly.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null)/bin"

log() { printf '\n== %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

# --- what the tests need -------------------------------------------------
APT_PACKAGES=(tmux dbus dbus-x11 gnome-keyring libsecret-tools cups-daemon cups-client printer-driver-cups-pdf poppler-utils xdg-utils nodejs npm)
missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# nodejs/npm may come from elsewhere (nodesource, nvm): a working npm is enough.
if command -v npm >/dev/null; then
	missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; }; then
		$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "cannot install ${missing[*]}: the end-to-end tests that need them will be skipped" >&2
	fi
fi

# node-soap, the independent SOAP peer, in a scratch folder outside the repo.
NODE_SOAP_DIR="${NODE_SOAP_DIR:-${TMPDIR:-/tmp}/ctwiz-nurse-node-soap}"
if command -v npm >/dev/null && [ ! -d "$NODE_SOAP_DIR/node_modules/soap" ]; then
	log "installing node-soap into $NODE_SOAP_DIR"
	mkdir -p "$NODE_SOAP_DIR"
	(cd "$NODE_SOAP_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund soap@1.13.0 >/dev/null)
fi
[ -d "$NODE_SOAP_DIR/node_modules/soap" ] && export NODE_SOAP_DIR

# --- checks ----------------------------------------------------------------
log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "not gofmt'ed:" >&2; echo "$unformatted" >&2; exit 1
fi

log "go vet"
go vet ./...
go vet -tags e2e ./...

log "unit tests (-race)"
go test -race -count=1 ./...

log "end-to-end tests (real binary, tmux, node-soap, Secret Service, CUPS)"
export CTWIZ_E2E_BIN="$PWD/.e2e-bin/ctwiz-nurse"
mkdir -p .e2e-bin && go build -race -o "$CTWIZ_E2E_BIN" ./cmd/ctwiz-nurse
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
	dbus-run-session -- bash e2e/with-keyring.sh go test -race -count=1 -tags e2e ./e2e/...
else
	go test -race -count=1 -tags e2e ./e2e/...
fi

log "fuzzing (briefly)"
for target in FuzzParse FuzzDecode FuzzEscape; do
	go test -run '^$' -fuzz "^${target}\$" -fuzztime 10s ./hl7
done
for target in FuzzDecodeResponse FuzzScanRequest; do
	go test -run '^$' -fuzz "^${target}\$" -fuzztime 10s ./cdcsoap
done
go test -run '^$' -fuzz '^FuzzRedactHL7$' -fuzztime 10s ./query
go test -run '^$' -fuzz '^FuzzRedactHL7Lines$' -fuzztime 10s ./query
go test -run '^$' -fuzz '^FuzzAnswer$' -fuzztime 10s ./sandbox

log "all tests passed"
