"""Classes 1-5: names, short/CJK parts, IDs and birth dates written differently, and birth
dates in date elements outside Table E.1-1."""

from __future__ import annotations

from common import (Case, DS, El, Patient, base_ct, base_sr, code_item, private_block,
                    tagpath)
from dcmenc import IMPLICIT_LE, EXPLICIT_BE

CD = ["clean-descriptors"]
CSC = ["clean-structured-content"]
RSP = ["retain-safe-private"]

STUDY_DESC = 0x00081030
SERIES_DESC = 0x0008103E
IMAGE_COMMENTS = 0x00204000
PROTOCOL = 0x00181030
ADD_HISTORY = 0x001021B0
WCW_EXPL = 0x00281055
PROC_CODE_SEQ = 0x00081032
ANAT_SEQ = 0x00082218
PERF_PROTO_SEQ = 0x00400260
CODE_VALUE = 0x00080100
CODE_MEANING = 0x00080104
CONTENT_SEQ = 0x0040A730
TEXT_VALUE = 0x0040A160
REQ_ATTR_SEQ = 0x00400275
SPS_DESC = 0x00400007


def f1(c: Case, d: DS, name="in/IM0001.dcm", ts=None):
    c.file(name, d.bytes(ts) if ts else d.bytes())
    return name


def ct_text(cid, cls, title, p, tag, text, *, options=CD, vr="LO", kind="leak"):
    c = Case(cid, cls, title, options=options, kind=kind).who(p)
    d = base_ct(p, cid)
    d.put(tag, vr, text)
    f1(c, d)
    return c


def ct_code(cid, cls, title, p, seq_tag, value, meaning, *, options=(), scheme="99HELD"):
    c = Case(cid, cls, title, options=options).who(p)
    d = base_ct(p, cid)
    d.put(seq_tag, "SQ", [code_item(value, scheme, meaning)])
    f1(c, d)
    return c


def sr_text(cid, cls, title, p, text, *, options=CSC, charset=None):
    c = Case(cid, cls, title, options=options).who(p)
    d = base_sr(p, cid, ["No acute findings.", text], charset=charset)
    f1(c, d)
    return c


TV2 = tagpath(CONTENT_SEQ, 1, TEXT_VALUE)


