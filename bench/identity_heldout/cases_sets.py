"""Classes 11-14: DICOMDIR sets, identifying paths, batches, damaged files."""

from __future__ import annotations

import struct

from common import (Case, El, Patient, base_ct, base_sr, dd_image, dd_patient, dd_series,
                    dd_study, dicomdir_bytes, nfc, nfd)
from dcmenc import EXPLICIT_LE, IMPLICIT_LE, JPEG_BASELINE, file_bytes, uid


# ----------------------------------------------------------------------------- DICOMDIR

def fileset(c: Case, spec, fid, *, charset=None, ts=EXPLICIT_LE, undefined=False, sr_series=False,
            fileset_id="HELDOUT2", base="in"):
    """spec: list of (Patient, [n_series per study ...], n_images). fid(pi, sti, sei, ii) -> components."""
    pats = []
    n_inst = 0
    for pi, (p, studies, nimg) in enumerate(spec):
        prec = {"rec": dd_patient(p), "studies": []}
        for sti, nser in enumerate(studies):
            seed = "%s/p%d/st%d" % (c.id, pi, sti)
            st_uid = uid(seed, "study")
            srec = None
            series = []
            for sei in range(nser):
                is_sr = sr_series and sei == nser - 1
                ser_uid = uid(seed, "series", str(sei))
                imgs = []
                ds0 = None
                for ii in range(1 if is_sr else nimg):
                    if is_sr:
                        ds = base_sr(p, seed + "/sr", ["Report for the examination."], charset=charset)
                        ds.put(0x0020000D, "UI", st_uid)
                        ds.put(0x0020000E, "UI", ser_uid)
                        ds.put(0x00080018, "UI", uid(seed, "sr", str(sei)))
                        ds.put(0x00081030, "LO", "CT CHEST")
                        ds.put(0x00080030, "TM", "101500")
                    else:
                        ds = base_ct(p, seed, study_uid=st_uid, series_uid=ser_uid, inst=ii + 1,
                                     sop_uid=uid(seed, "sop", str(sei), str(ii)), charset=charset,
                                     study_date="2024%02d%02d" % (3 + sti, 10 + pi))
                        ds.put(0x00200011, "IS", str(sei + 1))
                    comps = fid(pi, sti, sei, ii)
                    rel = base + "/" + "/".join(comps)
                    c.file(rel, ds.bytes(ts), arg=False)
                    n_inst += 1
                    keys = dd_image(ds, comps, ts)
                    if is_sr:
                        g = ds.d
                        keys = keys[:4] + [g[0x00080023], g[0x00080033], g[0x0040A043], g[0x0040A491], g[0x0040A493]]
                        imgs.append({"type": "SR DOCUMENT", "keys": keys})
                    else:
                        imgs.append({"keys": keys})
                    ds0 = ds0 or ds
                if srec is None:
                    srec = dd_study(ds0)
                series.append({"rec": dd_series(ds0), "images": imgs})
            prec["studies"].append({"rec": srec, "series": series})
        pats.append(prec)
    c.file(base + "/DICOMDIR", dicomdir_bytes(pats, fileset_id, charset=charset,
                                              undefined_items=undefined, undefined_seq=undefined), arg=False)
    c.args.append(base)
    c.checks["dicomdir"] = {"patients": len(spec), "instances": n_inst}
    for p, _, _ in spec:
        fam = p.name.split("^")[0].split("=")[0]
        c.leak(fam, [], report=False)
        c.leak(p.pid, [], report=False)
    return c


