# DICOMDIRs and neutral output paths checked by others' tools: a synthetic CD (pydicom, its
# DICOMDIR by dcmtk's dcmgpdir) de-identified three ways; every DICOMDIR written loads in
# pydicom's FileSet, dicom3tools' dcdirdmp and dciodvfy find nothing wrong
# (tests/conformance/check_dicomdir.py). The corpus's DICOMDIRs are checked the same way by
# the conformance step.
set -euo pipefail
cd "$REPO_ROOT"
for tool in dcmgpdir dcdirdmp dciodvfy; do
    command -v "$tool" >/dev/null || "$REPO_ROOT/scripts/setup.sh"
done
req="$REPO_ROOT/tests/conformance/requirements.txt"
if [[ ! -x "$LEAKCHECK_VENV/bin/python" ]]; then
    python3 -m venv "$LEAKCHECK_VENV"
    "$LEAKCHECK_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    sha256sum "$req" | cut -d' ' -f1 >"$LEAKCHECK_VENV/.requirements.sha256"
fi
"$LEAKCHECK_VENV/bin/python" tests/conformance/check_dicomdir.py --cli "$LEAKCHECK_CLI" \
    --work "$ARTIFACTS/dicomdir"