def class1():
    out = []
    p = Patient("NOWAKOWSKA^AGNIESZKA", "PL-408812", "19720419", "F")
    c = ct_code("c01_glued_prefix_codemeaning", 1, "family name glued after a Polish word in a procedure CodeMeaning (kept by default)",
                p, PROC_CODE_SEQ, "CTKL", "KONTROLANOWAKOWSKA TK KLATKI")
    out.append(c.leak("NOWAKOWSKA", [tagpath(PROC_CODE_SEQ, 0, CODE_MEANING)]).keep("TK KLATKI", tagpath(PROC_CODE_SEQ, 0, CODE_MEANING)))

    p = Patient("Łukasiewicz^Bartłomiej", "LK 55021", "19660102", "M", charset="ISO_IR 101")
    c = ct_text("c01_glued_digits_latin2", 1, "Latin-2 family name glued to a year and a word in Image Comments (ISO_IR 101)",
                p, IMAGE_COMMENTS, "Łukasiewicz2024kontrola", vr="LT")
    out.append(c.leak("Łukasiewicz", [tagpath(IMAGE_COMMENTS)]))

    p = Patient("Müller^Hannelore", "DE7781203", "19590228", "F", charset="ISO_IR 100")
    c = ct_text("c01_camelcase_wcw", 1, "CamelCase name glued in Window Center & Width Explanation (kept by default)",
                p, WCW_EXPL, "LungeMüllerHannelore", options=())
    out.append(c.leak("MÜLLER", [tagpath(WCW_EXPL)]).leak("HANNELORE", [tagpath(WCW_EXPL)]))

    p = Patient("van der Berg^Pieter", "NL0047719", "19510330", "M")
    c = Case("c01_compound_glued_safe_ob", 1, "compound name with its spaces dropped, glued, inside a safe private OB (Philips DD 097 Volume Mask Data)",
             options=RSP).who(p)
    d = base_ct(p, c.id)
    private_block(d, 0x2001, 0x10, "Philips Imaging DD 097",
                  [(0x2F, "OB", b"\x01\x00\x02\x00VOLMASK:PIETERVANDERBERG\x00\x00\x10\x20")])
    f1(c, d)
    out.append(c.leak("VANDERBERG", ["(2001,102F)"]).leak("PIETERVANDERBERG", ["(2001,102F)"]))

    p = Patient("TANAKA^HIROSHI", "JP-0093312", "19700101", "M")
    c = Case("c01_glued_kv_safe_ob_sc2000", 1, "family+given glued after 'pt=' in a key=value blob in SIEMENS SC2000 Visualization Information (safe OB)",
             options=RSP).who(p)
    d = base_ct(p, c.id)
    private_block(d, 0x0129, 0x10, "SIEMENS Ultrasound SC2000",
                  [(0x08, "OB", b"layout=3;user=RAD;pt=TANAKAHIROSHI;zoom=1.5;\x00\x00")])
    f1(c, d)
    out.append(c.leak("TANAKAHIROSHI", ["(0129,1008)"]).leak("TANAKA", ["(0129,1008)"]))

    p = Patient("O'BRIEN^SEAMUS", "IE-2230441", "19490817", "M")
    c = sr_text("c01_apostrophe_dropped_glued_sr", 1, "O'Brien written without apostrophe and glued to the given name in an SR TEXT value",
                p, "Compared with prior exam of OBRIENSEAMUS from 2019.")
    out.append(c.leak("OBRIENSEAMUS", [TV2]).leak("SEAMUS", [TV2]))

    p = Patient("PERSSON-LINDQVIST^ELSA", "SE-19620101-4471", "19620101", "F")
    c = ct_code("c01_hyphenated_glued_anatomic", 1, "hyphenated double family name written glued in an Anatomic Region CodeMeaning",
                p, ANAT_SEQ, "T-D3000", "ChestPERSSONLINDQVIST")
    out.append(c.leak("PERSSONLINDQVIST", [tagpath(ANAT_SEQ, 0, CODE_MEANING)]).leak("LINDQVIST", [tagpath(ANAT_SEQ, 0, CODE_MEANING)]))

    p = Patient("Ó Súilleabháin^Siobhán", "IE-4471", "19770623", "F", charset="ISO_IR 100")
    c = ct_text("c01_irish_prefix_glued", 1, "Irish name with Ó prefix written glued (ÓSÚILLEABHÁIN) in Image Comments, ISO_IR 100",
                p, IMAGE_COMMENTS, "Athbhreithniú ÓSÚILLEABHÁINSIOBHÁN", vr="LT")
    out.append(c.leak("SÚILLEABHÁIN", [tagpath(IMAGE_COMMENTS)]).leak("SIOBHÁN", [tagpath(IMAGE_COMMENTS)]))

    # controls
    p = Patient("CHAN^KAI", "HK-884201", "19810304", "M")
    c = ct_text("c01_control_chan_kai", 1, "CONTROL: CHAN and KAI inside ordinary words (CHANNEL, MECHANICAL, KAISER) must survive",
                p, STUDY_DESC, "4 CHANNEL MECHANICAL KAISER PROTOCOL", kind="control")
    out.append(c.keep("4 CHANNEL MECHANICAL KAISER PROTOCOL", tagpath(STUDY_DESC)))

    p = Patient("HALL^AMOS", "US-55100327", "19680910", "M")
    c = ct_code("c01_control_hallux", 1, "CONTROL: family name HALL inside HALLUX (anatomy) must survive",
                p, ANAT_SEQ, "T-D9710", "HALLUX VALGUS")
    c.kind = "control"
    out.append(c.keep("HALLUX VALGUS", tagpath(ANAT_SEQ, 0, CODE_MEANING)))
    return out


