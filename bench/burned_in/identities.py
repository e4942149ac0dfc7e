"""Fake patients for the header, and the ways a viewer, PACS or ultrasound writes the same values
into the picture (often not as the header spells them).

Every value is made up. Each form function returns (text, how) where `how` names the written
form, so the ground truth can say e.g. that the ID was written without its dash.
"""
from dataclasses import dataclass

SURNAMES = ["DOE", "NGUYEN", "OKAFOR", "LINDQVIST", "MARTINEZ", "KOWALSKI", "HASHEMI", "OBRIEN",
            "FITZGERALD", "YAMAMOTO", "BRENNAN", "ACHTERBERG", "SILVA", "WOJCIK", "PETERSEN", "MOREAU"]
GIVEN = ["JANE", "JOHN", "AMARA", "LUKAS", "SOFIA", "ERIK", "PRIYA", "MATEO", "HELGA", "OMAR",
         "CLAIRE", "TOBIAS", "NADIA", "VIKTOR", "ROSA", "FELIX"]
MIDDLE = ["M", "A", "K", "L", "R", ""]
INSTITUTIONS = ["Riverside General Hospital", "St. Agnes Medical Center", "Northfield Imaging",
                "Lakeshore University Clinic", "Harbour View Radiology", "Mount Carrow Hospital",
                "Eastgate Children's Hospital", "Valley Diagnostic Centre"]
PHYSICIANS = ["SMITH^ALAN", "RAO^MEERA", "KLEIN^OTTO", "DUBOIS^ANNE", "PARK^MINJI", "WALSH^KEVIN"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Identity:
    family: str
    given: str
    middle: str
    patient_id: str          # as in the header, e.g. AB-12345
    birth: tuple             # (y, m, d)
    accession: str
    institution: str
    referring: str           # PN, e.g. SMITH^ALAN
    study: tuple             # (y, m, d)
    study_time: str          # HHMMSS
    sex: str

    @property
    def pn(self):
        return "^".join(p for p in (self.family, self.given, self.middle) if p)

    def header(self):
        """The header attributes (keyword -> value) the generated file carries."""
        return {
            "PatientName": self.pn,
            "PatientID": self.patient_id,
            "PatientBirthDate": "%04d%02d%02d" % self.birth,
            "PatientSex": self.sex,
            "AccessionNumber": self.accession,
            "InstitutionName": self.institution,
            "ReferringPhysicianName": self.referring,
            "StudyDate": "%04d%02d%02d" % self.study,
            "StudyTime": self.study_time,
        }


def make_identity(rng):
    pick = lambda xs: xs[int(rng.integers(len(xs)))]
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    kind = int(rng.integers(4))
    if kind == 0:
        pid = "%s%s-%05d" % (pick(letters), pick(letters), rng.integers(100000))
    elif kind == 1:
        pid = "%04d-%04d" % (rng.integers(10000), rng.integers(10000))
    elif kind == 2:
        pid = "MRN%07d" % rng.integers(10 ** 7)
    else:
        pid = "%08d" % rng.integers(10 ** 8)
    birth = (int(rng.integers(1930, 2015)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    study = (int(rng.integers(2008, 2026)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    return Identity(
        family=pick(SURNAMES), given=pick(GIVEN), middle=pick(MIDDLE), patient_id=pid, birth=birth,
        accession=pick(["A", "ACC", "RAD", ""]) + "%07d" % rng.integers(10 ** 7),
        institution=pick(INSTITUTIONS), referring=pick(PHYSICIANS), study=study,
        study_time="%02d%02d%02d" % (rng.integers(7, 20), rng.integers(60), rng.integers(60)),
        sex=pick(["F", "M"]))


# ---- written forms -------------------------------------------------------------------------
NAME_FORMS = ["caret", "comma", "given_first", "caret_middle", "space", "initial_family", "initials",
              "title_case_comma"]


def name_form(idt, form):
    f, g, m = idt.family, idt.given, idt.middle
    if form == "caret":
        return f"{f}^{g}"
    if form == "caret_middle":
        return idt.pn
    if form == "comma":
        return f"{f}, {g}"
    if form == "given_first":
        return f"{g} {f}"
    if form == "space":
        return f"{f} {g}"
    if form == "initial_family":
        return f"{g[0]}. {f}"
    if form == "initials":
        return f"{g[0]}{m[:1]}{f[0]}" if m else f"{g[0]}.{f[0]}."
    if form == "title_case_comma":
        return f"{f.title()}, {g.title()}"
    raise ValueError(form)


ID_FORMS = ["as_header", "no_separator", "spaced"]


def id_form(idt, form):
    pid = idt.patient_id
    if form == "as_header":
        return pid
    if form == "no_separator":
        return pid.replace("-", "")
    if form == "spaced":
        return pid.replace("-", " ") if "-" in pid else " ".join(pid[i:i + 4] for i in range(0, len(pid), 4))
    raise ValueError(form)


DATE_FORMS = ["dd_mon_yyyy", "dd/mm/yyyy", "mm/dd/yyyy", "iso", "dotted", "compact", "mon_d_yyyy"]


def date_form(ymd, form):
    y, m, d = ymd
    if form == "dd_mon_yyyy":
        return f"{d:02d} {MONTHS[m - 1]} {y}"
    if form == "dd/mm/yyyy":
        return f"{d:02d}/{m:02d}/{y}"
    if form == "mm/dd/yyyy":
        return f"{m}/{d}/{y}"
    if form == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    if form == "dotted":
        return f"{d:02d}.{m:02d}.{y}"
    if form == "compact":
        return f"{y}{m:02d}{d:02d}"
    if form == "mon_d_yyyy":
        return f"{MONTHS[m - 1]} {d}, {y}"
    raise ValueError(form)


def physician_form(idt):
    fam, given = (idt.referring.split("^") + [""])[:2]
    return f"{given.title()} {fam.title()}".strip()


def age(idt):
    return idt.study[0] - idt.birth[0] - ((idt.study[1], idt.study[2]) < (idt.birth[1], idt.birth[2]))