def class11():
    out = []
    p = Patient("Jäätmaa^Külli", "EE-47011", "19470110", "F", charset="ISO_IR 100")
    c = Case("c11_one_patient_flat", 11, "one patient, one series of 3 images in one folder, Latin-1 name").who(p)
    out.append(fileset(c, [(p, [1], 3)], lambda pi, st, se, ii: ["IMAGES", "IM%06d" % (ii + 1)], charset="ISO_IR 100"))

    ps = [Patient("ACHTERBERG^FLOOR", "NL-51002", "19510222", "F"), Patient("BERGKAMP^DENNIS", "NL-69051", "19690510", "M")]
    c = Case("c11_two_patients", 11, "two patients, each one study with two series of two images, PT/ST/SE folders").who(ps[0])
    out.append(fileset(c, [(ps[0], [2], 2), (ps[1], [2], 2)],
                       lambda pi, st, se, ii: ["PT%06d" % pi, "ST%06d" % st, "SE%06d" % se, "IM%06d" % ii]))

    ps = [Patient("CARVALHO^ANA", "BR-3301", "19330101", "F"), Patient("DA SILVA^JOAO", "BR-4402", "19440202", "M"),
          Patient("EVANGELISTA^LUIZA", "BR-5503", "19550303", "F")]
    c = Case("c11_three_patients_eight_levels", 11, "three patients, several studies, file IDs eight components deep").who(ps[0])
    out.append(fileset(c, [(ps[0], [1, 1], 1), (ps[1], [2], 1), (ps[2], [1], 2)],
                       lambda pi, st, se, ii: ["DICOM", "A%d" % pi, "B%d" % st, "C%d" % se, "D", "E", "F", "I%d" % ii]))

    ps = [Patient("WOLFESCHLEGELSTEINHAUSEN-BERGERDORFF^HUBERTUS BLAINE ALEXANDER", "US-AAAAAAAAAA-0000000001", "19360615", "M", charset="ISO_IR 192"),
          Patient("司马^欧阳长空=SIMA^OUYANG CHANGKONG", "CN-11010119800101001X", "19800101", "M", charset="ISO_IR 192")]
    c = Case("c11_long_names_utf8", 11, "two patients with long names (a 64-character PN and a Chinese+Latin PN), long IDs, ISO_IR 192 DICOMDIR").who(ps[0])
    out.append(fileset(c, [(ps[0], [1], 2), (ps[1], [1], 2)],
                       lambda pi, st, se, ii: ["DATA", "P%d" % pi, "I%d" % ii], charset="ISO_IR 192"))
    c.leak("SIMA", [], report=False).leak("欧阳长空", [], report=False)

    p = Patient("FAGERLUND^SIRI", "NO-7707", "19770707", "F")
    c = Case("c11_undefined_length_records", 11, "directory record sequence and items with undefined length (as many CD writers do)").who(p)
    out.append(fileset(c, [(p, [1], 3)], lambda pi, st, se, ii: ["DIR000", "IMG%05d" % ii], undefined=True))

    p = Patient("GALLAGHER^NIAMH", "IE-8801", "19880808", "F")
    c = Case("c11_images_and_sr", 11, "one patient: an image series and an SR series (SR DOCUMENT record)").who(p)
    out.append(fileset(c, [(p, [2], 2)], lambda pi, st, se, ii: ["S%d" % se, "F%d" % ii], sr_series=True))

    p = Patient("Hämäläinen^Eero", "FI-6106", "19610606", "M", charset="ISO_IR 100")
    c = Case("c11_two_studies_one_patient", 11, "one patient with two studies of one and two series, ISO_IR 100").who(p)
    out.append(fileset(c, [(p, [1, 2], 2)], lambda pi, st, se, ii: ["ST%d" % st, "SE%d" % se, "IM%d" % ii], charset="ISO_IR 100"))

    p = Patient("HUBER^ANDREA", "CH-7802", "19780202", "F")
    c = Case("c11_identifying_folders", 11, "DICOMDIR whose file IDs carry the patient's name and ID (HUBER_AN/CH7802)").who(p)
    out.append(fileset(c, [(p, [1], 2)], lambda pi, st, se, ii: ["HUBER_AN", "CH7802", "IM%d" % ii]))
    c.leak("CH7802", [], report=False).leak("HUBER_AN", [], report=False)

    p = Patient("IKEDA^SHOTA", "JP-9909", "19990909", "M")
    c = Case("c11_implicit_vr_files", 11, "DICOMDIR referencing Implicit VR Little Endian files").who(p)
    out.append(fileset(c, [(p, [1], 2)], lambda pi, st, se, ii: ["IMG", "I%03d" % ii], ts=IMPLICIT_LE))
    return out