def class2():
    out = []
    p = Patient("NG^KAH WAI", "SG-S8812345D", "19760218", "M")
    c = ct_text("c02_ng_with_title", 2, "two-letter family name after a title (Mr Ng) in Image Comments",
                p, IMAGE_COMMENTS, "Mr Ng to return in 6 weeks", vr="LT")
    out.append(c.leak("MR NG", [tagpath(IMAGE_COMMENTS)], word=True, scope="host"))

    p = Patient("LI^NA", "CN-7720051", "19850119", "F")
    c = ct_text("c02_li_na_mixed_case", 2, "both name parts of two letters, mixed case, in Study Description",
                p, STUDY_DESC, "Li Na follow up")
    out.append(c.leak("LI NA", [tagpath(STUDY_DESC)], word=True, scope="host").leak("LI", [tagpath(STUDY_DESC)], word=True, scope="host"))

    p = Patient("O^HYE-JIN", "KR-8801012", "19880101", "F")
    c = ct_text("c02_korean_o_label", 2, "one-letter family name O after a label (Patient: O) in Image Comments",
                p, IMAGE_COMMENTS, "Patient: O / rescan requested", vr="LT")
    out.append(c.leak("PATIENT: O", [tagpath(IMAGE_COMMENTS)], word=True, scope="host"))

    p = Patient("Võ^Thị Mai", "VN-079188", "19920305", "F", charset="ISO_IR 192")
    c = ct_text("c02_vietnamese_short", 2, "Vietnamese two-letter family name with a tilde (Võ Thị Mai) in Image Comments, UTF-8",
                p, IMAGE_COMMENTS, "BN Võ Thị Mai tái khám", vr="LT")
    out.append(c.leak("VÕ THỊ MAI", [tagpath(IMAGE_COMMENTS)], word=True, scope="host").leak("VÕ", [tagpath(IMAGE_COMMENTS)], word=True, scope="host"))

    p = Patient("佐々木^美咲", "JP-3308812", "19870812", "F", charset=["", "ISO 2022 IR 87"])
    c = ct_text("c02_japanese_nospace_iso2022", 2, "Japanese name with 々 written without a space, honorific glued (佐々木美咲さん), ISO 2022 IR 87",
                p, IMAGE_COMMENTS, "佐々木美咲さん 経過観察", vr="LT")
    out.append(c.leak("佐々木美咲", [tagpath(IMAGE_COMMENTS)], nospace=True).leak("佐々木", [tagpath(IMAGE_COMMENTS)]))

    p = Patient("欧阳^娜娜", "CN-4401061990", "19900915", "F", charset="GB18030")
    c = ct_text("c02_chinese_split_elsewhere_gb18030", 2, "two-character family name split in the wrong place (欧 阳娜娜), GB18030",
                p, STUDY_DESC, "欧 阳娜娜 复查")
    out.append(c.leak("欧阳娜娜", [tagpath(STUDY_DESC)], nospace=True))

    p = Patient("王^芳", "CN-1101011", "19650301", "F", charset="ISO_IR 192")
    c = ct_text("c02_chinese_one_plus_one", 2, "one-character family and given name glued inside a Chinese sentence (患者王芳，女)",
                p, IMAGE_COMMENTS, "患者王芳，女，复查", vr="LT")
    out.append(c.leak("王芳", [tagpath(IMAGE_COMMENTS)], nospace=True).leak("芳", [tagpath(IMAGE_COMMENTS)], scope="host"))

    p = Patient("CHAN^TAI MAN=陳^大文", "HK-A1234563", "19580808", "M", charset="ISO_IR 192")
    c = ct_text("c02_ideographic_group_only", 2, "only the ideographic component of the PN (陳大文) repeated, glued, in Study Description",
                p, STUDY_DESC, "陳大文覆診 CT")
    out.append(c.leak("陳大文", [tagpath(STUDY_DESC)], nospace=True))

    p = Patient("ﾔﾏﾀﾞ^ﾊﾅｺ", "JP-77120", "19750125", "F", charset=["ISO 2022 IR 13", "ISO 2022 IR 87"])
    c = ct_text("c02_katakana_halfwidth_vs_fullwidth", 2, "half-width katakana PN (ﾔﾏﾀﾞ^ﾊﾅｺ, JIS X 0201) repeated in full width with no separator (ヤマダハナコ, JIS X 0208)",
                p, IMAGE_COMMENTS, "ヤマダハナコ 再検", vr="LT")
    out.append(c.leak("ヤマダハナコ", [tagpath(IMAGE_COMMENTS)], nospace=True))

    # controls
    p = Patient("LI^JUN", "CN-5512003", "19790611", "M")
    c = ct_text("c02_control_li_jun_in_words", 2, "CONTROL: LI and JUN inside CLINICAL, LINAC, JUNE must survive",
                p, STUDY_DESC, "CLINICAL LINAC QA JUNE", kind="control")
    out.append(c.keep("CLINICAL LINAC QA JUNE", tagpath(STUDY_DESC)))

    p = Patient("O^SEO-YEON", "KR-0011223", "19950203", "F")
    c = ct_text("c02_control_type_o", 2, "CONTROL: a lone O that is a blood group (TYPE O NEG) must survive",
                p, IMAGE_COMMENTS, "Donor blood TYPE O NEG", vr="LT", kind="control")
    out.append(c.keep("TYPE O NEG", tagpath(IMAGE_COMMENTS)))

    p = Patient("王^明", "CN-3301022", "19810707", "M", charset="ISO_IR 192")
    c = ct_text("c02_control_chinese_char_in_word", 2, "CONTROL: the given-name character 明 inside an ordinary word (明确诊断) must survive",
                p, STUDY_DESC, "明确诊断 胸部CT", kind="control")
    out.append(c.keep("明确诊断", tagpath(STUDY_DESC)))
    return out


