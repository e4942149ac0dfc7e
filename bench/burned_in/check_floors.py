"""Fails when the burned-in text figures of the TUNE part drop below their floors.

    python check_floors.py [SCORE_JSON] [FLOORS_JSON]

SCORE_JSON is score.py's output (default test-artifacts/burned-in/score.json), FLOORS_JSON the
floors (default floors.json next to this file). The floors were set slightly below what the tune
part measured with the text reader (docs/benchmark.md has the table); the held-out part is never
used to set them. Each floor names a figure of `per_split.tune`: a fraction must stay at or above
its `min`, a count at or below its `max`. Exit 1 and one line per figure that dropped.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main() -> int:
    score_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "test-artifacts", "burned-in", "score.json")
    floors_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "floors.json")
    score = json.load(open(score_path))
    floors = json.load(open(floors_path))
    if not score.get("regions_have_text"):
        print("the score was made without the text reader (no region has \"text\"): "
              "set LEAKCHECK_OCR_MODELS (scripts/fetch-models.sh)")
        return 1
    tune = score["per_split"]["tune"]
    failed = []
    for name, floor in floors["tune"].items():
        value = tune.get(name)
        if isinstance(value, dict):
            value = value.get("fraction")
        if value is None:
            failed.append(f"{name}: not measured")
        elif "min" in floor and value < floor["min"]:
            failed.append(f"{name}: {value:.3f} < floor {floor['min']}")
        elif "max" in floor and value > floor["max"]:
            failed.append(f"{name}: {value} > ceiling {floor['max']}")
        else:
            print(f"ok {name}: {value if isinstance(value, int) else round(value, 3)} ({floor})")
    for line in failed:
        print(f"FAIL {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