# ----------------------------------------------------------------------------- paths

def path_case(cid, title, p, rels, args, needles, *, expect=None, flags=None):
    c = Case(cid, 12, title).who(p)
    for i, rel in enumerate(rels):
        d = base_ct(p, cid, inst=i + 1)
        c.file(rel, d.bytes(), arg=False)
    c.args = args
    for n in needles:
        c.leak(n, [], report=False)
    c.checks["paths"] = {"count": len(rels)}
    if expect is not None:
        c.checks["paths"]["expect"] = expect
    if flags:
        c.extra_flags = flags
    return c


def class12():
    out = []
    p = Patient("KOWALSKI^JAN", "PL-2201", "19620301", "M")
    out.append(path_case("c12_folder_family_given", "folder named FAMILY_GIVEN with a study subfolder, folder argument",
                         p, ["in/KOWALSKI_JAN/CT_20240105/IM0001.dcm", "in/KOWALSKI_JAN/CT_20240105/IM0002.dcm"], ["in"], ["KOWALSKI"]))
    p = Patient("ARNOLD^BEA", "4471203", "19700808", "F")
    out.append(path_case("c12_id_in_file_name_file_argument", "file named after the Patient ID, passed as a file argument",
                         p, ["in/4471203_CHEST.dcm"], ["in/4471203_CHEST.dcm"], ["4471203"]))
    p = Patient("Weiß^Dörte", "DE-5531", "19531224", "F", charset="ISO_IR 100")
    out.append(path_case("c12_utf8_folder_with_comma", "UTF-8 folder 'Weiß, Dörte' (NFC), folder argument",
                         p, ["in/Weiß, Dörte/IM1.dcm"], ["in"], ["WEISS", "WEIß", "DÖRTE"]))
    p = Patient(nfc("Sjöström^Åsa"), "SE-6644", "19640404", "F", charset="ISO_IR 100")
    out.append(path_case("c12_nfd_folder", "NFD (decomposed, as macOS writes) folder 'Sjöström Åsa', folder argument",
                         p, ["in/" + nfd("Sjöström Åsa") + "/SE1/IM1.dcm"], ["in"], ["SJÖSTRÖM"]))
    p = Patient("王^小明", "CN-2031", "19920101", "M", charset="ISO_IR 192")
    out.append(path_case("c12_chinese_folder", "Chinese folder name (王小明_胸部CT), folder argument",
                         p, ["in/王小明_胸部CT/IM1.dcm"], ["in"], ["王小明"]))
    p = Patient("HOLT^GRETA", "US-3014", "19610314", "F")
    out.append(path_case("c12_birth_date_folder", "folder named after the birth date (Patient_1961-03-14)",
                         p, ["in/Patient_1961-03-14/IM1.dcm"], ["in"], ["1961-03-14"]))
    p = Patient("APPLESEED^JOHNNY", "US-7777", "19741010", "M")
    out.append(path_case("c12_lowercase_dotted_file_name", "lower-case dotted file name (johnny.appleseed.ct.dcm) in a folder argument",
                         p, ["in/scans/johnny.appleseed.ct.dcm"], ["in/scans"], ["APPLESEED"]))
    p = Patient("Brühl^René", "DE-8821", "19880201", "M", charset="ISO_IR 100")
    rel = "in/" + b"Br\xfchl_Ren\xe9.dcm".decode("utf-8", "surrogateescape")
    c = path_case("c12_latin1_file_name_bytes", "file name in Latin-1 bytes (not valid UTF-8): Br\\xfchl_Ren\\xe9.dcm",
                  p, [rel], ["in"], ["BRÜHL", "BRUHL"])
    c.needles.append({"text": "Br\\xfchl", "raw_bytes_hex": b"Br\xfchl".hex(), "report_paths": [], "word": False,
                      "nospace": False, "scope": "all", "file": None, "report": False, "report_any": False})
    out.append(c)
    p = Patient("SCHMIDT^KARL", "DE-4410", "19441010", "M")
    out.append(path_case("c12_name_below_named_argument", "argument folder named after the patient, with a sub-folder named again (Karl Schmidt CT)",
                         p, ["in/SCHMIDT Karl/Karl Schmidt CT/IM1.dcm"], ["in/SCHMIDT Karl"], ["SCHMIDT"]))
    p = Patient("NEUTRAL^CASE", "NT-0001", "19800101", "F")
    c = path_case("c12_keep_paths_opt_out", "--keep-paths keeps the folder layout (opt-out of neutral paths)",
                  p, ["in/CASE_A/SERIES_2/IM7.dcm"], ["in"], [], expect=["CASE_A/SERIES_2/IM7.dcm"], flags=["--keep-paths"])
    c.kind = "function"
    out.append(c)
    return out


