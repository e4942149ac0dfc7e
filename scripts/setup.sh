#!/usr/bin/env bash
# Installs what the builds and tests of dicom-leakcheck need. Idempotent: when everything is
# already present it only checks (a second or two) and prints one line.
#
#   scripts/setup.sh                 Rust target + components, dcmtk, dicom3tools, python venv
#   scripts/setup.sh --browser       ... and the browser tests' engines from Debian: chromium +
#                                    chromium-driver, firefox-esr, webkit2gtk-driver (WebKitGTK's
#                                    WebKitWebDriver and MiniBrowser), xvfb + xauth
#   WITH_BROWSER=1 scripts/setup.sh  same as --browser
#
# Installs only from rustup's channel and Debian's apt repositories (nothing downloaded by hand).
set -euo pipefail

WITH_BROWSER="${WITH_BROWSER:-0}"
for arg in "$@"; do
    case "$arg" in
        --browser) WITH_BROWSER=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

log() { echo "setup: $*" >&2; }
changed=0

# ---- Rust: wasm target and the rustfmt/clippy components -------------------------------------
if ! command -v rustup >/dev/null 2>&1 || ! command -v cargo >/dev/null 2>&1; then
    echo "setup: rustup/cargo not found on PATH (this machine kind ships them; nothing to install from here)" >&2
    exit 1
fi
installed_targets="$(rustup target list --installed 2>/dev/null || true)"
if ! grep -qx 'wasm32-unknown-unknown' <<<"$installed_targets"; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown >&2
    changed=1
fi
installed_components="$(rustup component list --installed 2>/dev/null || true)"
for comp in rustfmt clippy; do
    if ! grep -q "^${comp}" <<<"$installed_components"; then
        log "rustup component add $comp"
        rustup component add "$comp" >&2
        changed=1
    fi
done

# ---- Debian packages ------------------------------------------------------------------------
# command -> package. dcmtk: dcmdump (independent reader); dicom3tools: dciodvfy (IOD validator).
declare -a want_pkgs=()
need_cmd_pkg() { # need_cmd_pkg COMMAND PACKAGE
    if ! command -v "$1" >/dev/null 2>&1; then want_pkgs+=("$2"); fi
}
need_cmd_pkg dcmdump dcmtk
need_cmd_pkg dciodvfy dicom3tools
# fonts-dejavu-core: the text detector's tests (crates/core/tests/detector.rs) draw DejaVu glyphs.
if [[ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then want_pkgs+=("fonts-dejavu-core"); fi

if [[ "$WITH_BROWSER" == "1" ]]; then
    need_cmd_pkg chromium chromium
    need_cmd_pkg chromedriver chromium-driver
    need_cmd_pkg firefox-esr firefox-esr
    need_cmd_pkg WebKitWebDriver webkit2gtk-driver
    need_cmd_pkg Xvfb xvfb
    need_cmd_pkg xauth xauth
fi
# The conformance checker runs in a venv (.cache/venv). pyenv/python.org builds ship venv and
# ensurepip; Debian's /usr/bin/python3 needs python3-venv for that.
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    want_pkgs+=("python3-venv")
fi

if ((${#want_pkgs[@]} > 0)); then
    log "apt-get install ${want_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_quiet=(-o Dpkg::Use-Pty=0 -o APT::Color=0)
    # Install straight away when the package lists already know the packages; update first
    # otherwise (a fresh machine has empty or stale lists).
    if ! apt-get install -y -q --no-install-recommends "${apt_quiet[@]}" "${want_pkgs[@]}" >/tmp/setup-apt.$$.log 2>&1; then
        apt-get update -q >/tmp/setup-apt.$$.log 2>&1 || { cat /tmp/setup-apt.$$.log >&2; exit 1; }
        if ! apt-get install -y -q --no-install-recommends "${apt_quiet[@]}" "${want_pkgs[@]}" >/tmp/setup-apt.$$.log 2>&1; then
            cat /tmp/setup-apt.$$.log >&2
            rm -f /tmp/setup-apt.$$.log
            exit 1
        fi
    fi
    rm -f /tmp/setup-apt.$$.log
    changed=1
fi

# ---- Final check: everything the tests call is now on PATH -----------------------------------
missing=()
for cmd in cargo rustup dcmdump dciodvfy python3; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if [[ "$WITH_BROWSER" == "1" ]]; then
    for cmd in chromium chromedriver firefox-esr WebKitWebDriver Xvfb xauth; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
    done
fi
if ((${#missing[@]} > 0)); then
    echo "setup: still missing after install: ${missing[*]}" >&2
    exit 1
fi

if [[ "$changed" == "0" ]]; then
    log "everything already present"
else
    log "done"
fi
