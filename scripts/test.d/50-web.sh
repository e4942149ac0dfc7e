# The web page: wasm bindings under Node and the page in Debian's Chromium (scripts/test-web.sh
# installs chromium and the npm packages itself).
set -euo pipefail
"$REPO_ROOT/scripts/test-web.sh"
