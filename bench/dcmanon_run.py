"""Runs PyPI dcmanon (a library, no command line in its wheel) over a folder, in one process.

  python bench/dcmanon_run.py IN_DIR OUT_DIR

Default Anonymizer() settings (its built-in tag actions); one output file per input, same
name. A file it rejects is reported on stderr and the run goes on; exit 1 if any failed.
"""

import sys
from pathlib import Path

from dcmanon import Anonymizer


def main() -> int:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    anonymizer = Anonymizer()
    failed = 0
    for path in sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith(".")):
        try:
            data = anonymizer.anonymize(str(path))
        except Exception as e:  # noqa: BLE001 - any failure of the tool is a per-file failure
            failed += 1
            print(f"dcmanon: {path.name}: {e}", file=sys.stderr)
            continue
        (out / path.name).write_bytes(data)
    print(f"dcmanon: {failed} failed", file=sys.stderr)
    # Like the other tools: non-zero when a file failed, so the benchmark finds which.
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
