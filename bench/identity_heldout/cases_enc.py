"""Classes 6-10: character sets, UN, binary encodings, date shift, UIDs."""

from __future__ import annotations

from common import (Case, El, Patient, base_ct, base_sr, code_item, nfc, nfd,
                    private_block, tagpath)
from cases_text import (ANAT_SEQ, CD, CODE_MEANING, CONTENT_SEQ, CSC,
                        IMAGE_COMMENTS, PROC_CODE_SEQ, REQ_ATTR_SEQ, RSP, SERIES_DESC,
                        SPS_DESC, STUDY_DESC, TEXT_VALUE, TV2, f1)
from dcmenc import EXPLICIT_BE, IMPLICIT_LE, org_uid, uid


def class6():
    out = []
    p = Patient("Schröder^Jürgen", "DE-66120", "19660120", "M", charset="ISO_IR 100")
    c = Case("c06_item_utf8_inside_latin1", 6, "SR item declares ISO_IR 192 inside an ISO_IR 100 file; its TEXT value names the patient in UTF-8", options=CSC).who(p)
    item = [El(0x00080005, "CS", "ISO_IR 192"), El(0x0040A010, "CS", "CONTAINS"), El(0x0040A040, "CS", "TEXT"),
            El(0x0040A043, "SQ", [code_item("121106", "DCM", "Comment")]),
            El(0x0040A160, "UT", "Kontrolle Hr. Schröder, Jürgen – Befund stabil")]
    d = base_sr(p, c.id, ["Keine akuten Befunde."], text_items=[item])
    f1(c, d)
    out.append(c.leak("SCHRÖDER", [tagpath(CONTENT_SEQ, 1, TEXT_VALUE)]).leak("JÜRGEN", [tagpath(CONTENT_SEQ, 1, TEXT_VALUE)]))

    p = Patient("Кузнецов^Игорь", "RU-77312", "19710312", "M", charset="ISO_IR 192")
    c = Case("c06_item_cyrillic_inside_utf8", 6, "Request Attributes item declares ISO_IR 144 inside an ISO_IR 192 file; its step description names the patient", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(REQ_ATTR_SEQ, "SQ", [[El(0x00080005, "CS", "ISO_IR 144"), El(0x00400007, "LO", "Контроль Кузнецов И."),
                                El(0x00400009, "SH", "SPS1"), El(0x00401001, "SH", "RP1")]])
    f1(c, d)
    out.append(c.leak("КУЗНЕЦОВ", [tagpath(REQ_ATTR_SEQ, 0, SPS_DESC)]))

    p = Patient("山本^香織", "JP-880214", "19880214", "F", charset="ISO_IR 192")
    c = Case("c06_item_iso2022jp_inside_utf8", 6, "procedure code item declares ISO 2022 IR 87 inside an ISO_IR 192 file; its CodeMeaning names the patient").who(p)
    d = base_ct(p, c.id)
    d.put(PROC_CODE_SEQ, "SQ", [[El(0x00080005, "CS", ["", "ISO 2022 IR 87"])] + code_item("CTABD", "99HELD", "山本香織 腹部CT")])
    f1(c, d)
    out.append(c.leak("山本香織", [tagpath(PROC_CODE_SEQ, 0, CODE_MEANING)], nospace=True))

    p = Patient(nfc("Đặng^Hương"), "VN-220588", "19880522", "F", charset="ISO_IR 192")
    c = Case("c06_nfd_text_nfc_name", 6, "Vietnamese name NFC in Patient's Name, NFD (decomposed) in Image Comments", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(IMAGE_COMMENTS, "LT", nfd("Bệnh nhân Đặng Hương tái khám"))
    f1(c, d)
    out.append(c.leak(nfc("ĐẶNG HƯƠNG"), [tagpath(IMAGE_COMMENTS)]).leak(nfc("HƯƠNG"), [tagpath(IMAGE_COMMENTS)], word=True, scope="host")
               .keep("tái khám", tagpath(IMAGE_COMMENTS)))

    p = Patient(nfd("Ramírez^José"), "MX-990312", "19790312", "M", charset="ISO_IR 192")
    c = Case("c06_nfd_name_nfc_text", 6, "Spanish name NFD in Patient's Name (as macOS writes it), NFC in Study Description", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(STUDY_DESC, "LO", nfc("TC control José Ramírez"))
    f1(c, d)
    out.append(c.leak("RAMÍREZ", [tagpath(STUDY_DESC)]))

    p = Patient("Παπαδόπουλος^Γιώργος", "GR-55110", "19551109", "M", charset="ISO_IR 126")
    c = Case("c06_greek_upper_without_tonos", 6, "Greek name with accents in Patient's Name, upper case without accents (as Greek capitals are written) in Series Description, ISO_IR 126", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(SERIES_DESC, "LO", "ΠΑΠΑΔΟΠΟΥΛΟΣ Γ. ΘΩΡΑΚΑΣ")
    f1(c, d)
    out.append(c.leak("ΠΑΠΑΔΟΠΟΥΛΟΣ", [tagpath(SERIES_DESC)]).keep("ΘΩΡΑΚΑΣ", tagpath(SERIES_DESC)))

    p = Patient("الحسيني^فاطمة", "SA-10442", "19830917", "F", charset="ISO_IR 127")
    c = Case("c06_arabic_iso_ir_127", 6, "Arabic name (ISO_IR 127) repeated given-name-first in Image Comments", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(IMAGE_COMMENTS, "LT", "مراجعة فاطمة الحسيني")
    f1(c, d)
    out.append(c.leak("الحسيني", [tagpath(IMAGE_COMMENTS)]).keep("مراجعة", tagpath(IMAGE_COMMENTS)))

    p = Patient("לוי^נועה", "IL-30219", "19940228", "F", charset="ISO_IR 138")
    c = Case("c06_hebrew_iso_ir_138", 6, "Hebrew name (ISO_IR 138) repeated given-name-first in Image Comments", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(IMAGE_COMMENTS, "LT", "ביקורת נועה לוי")
    f1(c, d)
    out.append(c.leak("נועה לוי", [tagpath(IMAGE_COMMENTS)]).leak("לוי", [tagpath(IMAGE_COMMENTS)], word=True, scope="host"))

    p = Patient("ŞAHİN^ELİF", "TR-90441", "19850616", "F", charset="ISO_IR 148")
    c = Case("c06_turkish_dotted_capital_i", 6, "Turkish upper-case name with dotted İ in Patient's Name, mixed case (Şahin) in Image Comments, ISO_IR 148", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(IMAGE_COMMENTS, "LT", "Kontrol Elif Şahin, 6 ay")
    f1(c, d)
    out.append(c.leak("ŞAHİN", [tagpath(IMAGE_COMMENTS)]).leak("ELİF", [tagpath(IMAGE_COMMENTS)], word=True, scope="host")
               .keep("Kontrol", tagpath(IMAGE_COMMENTS)).keep("6 ay", tagpath(IMAGE_COMMENTS)))

    p = Patient("𠮷田^陽子", "JP-651003", "19651003", "F", charset="GB18030")
    c = Case("c06_gb18030_four_byte_char", 6, "name with a supplementary-plane character (𠮷, four bytes in GB18030) repeated glued in Study Description", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(STUDY_DESC, "LO", "𠮷田陽子复查")
    f1(c, d)
    out.append(c.leak("𠮷田陽子", [tagpath(STUDY_DESC)], nospace=True))

    p = Patient("Dvořák^Tomáš", "CZ-7204", "19720413", "M", charset="ISO_IR 101")
    c = Case("c06_transliterated_without_diacritics", 6, "Czech name with diacritics (ISO_IR 101) written without them (DVORAK TOMAS) in Protocol Name", options=CD).who(p)
    d = base_ct(p, c.id)
    d.put(0x00181030, "LO", "DVORAK TOMAS HRUDNIK")
    f1(c, d)
    out.append(c.leak("DVORAK", [tagpath(0x00181030)]))

    p = Patient("이^서연", "KR-960707", "19960707", "F", charset=["", "ISO 2022 IR 149"])
    c = Case("c06_item_utf8_inside_iso2022kr", 6, "SR item declares ISO_IR 192 inside an ISO 2022 IR 149 file; its TEXT value names the patient", options=CSC).who(p)
    item = [El(0x00080005, "CS", "ISO_IR 192"), El(0x0040A010, "CS", "CONTAINS"), El(0x0040A040, "CS", "TEXT"),
            El(0x0040A043, "SQ", [code_item("121106", "DCM", "Comment")]), El(0x0040A160, "UT", "이서연 님 추적 관찰")]
    d = base_sr(p, c.id, ["특이 소견 없음"], text_items=[item])
    f1(c, d)
    out.append(c.leak("이서연", [tagpath(CONTENT_SEQ, 1, TEXT_VALUE)], nospace=True))
    return out


def class7():
    out = []

    def un(cid, title, p, tag, dict_vr, payload, needle, *, ts=None, wire="UN", charset=None, word=False):
        c = Case(cid, 7, title).who(p)
        d = base_ct(p, cid)
        d.put(tag, dict_vr, payload, wire_vr=wire)
        f1(c, d, ts=ts)
        return c.leak(needle, [tagpath(tag)], word=word)

    out.append(un("c07_retired_lo_as_un", "retired DCT Label (0028,0700, LO) stored as UN holding the name",
                  Patient("KOWALCZYK^PIOTR", "PL-88120", "19531201", "M"), 0x00280700, "LO", b"KOWALCZYK PIOTR ", "KOWALCZYK"))
    out.append(un("c07_retired_us_implicit", "retired Zonal Map Number Format (0028,0720, dictionary VR US) in an Implicit VR file holding ASCII text",
                  Patient("HAGEN^INGRID", "NO-190477", "19770419", "F"), 0x00280720, "US", b"HAGEN^INGRID", "HAGEN", ts=IMPLICIT_LE))
    out.append(un("c07_retired_us_as_un_explicit", "retired Image Location (0028,0200, dictionary VR US) stored as UN holding text",
                  Patient("GONZALEZ^RAUL", "AR-4471", "19690808", "M"), 0x00280200, "US", b"ref GONZALEZ RAUL  ", "GONZALEZ"))
    p = Patient("Bjørnstad^Sølvi", "NO-300555", "19550530", "F", charset="ISO_IR 100")
    out.append(un("c07_un_latin1_bytes", "retired Reference (0020,1020, LO) stored as UN with Latin-1 bytes of a name with ø (ISO_IR 100 file)",
                  p, 0x00201020, "LO", "Bjørnstad S.".encode("latin-1"), "BJØRNSTAD"))
    p = Patient("Волкова^Дарья", "RU-51022", "19910222", "F", charset="ISO_IR 192")
    out.append(un("c07_un_utf8_cyrillic", "retired Original Image Identification Nomenclature (0020,5002) stored as UN with UTF-8 Cyrillic name",
                  p, 0x00205002, "LO", "Волкова Д.".encode("utf-8"), "ВОЛКОВА"))

    p = Patient("OYELARAN^ADEBAYO", "NG-55001", "19500505", "M")
    c = Case("c07_un_undefined_length_sequence", 7, "retired Transducer Position Sequence (0008,2240) stored as UN with undefined length; its item (Implicit VR inside) names the patient").who(p)
    d = base_ct(p, c.id)
    d.add(El(0x00082240, "SQ", [code_item("F-10470", "99HELD", "POS OYELARAN ADEBAYO")], wire_vr="UN", undefined=True, item_undefined=True))
    f1(c, d)
    out.append(c.leak("OYELARAN", [tagpath(0x00082240)]))

    out.append(un("c07_un_big_endian", "retired Hardcopy Device Manufacturer (0018,1017) stored as UN in an Explicit VR Big Endian file",
                  Patient("PRZYBYLSKI^ADAM", "PL-7301", "19730115", "M"), 0x00181017, "LO", b"PRZYBYLSKI A", "PRZYBYLSKI", ts=EXPLICIT_BE))
    out.append(un("c07_unknown_even_group_text", "unknown even-group element (00A4,1010) stored as UN holding 'MARSDEN^CLIVE'",
                  Patient("MARSDEN^CLIVE", "UK-99120", "19480701", "M"), 0x00A41010, "UN", b"MARSDEN^CLIVE ", "MARSDEN"))
    out.append(un("c07_un_holding_id", "retired Identification Description (Trial) (0040,A224) stored as UN holding the Patient ID",
                  Patient("ERIKSEN^TOVE", "0099-44821", "19640909", "F"), 0x0040A224, "ST", b"chart 0099-44821", "0099-44821"))
    out.append(un("c07_un_holding_birth_date", "retired Bibliographic Citation (Trial) (0040,A16A) stored as UN holding the birth date '17.04.1962'",
                  Patient("ROUX^AMELIE", "FR-62041", "19620417", "F"), 0x0040A16A, "ST", b"DOB 17.04.1962", "17.04.1962"))
    out.append(un("c07_retired_ul_implicit_utf16", "retired Doppler Sample Volume X Position (0018,6038, dictionary VR UL) in an Implicit VR file holding UTF-16LE text",
                  Patient("FISCHER^BEATE", "DE-5512", "19551210", "F"), 0x00186038, "UL", "FISCHER BEATE".encode("utf-16-le"), "FISCHER", ts=IMPLICIT_LE))
    return out


def class8():
    out = []

    def ob(cid, title, p, group, creator, elem, payload, needle, *, ts=None, vr="OB", wire=None, report=True, word=False):
        c = Case(cid, 8, title, options=RSP).who(p)
        d = base_ct(p, cid)
        private_block(d, group, 0x10, creator, [(elem, vr, payload, {"wire_vr": wire} if wire else {})])
        f1(c, d, ts=ts)
        tag = "(%04X,10%02X)" % (group, elem)
        return c.leak(needle, [tag], word=word)

    out.append(ob("c08_utf16le_odd", "UTF-16LE name at an odd offset in Philips DD 097 Mesh Section Index Data (safe OB)",
                  Patient("OKAFOR^CHINWE", "NG-61221", "19611221", "F"), 0x2001, "Philips Imaging DD 097", 0x4A,
                  b"\x07" + "Okafor Chinwe".encode("utf-16-le") + b"\x00", "OKAFOR"))
    out.append(ob("c08_utf16be_bom", "UTF-16BE with BOM, name with å/Å, in SIEMENS SC2000 Common Acoustic Meta Information (safe OB)",
                  Patient("Lindström^Åke", "SE-4512", "19451203", "M", charset="ISO_IR 100"), 0x0119, "SIEMENS Ultrasound SC2000", 0x01,
                  b"\xfe\xff" + "Lindström, Åke".encode("utf-16-be"), "LINDSTRÖM"))
    out.append(ob("c08_utf16le_cyrillic_xml", "UTF-16LE XML with BOM and a Cyrillic name in SC2000 Application State Information (safe OB)",
                  Patient("Петров^Сергей", "RU-7709", "19770903", "M", charset="ISO_IR 144"), 0x0129, "SIEMENS Ultrasound SC2000", 0x10,
                  b"\xff\xfe" + "<state><user>Петров Сергей</user></state>".encode("utf-16-le"), "ПЕТРОВ"))
    out.append(ob("c08_utf16le_nfd", "UTF-16LE NFD (decomposed) name in SYNGO TOYON After Payload (safe OB)",
                  Patient("CÔTÉ^RENÉE", "CA-5509", "19550927", "F", charset="ISO_IR 100"), 0x7FD1, "SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x11,
                  b"\x10\x00" + nfd("Renée Côté").encode("utf-16-le"), "CÔTÉ"))
    out.append(ob("c08_utf16le_id_glued", "UTF-16LE 'MRN=' + Patient ID in SC2000 Values of Cine Parameters (safe OB)",
                  Patient("DIALLO^AMINATA", "MR-0045821", "19840706", "F"), 0x0129, "SIEMENS Ultrasound SC2000", 0x22,
                  "fps=30;MRN=MR-0045821;loop=1".encode("utf-16-le"), "MR-0045821"))
    out.append(ob("c08_utf16le_dob_xml", "UTF-16LE XML holding the birth date (1961-03-14) in SC2000 Cine Parameters Schema (safe OB)",
                  Patient("HUANG^MEI", "TW-61031", "19610314", "F"), 0x0129, "SIEMENS Ultrasound SC2000", 0x21,
                  "<p><dob>1961-03-14</dob></p>".encode("utf-16-le"), "1961-03-14"))
    out.append(ob("c08_ow_st80i_utf16", "UTF-16LE name inside Philips ST80i Stress Study file data (safe OW)",
                  Patient("HADDAD^KARIM", "LB-7001", "19700112", "M"), 0x0025, "Philips ST80i", 0x01,
                  b"ST80\x00\x01" + "Haddad, Karim".encode("utf-16-le") + b"\x00\x00", "HADDAD", vr="OW"))
    out.append(ob("c08_implicit_utf16", "UTF-16LE name in Philips DD 097 Volume Mask Data in an Implicit VR file (no VR on the wire)",
                  Patient("NAKASHIMA^AOI", "JP-0331", "19990331", "F"), 0x2001, "Philips Imaging DD 097", 0x2F,
                  b"\x01\x01" + "NAKASHIMA AOI".encode("utf-16-le"), "NAKASHIMA", ts=IMPLICIT_LE))
    out.append(ob("c08_utf16be_cjk", "UTF-16BE (no BOM) Chinese name in SYNGO TOYON Volume Payload (safe OB)",
                  Patient("周^杰伦", "CN-790118", "19790118", "M", charset="ISO_IR 192"), 0x7FD1, "SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x10,
                  b"\x00\x00" + "周杰伦".encode("utf-16-be") + b"\x00\x00", "周杰伦"))
    out.append(ob("c08_utf8_multibyte_in_ob", "UTF-8 name with diacritics in SC2000 Acoustic Image and Footer Data (safe OB)",
                  Patient("Åström^Märta", "SE-3807", "19380702", "F", charset="ISO_IR 100"), 0x7FD1, "SIEMENS Ultrasound SC2000", 0x01,
                  b"FTR\x00" + "Åström Märta".encode("utf-8") + b"\x00", "ÅSTRÖM"))
    out.append(ob("c08_big_endian_utf16be", "UTF-16BE name in Philips DD 097 Mesh Section Vertex Data in an Explicit VR Big Endian file",
                  Patient("BOATENG^KWAME", "GH-5010", "19501001", "M"), 0x2001, "Philips Imaging DD 097", 0x47,
                  "BOATENG KWAME".encode("utf-16-be"), "BOATENG", ts=EXPLICIT_BE))
    out.append(ob("c08_utf16le_in_un", "UTF-16LE name in a safe SC2000 element that the vendor wrote with VR UN (explicit VR file)",
                  Patient("ALVES^BEATRIZ", "BR-8811", "19881111", "F"), 0x0129, "SIEMENS Ultrasound SC2000", 0x29,
                  "pt:ALVES BEATRIZ".encode("utf-16-le"), "ALVES", wire="UN"))

    p = Patient("ABDO^SAMIR", "EG-6603", "19660303", "M")
    c = Case("c08_control_utf16_preset", 8, "CONTROL: UTF-16LE preset text (PRESET=ABDOMEN;GAIN=12) in a safe OB, containing the family name ABDO inside ABDOMEN, must survive",
             options=RSP, kind="control").who(p)
    d = base_ct(p, c.id)
    private_block(d, 0x0129, 0x10, "SIEMENS Ultrasound SC2000", [(0x08, "OB", "PRESET=ABDOMEN;GAIN=12".encode("utf-16-le"))])
    f1(c, d)
    out.append(c.keep("PRESET=ABDOMEN;GAIN=12", "(0129,1008)", binary="utf-16-le"))
    return out


def class9():
    out = []
    MOD = ["retain-long-modified-dates"]

    def shift_case(cid, title, variants, pid, issuer="HOSP-A", dob="19700101", charsets=None, separate=False):
        c = Case(cid, 9, title, options=MOD)
        files = []
        dates = ["20210314", "20220601", "20240105", "20250220"]
        for i, name in enumerate(variants):
            cs = charsets[i] if charsets else None
            p = Patient(name, pid, dob, "F", issuer=issuer, charset=cs)
            if i == 0:
                c.who(p)
            d = base_ct(p, cid + str(i), study_date=dates[i])
            rel = c.file("in/F%d.dcm" % (i + 1), d.bytes())
            files.append(rel)
            c.leak(dates[i], [], word=True, report=False, file=rel)
        c.checks["shift"] = {"files": files, "path": "(0008,0020)", "dates": dates[:len(files)], "separate": separate}
        return c

    out.append(shift_case("c09_middle_initial", "same Patient ID + issuer, name with and without a middle initial",
                          ["FITZGERALD^CIARA", "FITZGERALD^CIARA^M"], "IE-55102"))
    out.append(shift_case("c09_letter_case", "same Patient ID + issuer, name in upper and mixed case",
                          ["MCALLISTER^EWAN", "McAllister^Ewan"], "UK-88210"))
    out.append(shift_case("c09_charset", "same Patient ID + issuer, name with ñ/é in ISO_IR 100 and in ISO_IR 192",
                          ["NUÑEZ^INÉS", "NUÑEZ^INÉS"], "ES-33017", charsets=["ISO_IR 100", "ISO_IR 192"]))
    out.append(shift_case("c09_nfc_nfd", "same Patient ID + issuer, Vietnamese name NFC and NFD",
                          [nfc("Đỗ^Quỳnh"), nfd("Đỗ^Quỳnh")], "VN-40112", charsets=["ISO_IR 192", "ISO_IR 192"]))
    out.append(shift_case("c09_prefix_suffix", "same Patient ID + issuer, name with and without prefix and suffix components",
                          ["HARTMANN^ULRIKE", "HARTMANN^ULRIKE^^DR.^PHD"], "DE-19301"))
    out.append(shift_case("c09_ideographic_group", "same Patient ID + issuer, name with and without its ideographic component group",
                          ["SATO^YUKI", "SATO^YUKI=佐藤^由紀"], "JP-20991", charsets=[None, "ISO_IR 192"]))
    out.append(shift_case("c09_empty_name", "same Patient ID + issuer, name empty in one file",
                          ["OSEI^KOFI", ""], "GH-77001"))
    out.append(shift_case("c09_trailing_delimiters", "same Patient ID + issuer, name with trailing component delimiters and a trailing space",
                          ["ABERNATHY^JOAN^^^", "ABERNATHY^JOAN "], "US-61003"))
    out.append(shift_case("c09_three_spellings", "same Patient ID + issuer in three files: initial, full middle name, different case",
                          ["ROSSI^MARCO", "Rossi^Marco^A", "ROSSI^MARCO^ANTONIO"], "IT-55012"))
    out.append(shift_case("c09_separate_runs", "same Patient ID + issuer, different name forms, de-identified in two separate runs with the same key",
                          ["KARLSSON^ERIK", "KARLSSON^ERIK^J"], "SE-4401", separate=True))
    return out


def class10():
    out = []
    ROOT = "1.3.6.1.4.1.99999.7"

    p = Patient("BAUER^LENA", "AT-4471", "19790214", "F")
    c = Case("c10_own_for_uid_in_volume_for_nested", 10, "the file's own Frame of Reference UID repeated as Volume Frame of Reference UID (0020,9312) two sequences deep").who(p)
    d = base_ct(p, c.id)
    for_uid = d.d[0x00200052].value
    d.put(0x52009229, "SQ", [[El(0x00209071, "SQ", [[El(0x00209312, "UI", for_uid), El(0x00209313, "UI", for_uid)]])]])
    f1(c, d)
    npath = tagpath(0x52009229, 0, 0x00209071, 0, 0x00209312)
    c.leak(for_uid, [npath], word=True)
    c.checks["uid_same"] = [{"a": ["in/IM0001.dcm", "(0020,0052)"], "b": ["in/IM0001.dcm", npath]}]
    out.append(c)

    p = Patient("WEBER^JONAS", "DE-8812", "19881201", "M")
    c = Case("c10_concat_source_deep", 10, "own SOP Instance UID as SOP Instance UID of Concatenation Source (0020,0242) inside a referenced-instance item three levels deep").who(p)
    d = base_ct(p, c.id)
    sop = d.d[0x00080018].value
    d.put(0x00081140, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"), El(0x00081155, "UI", uid(c.id, "other")),
                              El(0x00089124, "SQ", [[El(0x00082112, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"),
                                                                              El(0x00081155, "UI", sop), El(0x00200242, "UI", sop)]])]])]])
    f1(c, d)
    npath = tagpath(0x00081140, 0, 0x00089124, 0, 0x00082112, 0, 0x00200242)
    c.leak(sop, [npath], word=True)
    c.checks["uid_same"] = [{"a": ["in/IM0001.dcm", "(0008,0018)"], "b": ["in/IM0001.dcm", npath]}]
    out.append(c)

    p = Patient("KOSKINEN^AINO", "FI-55021", "19550221", "F")
    c = Case("c10_retrieve_url_top", 10, "study and series UIDs inside a DICOMweb Retrieve URL (0008,1190)").who(p)
    st, se = org_uid(ROOT, c.id, "st"), org_uid(ROOT, c.id, "se")
    d = base_ct(p, c.id, study_uid=st, series_uid=se)
    url = "https://pacs.heldout.invalid/dicomweb/studies/%s/series/%s" % (st, se)
    d.put(0x00081190, "UR", url)
    f1(c, d)
    c.leak(st, ["(0008,1190)"], word=True).leak(se, ["(0008,1190)"], word=True)
    c.checks["uid_in_text"] = [{"file": "in/IM0001.dcm", "path": "(0008,1190)", "uid_of": "(0020,000D)"}]
    out.append(c)

    p = Patient("MWANGI^GRACE", "KE-9031", "19900301", "F")
    c = Case("c10_retrieve_url_nested_evidence", 10, "series UID inside a Retrieve URL in Current Requested Procedure Evidence > Referenced Series (KOS-like nesting)").who(p)
    st, se = org_uid(ROOT, c.id, "st"), org_uid(ROOT, c.id, "se")
    d = base_ct(p, c.id, study_uid=st, series_uid=se)
    sop = d.d[0x00080018].value
    d.put(0x0040A375, "SQ", [[El(0x00081115, "SQ", [[
        El(0x00081190, "UR", "https://img.heldout.invalid/wado?requestType=WADO&studyUID=%s&seriesUID=%s" % (st, se)),
        El(0x00081199, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"), El(0x00081155, "UI", sop)]]),
        El(0x0020000E, "UI", se)]]), El(0x0020000D, "UI", st)]])
    f1(c, d)
    npath = tagpath(0x0040A375, 0, 0x00081115, 0, 0x00081190)
    c.leak(se, [npath], word=True).leak(st, [npath], word=True)
    c.checks["uid_in_text"] = [{"file": "in/IM0001.dcm", "path": npath, "uid_of": "(0020,000E)"}]
    out.append(c)

    p = Patient("LAMBERT^CELINE", "FR-7301", "19730115", "F")
    c = Case("c10_uid_in_study_description", 10, "own Study Instance UID written in Study Description (clean-descriptors)", options=CD).who(p)
    st = org_uid("1.2.250.1.59", c.id)
    d = base_ct(p, c.id, study_uid=st)
    d.put(STUDY_DESC, "LO", "PRIOR " + st)
    f1(c, d)
    out.append(c.leak(st, [tagpath(STUDY_DESC)], word=True).keep("PRIOR", tagpath(STUDY_DESC)))

    pa = Patient("ROMERO^DIEGO", "CL-6612", "19661203", "M")
    c = Case("c10_deep_sr_reference", 10, "SR references a CT image four sequences deep (Content > Content > Referenced SOP); both de-identified together must still match", options=CSC).who(pa)
    a = base_ct(pa, c.id + "ct", study_uid=uid(c.id, "st"))
    sop = a.d[0x00080018].value
    c.file("in/CT1.dcm", a.bytes())
    img = [El(0x0040A010, "CS", "CONTAINS"), El(0x0040A040, "CS", "IMAGE"),
           El(0x0040A043, "SQ", [code_item("121112", "DCM", "Source of Measurement")]),
           El(0x00081199, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"), El(0x00081155, "UI", sop)]])]
    cont = [El(0x0040A010, "CS", "CONTAINS"), El(0x0040A040, "CS", "CONTAINER"), El(0x0040A043, "SQ", [code_item("121070", "DCM", "Findings")]),
            El(0x0040A050, "CS", "SEPARATE"), El(0x0040A730, "SQ", [img])]
    b = base_sr(pa, c.id + "sr", ["See image."], text_items=[cont])
    b.put(0x0020000D, "UI", uid(c.id, "st"))
    c.file("in/SR1.dcm", b.bytes())
    npath = tagpath(CONTENT_SEQ, 1, CONTENT_SEQ, 0, 0x00081199, 0, 0x00081155)
    c.leak(sop, [npath], word=True, file="in/SR1.dcm")
    c.checks["uid_same"] = [{"a": ["in/CT1.dcm", "(0008,0018)"], "b": ["in/SR1.dcm", npath]}]
    c.validate = True
    out.append(c)

    p = Patient("NOVAK^JANA", "SI-8801", "19880105", "F")
    c = Case("c10_minted_under_dicom_root", 10, "instance UIDs minted under the DICOM root 1.2.840.10008 (as a misconfigured modality does): inspect and deid must agree they are replaced").who(p)
    st = "1.2.840.10008.20240315.1.4471"
    se = "1.2.840.10008.20240315.2.4471"
    so = "1.2.840.10008.20240315.3.4471.1"
    d = base_ct(p, c.id, study_uid=st, series_uid=se, sop_uid=so)
    f1(c, d)
    c.leak(st, ["(0020,000D)"], word=True).leak(se, ["(0020,000E)"], word=True).leak(so, ["(0008,0018)"], word=True)
    c.checks["dicom_root_replaced"] = {"file": "in/IM0001.dcm", "uids": [st, se, so]}
    out.append(c)

    pa = Patient("IBRAHIM^YUSUF", "SD-5501", "19550101", "M")
    c = Case("c10_cross_file_reference", 10, "a second image references the first (Referenced Image Sequence and Source Image Sequence); de-identified together the references must follow").who(pa)
    a = base_ct(pa, c.id, inst=1)
    b = base_ct(pa, c.id, inst=2)
    sop_a = a.d[0x00080018].value
    b.put(0x00081140, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"), El(0x00081155, "UI", sop_a)]])
    b.put(0x00082112, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"), El(0x00081155, "UI", sop_a)]])
    c.file("in/IM0001.dcm", a.bytes())
    c.file("in/IM0002.dcm", b.bytes())
    c.leak(sop_a, [tagpath(0x00081140, 0, 0x00081155)], word=True, file="in/IM0002.dcm")
    c.checks["uid_same"] = [{"a": ["in/IM0001.dcm", "(0008,0018)"], "b": ["in/IM0002.dcm", tagpath(0x00081140, 0, 0x00081155)]},
                            {"a": ["in/IM0001.dcm", "(0008,0018)"], "b": ["in/IM0002.dcm", tagpath(0x00082112, 0, 0x00081155)]}]
    out.append(c)

    p = Patient("PATEL^ANIKA", "IN-9944", "19940404", "F")
    c = Case("c10_uid_trailing_dot_sr", 10, "own Series Instance UID at the end of a sentence (trailing full stop) in an SR TEXT value", options=CSC).who(p)
    d = base_sr(p, c.id, ["No acute findings.", "PLACEHOLDER"])
    se = d.d[0x0020000E].value
    d.d[CONTENT_SEQ].value[1][3] = El(0x0040A160, "UT", "Measurements refer to series %s." % se)
    f1(c, d)
    out.append(c.leak(se, [TV2], word=True))

    p = Patient("TRAN^BAO", "VN-7711", "19771101", "M")
    c = Case("c10_multiframe_source_in_derivation", 10, "own SOP Instance UID as Multi-frame Source SOP Instance UID (0008,1167) inside Derivation Image Sequence > Source Image Sequence").who(p)
    d = base_ct(p, c.id)
    sop = d.d[0x00080018].value
    d.put(0x00089124, "SQ", [[El(0x00082112, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"), El(0x00081155, "UI", uid(c.id, "src")),
                                                     El(0x00081167, "UI", sop)]]),
                              El(0x00089215, "SQ", [code_item("113076", "DCM", "Segmentation")])]])
    f1(c, d)
    npath = tagpath(0x00089124, 0, 0x00082112, 0, 0x00081167)
    c.leak(sop, [npath], word=True)
    c.checks["uid_same"] = [{"a": ["in/IM0001.dcm", "(0008,0018)"], "b": ["in/IM0001.dcm", npath]}]
    out.append(c)

    # controls
    p = Patient("FOX^IMOGEN", "UK-3310", "19830310", "F")
    c = Case("c10_control_dicom_defined_uids", 10, "CONTROL: DICOM-defined UIDs (SOP Class in a reference, transfer syntax and SOP class in text, SNOMED coding scheme UID, Talairach frame of reference) must survive",
             options=CD, kind="control").who(p)
    d = base_ct(p, c.id)
    d.put(0x00081140, "SQ", [[El(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.4"), El(0x00081155, "UI", uid(c.id, "mr"))]])
    d.put(ANAT_SEQ, "SQ", [code_item("39607008", "SCT", "Lung", [El(0x0008010C, "UI", "2.16.840.1.113883.6.96")])])
    d.put(IMAGE_COMMENTS, "LT", "source JPEG 2000 1.2.840.10008.1.2.4.90, SC 1.2.840.10008.5.1.4.1.1.7")
    d.put(0x00209312, "UI", "1.2.840.10008.1.4.1.1")
    f1(c, d)
    c.keep("1.2.840.10008.5.1.4.1.1.4", tagpath(0x00081140, 0, 0x00081150))
    c.keep("2.16.840.1.113883.6.96", tagpath(ANAT_SEQ, 0, 0x0008010C))
    c.keep("1.2.840.10008.1.2.4.90", tagpath(IMAGE_COMMENTS)).keep("1.2.840.10008.5.1.4.1.1.7", tagpath(IMAGE_COMMENTS))
    c.keep("1.2.840.10008.1.4.1.1", "(0020,9312)")
    out.append(c)
    return out
