#!/usr/bin/env bash
# The web page's tests, in one command (from any directory):   scripts/test-web.sh
#
#   1. installs what they need: the wasm32 Rust target, Debian's chromium, firefox-esr,
#      webkit2gtk-driver (WebKitWebDriver and MiniBrowser), xvfb and xauth when missing, the npm
#      devDependencies (`npm ci`: playwright-core, puppeteer-core, selenium-webdriver, none of
#      which downloads a browser);
#   2. builds once: `cargo xtask build-wasm` (dist/ and dist/dicom-leakcheck.html);
#   3. runs under `node --test`:
#        tests/web/wasm.test.mjs  the wasm bindings in Node (inspect, deidentify, keys, errors)
#        tests/web/stream.test.mjs  large files in parts: scan, deidentify_ranges, the Session class (Node)
#        tests/web/headerfirst.test.mjs  header verdicts first, pixel verdicts after them (Chromium)
#        tests/web/page.test.mjs  the page in headless Chromium (playwright-core): pickers,
#                                 drag and drop, options, cleaning, downloads checked with the
#                                 native CLI when built (else the wasm module), CSP and network,
#                                 the single-file build from file://
#        tests/web/dirpaths.test.mjs  the zip as a set: neutral paths, a new DICOMDIR (checked
#                                 with dcdirdmp), files added twice, files left out named
#        tests/web/engines.test.mjs  the user's flows in Chromium, Firefox ESR (puppeteer-core,
#                                 WebDriver BiDi) and WebKitGTK (WebKitWebDriver, selenium-
#                                 webdriver, its own Xvfb), served and from file://: held-out
#                                 files, cleaned zip checked, no request leaves, CSP blocks an
#                                 injected upload, no console errors, axe-core audit; prints
#                                 which engines ran. An engine missing is a failure when CI is
#                                 set. LEAKCHECK_ENGINES=chromium,webkit picks engines.
#        tests/web/scale.test.mjs the worker pool's per-file budgets, LEAKCHECK_MANY files (2000;
#                                 10000 for the full run) with a flat memory curve, and a
#                                 LEAKCHECK_BIG_MB (1024; 2048 for the release check) file by ranges
#        tests/web/preview.test.mjs  the image preview: window/level, frames, zoom, burned-in
#                                 text boxes (found, drawn, removed), cleaning inside them
#
# Screenshots and timings: test-artifacts/web/ (or $ARTIFACTS/web/). Set LEAKCHECK_CLI to check
# downloads with another CLI binary; SKIP_BUILD=1 to test the dist/ that is there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
T0=$SECONDS
log() { echo "test-web: $*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown >&2
fi

# The three browser engines and what WebKitGTK needs to run without a screen, all from Debian:
# file -> package. (webkit2gtk-driver brings WebKitGTK's MiniBrowser with it.)
declare -A engine_files=(
    [/usr/bin/chromium]=chromium
    [/usr/bin/firefox-esr]=firefox-esr
    [/usr/bin/WebKitWebDriver]=webkit2gtk-driver
    [/usr/bin/Xvfb]=xvfb
    [/usr/bin/xauth]=xauth
)
want_pkgs=()
for file in "${!engine_files[@]}"; do
    [[ -x "$file" ]] || want_pkgs+=("${engine_files[$file]}")
done
if ((${#want_pkgs[@]} > 0)); then
    log "apt-get install ${want_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends "${want_pkgs[@]}" >/tmp/test-web-apt.$$.log 2>&1; then
        apt-get update -q >/tmp/test-web-apt.$$.log 2>&1 || { cat /tmp/test-web-apt.$$.log >&2; exit 1; }
        apt-get install -y -q --no-install-recommends "${want_pkgs[@]}" >/tmp/test-web-apt.$$.log 2>&1 || { cat /tmp/test-web-apt.$$.log >&2; exit 1; }
    fi
    rm -f /tmp/test-web-apt.$$.log
fi

stamp="node_modules/.dicom-leakcheck-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    log "npm ci"
    npm ci --no-audit --no-fund >&2
    echo "$want" >"$stamp"
fi

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    cargo xtask build-wasm
fi

mkdir -p "${ARTIFACTS:-$ROOT/test-artifacts}/web"
log "node --test (setup and build took $((SECONDS - T0)) s)"
node --test --test-concurrency=1 --test-reporter=spec tests/web/wasm.test.mjs tests/web/pixels.test.mjs tests/web/stream.test.mjs tests/web/page.test.mjs tests/web/dirpaths.test.mjs tests/web/headerfirst.test.mjs tests/web/engines.test.mjs tests/web/preview.test.mjs tests/web/scale.test.mjs
log "done in $((SECONDS - T0)) s"