def class3():
    out = []
    p = Patient("BRANDT^ILSE", "AB-004517", "19550614", "F")
    c = ct_code("c03_code_value_no_hyphen", 3, "ID without its hyphen, leading zeros kept, as a procedure CodeValue",
                p, PROC_CODE_SEQ, "AB004517", "CT ABDOMEN")
    out.append(c.leak("AB004517", [tagpath(PROC_CODE_SEQ, 0, CODE_VALUE)]))

    p = Patient("ESPOSITO^GIULIA", "2019/000482", "19710803", "F")
    c = ct_text("c03_slash_dropped", 3, "ID with a slash written without it in Image Comments",
                p, IMAGE_COMMENTS, "ref 2019000482 (old system)", vr="LT")
    out.append(c.leak("2019000482", [tagpath(IMAGE_COMMENTS)]))

    p = Patient("HOLM^BIRGIT", "MRN 551 238 04", "19640418", "F")
    c = sr_text("c03_spaces_dropped_sr", 3, "ID with spaces written glued to its label in an SR TEXT value",
                p, "Prior imaging under MRN55123804 reviewed.")
    out.append(c.leak("55123804", [TV2]))

    p = Patient("DUBOIS^ALAIN", "123456-7", "19530101", "M")
    c = ct_code("c03_check_digit_glued", 3, "ID with its check digit after a hyphen, written glued, as a performed protocol CodeValue",
                p, PERF_PROTO_SEQ, "1234567", "ROUTINE CHEST")
    out.append(c.leak("1234567", [tagpath(PERF_PROTO_SEQ, 0, CODE_VALUE)]))

    p = Patient("NAKAMURA^REN", "QX-77812A", "19991231", "M")
    c = ct_text("c03_lowercase_no_hyphen", 3, "letters+digits ID in lower case without its hyphen in Series Description",
                p, SERIES_DESC, "recon qx77812a b30f")
    out.append(c.leak("QX77812A", [tagpath(SERIES_DESC)]))

    p = Patient("ABARA^CHIDI", "00098765", "19860420", "M")
    c = ct_text("c03_leading_zeros_dropped", 3, "ID with leading zeros written without them (#98765) in Image Comments",
                p, IMAGE_COMMENTS, "Prior study #98765 for comparison", vr="LT")
    out.append(c.leak("98765", [tagpath(IMAGE_COMMENTS)], word=True))

    p = Patient("KAYA^ZEYNEP", "TR-55012", "19770918", "F", charset="ISO_IR 192")
    c = ct_text("c03_fullwidth_id", 3, "ID written in full-width characters without its hyphen (ＴＲ５５０１２), UTF-8",
                p, IMAGE_COMMENTS, "患者ID ＴＲ５５０１２", vr="LT")
    out.append(c.leak("TR55012", [tagpath(IMAGE_COMMENTS)]))

    p = Patient("SANTOS^MARIANA", "H-12.345.678-9", "19820227", "F")
    c = Case("c03_digits_only_safe_private_lo", 3, "ID with letters and separators written as its digits only inside a safe private LO (Philips DD 002 Workflow Step Id)",
             options=RSP).who(p)
    d = base_ct(p, c.id)
    private_block(d, 0x2001, 0x10, "Philips Imaging DD 002", [(0x52, "LO", "WS-123456789")])
    f1(c, d)
    out.append(c.leak("123456789", ["(2001,1052)"], word=True))

    p = Patient("LINDGREN^OSKAR", "19540723-1187", "19540723", "M")
    c = ct_code("c03_personnummer_short", 3, "Swedish personnummer-shaped ID written in the short YYMMDD-NNNN form as an anatomic CodeValue",
                p, ANAT_SEQ, "540723-1187", "ABDOMEN")
    out.append(c.leak("540723-1187", [tagpath(ANAT_SEQ, 0, CODE_VALUE)]))

    # controls
    p = Patient("VISSER^NOOR", "NL-880417", "19900110", "F")
    c = ct_code("c03_control_shared_digits", 3, "CONTROL: numbers sharing digits with the ID (880418, 8804, 0417) must survive",
                p, PROC_CODE_SEQ, "P880418", "LOT 880418 DOSE 8804 MGY 0417")
    c.kind = "control"
    out.append(c.keep("LOT 880418 DOSE 8804 MGY 0417", tagpath(PROC_CODE_SEQ, 0, CODE_MEANING))
               .keep("P880418", tagpath(PROC_CODE_SEQ, 0, CODE_VALUE)))

    p = Patient("KOVAC^TEA", "PT-301055", "19930314", "F")
    c = ct_text("c03_control_id_prefix_digits", 3, "CONTROL: 30105 and 301056 (prefix and neighbour of the ID digits 301055) must survive",
                p, IMAGE_COMMENTS, "SERIES 301056 SCAN 30105", vr="LT", kind="control")
    out.append(c.keep("SERIES 301056 SCAN 30105", tagpath(IMAGE_COMMENTS)))
    return out


