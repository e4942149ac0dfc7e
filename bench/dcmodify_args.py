"""dcmodify arguments that approximate the PS3.15 Basic Profile, from our generated Table E.1-1.

  python bench/dcmodify_args.py crates/core/src/rules/table_e1_1.rs -> one argument per line

dcmodify edits tags, not rules, so this is an approximation (docs/benchmark.md lists the gaps):
  X, X/Z, X/D, X/Z/D, X/Z/U*  ->  -ea TAG        removed at every nesting level (PS3.15 prefers
                                                 removal when the attribute is optional; dcmodify
                                                 cannot tell Type 1/2 from Type 3, so it always
                                                 removes, which can leave a Type 1 attribute out)
  Z, Z/D                      ->  -ma TAG=       emptied wherever it appears
  D                           ->  -ma TAG=DUMMY  a fixed dummy of the dictionary VR
  U (Study/Series/SOP Instance UID) -> -gst -gse -gin: new random UIDs per file; dcmodify has no
                                 consistent mapping, so files of one study no longer share a
                                 Study Instance UID and references to other UIDs are kept as is
  other U rows (references, frame of reference ...): untouched
  rows with a group mask ((50xx,xxxx) curves, (60xx,4000) overlay comments): skipped
  rows of group 0002 (file meta): skipped, dcmodify refuses to edit the meta header
  private elements                 ->  -ep (the Basic Profile removes them, E.3.10 not chosen)
"""

import re
import sys

from pydicom.datadict import dictionary_VR

# A dummy that every VR parser accepts (PS3.5 6.2 value formats).
DUMMY_BY_VR = {
    "DA": "19000101",
    "TM": "000000",
    "DT": "19000101000000",
    "PN": "ANONYMOUS",
    "LO": "ANONYMOUS",
    "SH": "ANONYMOUS",
    "LT": "ANONYMOUS",
    "ST": "ANONYMOUS",
    "UT": "ANONYMOUS",
    "UC": "ANONYMOUS",
    "CS": "ANONYMOUS",
    "AE": "ANONYMOUS",
    "AS": "000Y",
    "DS": "0",
    "IS": "0",
    "UI": "2.25.0",
}

ROW = re.compile(
    r'tag_text: "\((?P<g>[0-9A-Fa-fx]{4}),(?P<e>[0-9A-Fa-fx]{4})\)".*?basic: Action::(?P<a>\w+)',
    re.S,
)


def arguments(table_rs: str) -> list[str]:
    args = ["-nb", "-imt", "-ie", "-ep", "-gst", "-gse", "-gin"]
    seen = set()
    for m in ROW.finditer(table_rs):
        g, e, action = m["g"], m["e"], m["a"]
        if "x" in (g + e).lower():
            continue  # repeating groups: dcmodify takes exact tags only
        if g in ("0000", "0002"):
            continue  # dcmodify refuses to touch command/meta groups (and -ea would fail)
        tag = f"({g.upper()},{e.upper()})"
        if tag in seen:
            continue
        seen.add(tag)
        if action.startswith("X"):
            args += ["-ea", tag]
        elif action in ("Z", "ZD"):
            args += ["-ma", f"{tag}="]
        elif action == "D":
            try:
                vr = dictionary_VR(int(g + e, 16))
            except KeyError:
                vr = ""
            dummy = DUMMY_BY_VR.get(vr)
            # Sequences and binary VRs have no text dummy: remove instead (closest effect).
            args += ["-ma", f"{tag}={dummy}"] if dummy else ["-ea", tag]
        # U: handled by -gst/-gse/-gin above for the three instance UIDs; others untouched.
    return args


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print("\n".join(arguments(f.read())))
