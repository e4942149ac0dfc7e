"""What text goes where: the layout templates, each belonging to one split.

A template is data: blocks of lines at anchors. A line is a list of (kind, label) fields drawn as
ONE string (one ground-truth box), e.g. [("label", "Name: "), ("name", None)] -> "Name: DOE^JANE".
Field kinds that show a header attribute:
    name -> PatientName, id -> PatientID, dob -> PatientBirthDate, acc -> AccessionNumber,
    inst -> InstitutionName, ref -> ReferringPhysicianName, date / datetime -> StudyDate
Other kinds (label, sex, age, free text such as "WL 40 WW 400") identify nobody on their own.

The held-out templates use other labels, other corners and other line shapes than the tuning
ones, so a finder tuned on "Name:" blocks at the top left is not rewarded for memorising them.
"""

ATTR = {"name": "PatientName", "id": "PatientID", "dob": "PatientBirthDate", "acc": "AccessionNumber",
        "inst": "InstitutionName", "ref": "ReferringPhysicianName", "date": "StudyDate",
        "datetime": "StudyDate"}

L = lambda s: ("label", s)
F = lambda k: (k, None)

# ---- corner label-value blocks (CT, MR, CR, DX exports) ------------------------------------
CORNER_TEMPLATES = {
    "tune": {
        "viewer_labels": {   # a workstation export: "Label: value" lines in the four corners
            "tl": [[L("Name: "), F("name")], [L("Patient ID: "), F("id")], [L("DOB: "), F("dob")],
                   [L("Sex: "), F("sex")]],
            "tr": [[L("Institution Name: "), F("inst")], [L("Acc: "), F("acc")],
                   [L("Study Date: "), F("date")], [L("Ref. Phys: "), F("ref")]],
            "bl": [[F("wlww")], [F("seim")]],
            "br": [[F("scale")]],
        },
        "viewer_values": {   # values without labels, as many PACS print them
            "tl": [[F("name")], [F("id")], [F("dob")]],
            "tr": [[F("inst")], [F("datetime")]],
            "bl": [[F("kvmas")]],
            "br": [[F("orient")]],
        },
    },
    "heldout": {
        "pacs_short_labels": {
            "tl": [[L("Pt: "), F("name")], [L("MRN: "), F("id")], [L("Born: "), F("dob"), F("agesex")]],
            "br": [[F("inst")], [L("Acc#: "), F("acc")], [L("Exam: "), F("date")], [L("Referrer: "), F("ref")]],
            "tr": [[F("zoom")], [F("cw")]],
            "bl": [[F("orient")]],
        },
        "pacs_one_line": {   # everything on one line, then the site in the other corner
            "tl": [[F("name"), L("  "), F("id"), L("  "), F("dob")]],
            "bl": [[F("inst"), L(" - "), F("datetime")], [L("Acc "), F("acc")]],
            "tr": [[F("thk")]],
        },
    },
}

# ---- ultrasound top banners ----------------------------------------------------------------
# Each banner row is a list of (anchor, line): anchor l, c or r across the banner's width.
BANNER_TEMPLATES = {
    "tune": {
        "two_rows": [
            [("l", [F("name")]), ("c", [F("id")]), ("r", [F("inst")])],
            [("l", [L("DOB: "), F("dob")]), ("r", [F("datetime")])],
        ],
        "left_column": [
            [("l", [F("inst")])],
            [("l", [F("name")]), ("r", [F("datetime")])],
            [("l", [F("id")])],
        ],
    },
    "heldout": {
        "one_row_ids": [
            [("l", [F("name")]), ("c", [L("ID:"), F("id")]), ("r", [L("DOB:"), F("dob")])],
        ],
        "labelled_row": [
            [("l", [L("Patient: "), F("name")]), ("r", [F("inst")])],
            [("l", [L("Acc "), F("acc")]), ("c", [F("date")]), ("r", [L("Ref: "), F("ref")])],
        ],
    },
}

# ---- secondary-capture screenshots -------------------------------------------------------
# A screenshot is a canvas with a viewport (the image) and text around and over it.
SCREENSHOT_TEMPLATES = {
    "tune": {
        "dark_viewer": {
            "canvas": (20, 20, 24), "bar": (48, 48, 64),
            "bar_lines": [[F("name")], [F("id")], [L("DOB "), F("dob")], [F("sex")]],
            "overlay": {"tl": [[F("name")], [F("id")]], "tr": [[F("inst")], [F("date")]],
                        "bl": [[F("wlww")]], "br": [[F("scale")]]},
            "status": [[F("inst")], [L("Acc: "), F("acc")]],
            "colours": ["white", "yellow", "green", "cyan", "orange"],
        },
    },
    "heldout": {
        "light_report": {
            "canvas": (236, 236, 232), "panel": (250, 250, 250),
            "table": [("Patient", [F("name")]), ("ID", [F("id")]), ("Birth date", [F("dob")]),
                      ("Accession", [F("acc")]), ("Institution", [F("inst")]), ("Referring", [F("ref")]),
                      ("Exam date", [F("date")])],
            "overlay": {"bl": [[F("datetime")]], "tr": [[F("orient")]]},
            "colours": ["black", "darkblue", "darkred", "grey"],
        },
    },
}

# Non-identifying text only: what a clean export may legitimately show.
NONIDENT_TEMPLATES = {
    "tune": {"tl": [[F("orient")]], "bl": [[F("wlww")], [F("seim")]], "br": [[F("scale")]]},
    "heldout": {"tr": [[F("zoom")], [F("cw")]], "bl": [[F("thk")]], "br": [[F("orient")]]},
}