# ----------------------------------------------------------------------------- batches

def good(c, rel, p, inst, arg=False, ts=EXPLICIT_LE, **kw):
    d = base_ct(p, c.id, inst=inst)
    c.file(rel, d.bytes(ts, **kw), arg=arg)
    return d


def class13():
    out = []
    p = Patient("LAURENT^MANON", "FR-1301", "19910101", "F")
    c = Case("c13_unreadable_among_good", 13, "3 good files and one cut inside its file meta group, folder argument").who(p)
    for i in range(3):
        good(c, "in/IM%d.dcm" % (i + 1), p, i + 1)
    bad = base_ct(p, c.id, inst=9).bytes()
    c.file("in/IM4.dcm", bad[:150], arg=False)
    c.args = ["in"]
    c.checks["batch"] = {"outputs": 3, "bad": ["IM4.dcm"]}
    out.append(c.leak("LAURENT", [], report=False))

    p = Patient("MBAPPE^ROSE", "FR-1302", "19920202", "F")
    c = Case("c13_empty_among_good", 13, "2 good files and one empty .dcm file").who(p)
    for i in range(2):
        good(c, "in/IM%d.dcm" % (i + 1), p, i + 1)
    c.file("in/IM0.dcm", b"", arg=False)
    c.args = ["in"]
    c.checks["batch"] = {"outputs": 2, "bad": ["IM0.dcm"]}
    out.append(c.leak("MBAPPE", [], report=False))

    p = Patient("NILSEN^ARNE", "NO-1303", "19530303", "M")
    c = Case("c13_same_file_twice", 13, "the same file given twice on the command line").who(p)
    good(c, "in/IM1.dcm", p, 1)
    c.args = ["in/IM1.dcm", "in/IM1.dcm"]
    c.checks["batch"] = {"outputs": 1, "unique_inputs": 1}
    out.append(c.leak("NILSEN", [], report=False))

    p = Patient("OLSEN^BRITT", "DK-1304", "19640404", "F")
    c = Case("c13_folder_and_file_inside", 13, "a folder and a file inside it given together").who(p)
    good(c, "in/IM1.dcm", p, 1)
    good(c, "in/sub/IM2.dcm", p, 2)
    c.args = ["in", "in/sub/IM2.dcm"]
    c.checks["batch"] = {"outputs": 2, "unique_inputs": 2}
    out.append(c.leak("OLSEN", [], report=False))

    p = Patient("PETERSEN^CARL", "DK-1305", "19550505", "M")
    c = Case("c13_dot_segments", 13, "one file named three ways (plain, with ./ and with sub/..)").who(p)
    good(c, "in/IM1.dcm", p, 1)
    c.dirs.append("in/sub")
    c.args = ["in/IM1.dcm", "in/./IM1.dcm", "in/sub/../IM1.dcm"]
    c.checks["batch"] = {"outputs": 1, "unique_inputs": 1}
    out.append(c.leak("PETERSEN", [], report=False))

    p = Patient("QUINTERO^DORA", "CO-1306", "19660606", "F")
    c = Case("c13_same_base_name_two_folders", 13, "two different files with the same base name in two folders, given as file arguments").who(p)
    good(c, "in/a/IM1.dcm", p, 1)
    good(c, "in/b/IM1.dcm", p, 2)
    c.args = ["in/a/IM1.dcm", "in/b/IM1.dcm"]
    c.checks["batch"] = {"outputs": 2, "unique_inputs": 2, "distinct_outputs": True}
    out.append(c.leak("QUINTERO", [], report=False))

    p = Patient("RASMUSSEN^EVA", "DK-1307", "19770707", "F")
    c = Case("c13_non_dicom_with_phi", 13, "a non-DICOM text note ending in .dcm, naming another patient, among good files: never copied").who(p)
    good(c, "in/IM1.dcm", p, 1)
    c.file("in/notes.dcm", b"Patient: KAMINSKI Olga, DOB 1959-01-01, MRN PL-5901\n", arg=False)
    c.args = ["in"]
    c.checks["batch"] = {"outputs": 1}
    out.append(c.leak("RASMUSSEN", [], report=False).leak("KAMINSKI", [], report=False))

    p = Patient("SALO^FIONA", "FI-1308", "19880808", "F")
    c = Case("c13_broken_symlink", 13, "a dangling symbolic link among good files").who(p)
    good(c, "in/IM1.dcm", p, 1)
    good(c, "in/IM3.dcm", p, 3)
    c.symlinks["in/IM2.dcm"] = "../missing/IM2.dcm"
    c.args = ["in"]
    c.checks["batch"] = {"outputs": 2, "bad": ["IM2.dcm"]}
    out.append(c.leak("SALO", [], report=False, word=True))

    p = Patient("TORRES^GEMA", "ES-1309", "19990909", "F")
    c = Case("c13_overlapping_folders", 13, "a folder and its sub-folder given together").who(p)
    good(c, "in/sub/IM1.dcm", p, 1)
    good(c, "in/sub/IM2.dcm", p, 2)
    c.args = ["in", "in/sub"]
    c.checks["batch"] = {"outputs": 2, "unique_inputs": 2}
    out.append(c.leak("TORRES", [], report=False))

    p = Patient("UDDIN^HASAN", "BD-1310", "19501010", "M")
    c = Case("c13_no_meta_among_good", 13, "a file without preamble and file meta group (Implicit VR) among good files: must be cleaned too").who(p)
    good(c, "in/IM1.dcm", p, 1)
    good(c, "in/IM2.dcm", p, 2)
    good(c, "in/IM3", p, 3, ts=IMPLICIT_LE, preamble=False, with_meta=False)
    c.args = ["in"]
    c.checks["batch"] = {"outputs": 3}
    c.validate = False
    out.append(c.leak("UDDIN", [], report=False))
    return out