def class4():
    out = []

    def dcase(cid, title, name, pid, dob, text, *, tag=IMAGE_COMMENTS, vr="LT", charset=None,
              needle=None, options=CD, word=False):
        p = Patient(name, pid, dob, "F", charset=charset)
        c = ct_text(cid, 4, title, p, tag, text, vr=vr, options=options)
        return c.leak(needle or text, [tagpath(tag)], word=word)

    out.append(dcase("c04_day_mon_year", "birth date as '3 Feb 1947' in Image Comments",
                     "AALTO^KAARINA", "FI-47020", "19470203", "DOB 3 Feb 1947, allergic to iodine", needle="3 FEB 1947", word=True)
               .keep("allergic to iodine", tagpath(IMAGE_COMMENTS)))
    p = Patient("SCHNEIDER^GERDA", "D-38111", "19381114", "F")
    c = ct_code("c04_german_dots_codemeaning", 4, "birth date as 'geb. 14.11.1938' in a procedure CodeMeaning (kept by default)",
                p, PROC_CODE_SEQ, "CTSCH", "CT Schaedel geb. 14.11.1938")
    out.append(c.leak("14.11.1938", [tagpath(PROC_CODE_SEQ, 0, CODE_MEANING)]))
    out.append(dcase("c04_french_month", "birth date as '5 février 1962' (French, ISO_IR 100) in Image Comments",
                     "LEFÈVRE^SOLÈNE", "F-620205", "19620205", "née le 5 février 1962", charset="ISO_IR 100", needle="5 FÉVRIER 1962"))
    out.append(dcase("c04_spanish_month", "birth date as '21 de agosto de 1975' (Spanish) in Image Comments",
                     "GARCÍA^LUCÍA", "E-75082", "19750821", "fecha de nacimiento: 21 de agosto de 1975", charset="ISO_IR 100", needle="21 DE AGOSTO DE 1975"))
    out.append(dcase("c04_russian_genitive", "birth date as '07 марта 1969' (Russian genitive, ISO_IR 144) in Image Comments",
                     "Смирнова^Ольга", "RU-690307", "19690307", "дата рождения 07 марта 1969 г.", charset="ISO_IR 144", needle="07 МАРТА 1969"))
    out.append(dcase("c04_japanese_kanji_date", "birth date as '1983年4月9日' (ISO 2022 IR 87) in Image Comments",
                     "高橋^直樹", "JP-830409", "19830409", "生年月日 1983年4月9日", charset=["", "ISO 2022 IR 87"], needle="1983年4月9日"))
    out.append(dcase("c04_us_slashes", "birth date as '06/02/1944' (US month/day) in Study Description",
                     "COLE^MARTHA", "US-440602", "19440602", "CXR 06/02/1944 PT", tag=STUDY_DESC, vr="LO", needle="06/02/1944"))
    out.append(dcase("c04_military_glued", "birth date as 'DOB02JUN44' (military, two-digit year, glued) in Series Description",
                     "REYES^CARMEN", "US-440603", "19440602", "DOB02JUN44 AX", tag=SERIES_DESC, vr="LO", needle="02JUN44"))
    out.append(dcase("c04_turkish_month", "birth date as '19 Mayıs 1957' (Turkish, ISO_IR 148) in Image Comments",
                     "ÇELİK^AYŞE", "TR-570519", "19570519", "Doğum tarihi: 19 Mayıs 1957", charset="ISO_IR 148", needle="19 Mayıs 1957"))
    out.append(dcase("c04_greek_month", "birth date as '12 Οκτωβρίου 1966' (Greek genitive month, ISO_IR 126) in Image Comments",
                     "Νικολάου^Ελένη", "GR-661012", "19661012", "ημ. γέννησης 12 Οκτωβρίου 1966", charset="ISO_IR 126", needle="12 ΟΚΤΩΒΡΊΟΥ 1966"))
    p = Patient("NAVARRO^ELENA", "ES-480301", "19480301", "F")
    c = sr_text("c04_yymmdd_sr", 4, "birth date as '480301' (YYMMDD) after a label in an SR TEXT value",
                p, "Patient DOB 480301 per referral letter.")
    out.append(c.leak("480301", [TV2], word=True))

    # controls
    p = Patient("AALTO^VEIKKO", "FI-47021", "19470203", "M")
    c = ct_text("c04_control_near_dates", 4, "CONTROL: dates close to the birth date (3 Feb 1948, 1947-02-04, 04.02.1947, 2024-02-03) must survive",
                p, IMAGE_COMMENTS, "Prior 3 Feb 1948; implant 1947-02-04; 04.02.1947 note; seen 2024-02-03", vr="LT", kind="control")
    out.append(c.keep("3 Feb 1948", tagpath(IMAGE_COMMENTS)).keep("1947-02-04", tagpath(IMAGE_COMMENTS))
               .keep("04.02.1947", tagpath(IMAGE_COMMENTS)).keep("2024-02-03", tagpath(IMAGE_COMMENTS)))
    return out


def class5():
    out = []

    def top(cid, title, dob, tag, vr, value, *, ts=None, options=(), needle=None, name="IVANOVA^MARIA", pid=None, wire_vr=None):
        p = Patient(name, pid or ("X-" + dob), dob, "F")
        c = Case(cid, 5, title, options=options).who(p)
        d = base_ct(p, cid)
        d.put(tag, vr, value, **({"wire_vr": wire_vr} if wire_vr else {}))
        f1(c, d, ts=ts)
        return c.leak(needle or dob, [tagpath(tag)], word=True)

    out.append(top("c05_expiration_datetime", "birth date as Expiration DateTime (0008,0416), DT with a time", "19620514",
                   0x00080416, "DT", "19620514120000", needle="19620514"))
    out.append(top("c05_secondary_review_date", "birth date as Secondary Review Date (0014,0102)", "19580920",
                   0x00140102, "DA", "19580920"))
    out.append(top("c05_unknown_even_group_implicit", "birth date in an unknown even-group element (00F8,0020) in an Implicit VR file", "19640830",
                   0x00F80020, "DA", "19640830", ts=IMPLICIT_LE))
    out.append(top("c05_unknown_even_group_un", "birth date in an unknown even-group element written with VR UN (00A2,0010)", "19511107",
                   0x00A20010, "DA", "19511107", wire_vr="UN"))
    out.append(top("c05_item_inventory_dt_tz", "birth date as Item Inventory DateTime with UTC offset (0008,0404)", "19850303",
                   0x00080404, "DT", "19850303000000+0100", needle="19850303"))
    out.append(top("c05_procedure_creation_date_be", "birth date as Procedure Creation Date (0014,4076) in an Explicit VR Big Endian file", "19770707",
                   0x00144076, "DA", "19770707", ts=EXPLICIT_BE))

    p = Patient("HORVAT^MARKO", "HR-5503", "19550322", "M")
    c = Case("c05_nested_depth3", 5, "birth date as Procedure Last Modified Date (0014,407A) three sequences deep", options=()).who(p)
    d = base_ct(p, c.id)
    inner = [El(0x0014407A, "DA", "19550322"), El(0x00080104, "LO", "PROTOCOL REV")]
    d.put(0x00400260, "SQ", [code_item("HP1", "99HELD", "HEAD PROTOCOL", [El(0x00400441, "SQ", [[
        El(0x00080100, "SH", "P1"), El(0x00080102, "SH", "99HELD"), El(0x00080104, "LO", "PARAM"),
        El(0x0040A170, "SQ", [inner])]])])])
    f1(c, d)
    path = tagpath(0x00400260, 0, 0x00400441, 0, 0x0040A170, 0, 0x0014407A)
    out.append(c.leak("19550322", [path], word=True))

    p = Patient("QUISPE^ROSA", "PE-6001", "19600115", "F")
    c = Case("c05_multivalued_da", 5, "birth date as the second value of a multi-valued DA (Procedure Expiration Date 20300101\\19600115)").who(p)
    d = base_ct(p, c.id)
    d.put(0x00144078, "DA", ["20300101", "19600115"])
    f1(c, d)
    out.append(c.leak("19600115", [tagpath(0x00144078)], word=True))

    p = Patient("ADEYEMI^TUNDE", "NG-7102", "19710204", "M")
    c = Case("c05_route_segment_dt_fraction", 5, "birth date as Route Segment Start Time (4010,1025) DT with fractional seconds").who(p)
    d = base_ct(p, c.id)
    d.put(0x40101001, "SQ", [[El(0x40101025, "DT", "19710204093015.250000"), El(0x40101026, "DT", "20240315093100")]])
    f1(c, d)
    out.append(c.leak("19710204", [tagpath(0x40101001, 0, 0x40101025)], word=True))

    # controls
    p = Patient("IVANOV^PAVEL", "RU-5809", "19580920", "M")
    c = Case("c05_control_near_dates", 5, "CONTROL: kept dates outside the table that are not the birth date (the day after, same day another year) must survive",
             kind="control").who(p)
    d = base_ct(p, c.id)
    d.put(0x00140102, "DA", "19580921")
    d.put(0x00143076, "DA", "20240920")
    d.put(0x00141020, "DA", "19590920")
    f1(c, d)
    out.append(c.keep("19580921", tagpath(0x00140102)).keep("20240920", tagpath(0x00143076)).keep("19590920", tagpath(0x00141020)))
    return out