# ----------------------------------------------------------------------------- damaged

def encapsulated(p, seed):
    d = base_ct(p, seed)
    d.drop(0x7FE00010)
    return d


def encap_pixels(little=True):
    frag = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(0x20)) * 12 + b"\xff\xd9"
    if len(frag) % 2:
        frag += b"\0"
    items = struct.pack("<HHI", 0xFFFE, 0xE000, 0) + struct.pack("<HHI", 0xFFFE, 0xE000, len(frag)) + frag
    return struct.pack("<HH", 0x7FE0, 0x0010) + b"OB\0\0" + struct.pack("<I", 0xFFFFFFFF) + items + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)


def damaged(cid, title, p, data, *, extra_good=0, needles=None):
    c = Case(cid, 14, title, validate=False).who(p)
    for i in range(extra_good):
        good(c, "in/GOOD%d.dcm" % (i + 1), p, 10 + i)
    c.file("in/DAMAGED.dcm", data, arg=False)
    c.args = ["in"] if extra_good else ["in/DAMAGED.dcm"]
    c.checks["damaged"] = {"file": "in/DAMAGED.dcm", "good_outputs": extra_good}
    fam = p.name.split("^")[0]
    for n in needles or [fam, p.pid]:
        c.leak(n, [], report_any=True, file="in/DAMAGED.dcm")
    return c


def class14():
    out = []
    p = Patient("ABERNETHY^CLARA", "UK-1401", "19410101", "F")
    b = base_ct(p, "c14a").bytes()
    out.append(damaged("c14_cut_in_pixels_explicit", "Explicit VR LE file cut 40 bytes before the end of its Pixel Data", p, b[:-40]))

    p = Patient("BRENNAN^DECLAN", "IE-1402", "19520202", "M")
    b = base_ct(p, "c14b").bytes(IMPLICIT_LE)
    out.append(damaged("c14_cut_in_pixels_implicit", "Implicit VR LE file cut in the middle of its Pixel Data", p, b[:-64]))

    p = Patient("CASTILLO^ELENA", "MX-1403", "19630303", "F")
    d = encapsulated(p, "c14c")
    body = file_bytes(d.els(), JPEG_BASELINE)
    data = body + encap_pixels()
    out.append(damaged("c14_cut_in_encapsulated_fragment", "JPEG Baseline file cut inside its first pixel fragment", p, data[:-150]))

    p = Patient("DUNCAN^FIONA", "UK-1404", "19740404", "F")
    d = base_sr(p, "c14d", ["Findings: " + "stable nodule, no change. " * 20, "Impression: benign."])
    b = d.bytes()
    out.append(damaged("c14_cut_in_sequence", "SR cut inside the Content Sequence (in a TEXT item)", p, b[:len(b) - 300]))

    p = Patient("EKSTROM^GUSTAV", "SE-1405", "19850505", "M")
    d = base_ct(p, "c14e")
    d.put(0x001021B0, "LT", "History: " + "chronic cough, smoker 30 pack-years; " * 60)
    b = d.bytes()
    i = b.find(b"chronic cough") + 900
    out.append(damaged("c14_cut_in_long_text", "file cut inside a long Additional Patient History (LT), after the patient module", p, b[:i]))

    p = Patient("FONSECA^HELENA", "PT-1406", "19960606", "F")
    d = base_ct(p, "c14f")
    d.put(0x00204000, "LT", "ok", raw_len=0xFFF0)
    b = d.bytes()
    out.append(damaged("c14_lying_length", "Image Comments declares 65520 bytes but holds 2 (a length that lies), after the patient module", p, b))

    p = Patient("GUERRERO^IVAN", "ES-1407", "19470707", "M")
    b = base_ct(p, "c14g").bytes()
    out.append(damaged("c14_cut_in_batch", "a file cut in its Pixel Data among 2 good ones (folder argument)", p, b[:-30], extra_good=2))

    p = Patient("HAUG^JORUNN", "NO-1408", "19580808", "F")
    d = base_ct(p, "c14h")
    d.drop(0x7FE00010)
    d.add(El(0x00400275, "SQ", [[El(0x00400007, "LO", "FOLLOW UP"), El(0x00400009, "SH", "SPS7")]], undefined=True, item_undefined=True))
    b = d.bytes()
    cut = b.rfind(b"SPS7") + 4
    out.append(damaged("c14_cut_in_undefined_sequence", "file ends inside an undefined-length sequence (no delimiters)", p, b[:cut]))

    p = Patient("Jürgensen^Liv", "DK-1410", "19801010", "F", charset="ISO_IR 100")
    b = base_ct(p, "c14j").bytes()
    i = b.find(b"DK-1410") + 8
    out.append(damaged("c14_cut_after_patient_id", "Latin-1 file cut 3 bytes into the element header after Patient ID", p, b[:i + 3],
                       needles=["JÜRGENSEN", "DK-1410"]))
    return out
