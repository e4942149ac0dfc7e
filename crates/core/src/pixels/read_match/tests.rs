use super::*;

fn value(keyword: &'static str, kind: Kind, texts: &[&str]) -> Value {
    let texts: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
    prepare(keyword, "it", kind, &texts).expect("prepared")
}

fn patient() -> Patient {
    Patient {
        values: vec![
            // As the identity holds it: the whole value and its parts.
            value(
                "PatientName",
                Kind::Person,
                &["DOE^JANE^MARIE", "DOE", "JANE", "MARIE"],
            ),
            value("PatientID", Kind::Code, &["AB-12345"]),
            value("PatientBirthDate", Kind::Date, &["19610303"]),
            value("AccessionNumber", Kind::Code, &["ACC4411286"]),
            value(
                "InstitutionName",
                Kind::Words,
                &["ST. AGNES MEDICAL CENTER"],
            ),
            value("ReferringPhysicianName", Kind::Person, &["KLEIN^OTTO"]),
        ],
    }
}

#[test]
fn names_in_every_written_form_and_with_reading_errors() {
    let p = patient();
    for text in [
        "Name: DOE^JANE",
        "DOE, JANE",
        "Jane Doe",
        "J. DOE",
        "Doe, Jane M",
        "Patient: D0E JANE",
        "Name: JMD",
        "MARlE DOE",
        "DOEJANE",
        "Name:JANED0E",
    ] {
        let m = p.match_text(text);
        assert_eq!(m.identifies, vec!["PatientName"], "{text}: {m:?}");
        assert_eq!(
            p.describe("PatientName").as_deref(),
            Some("it DOE JANE MARIE")
        );
    }
    // Initials alone, without a label, only with three letters or written with dots.
    assert!(p.match_text("JD").identifies.is_empty());
    assert_eq!(p.match_text("DJM").identifies, vec!["PatientName"]);
    assert_eq!(p.match_text("J.D.").identifies, vec!["PatientName"]);
    assert_eq!(p.match_text("Name: J D").identifies, vec!["PatientName"]);
    // Words that merely contain a short part do not match.
    assert!(p.match_text("DOES THE JOB").identifies.is_empty());
}

#[test]
fn ids_with_and_without_separators_and_digits_only() {
    let p = patient();
    for text in [
        "ID: AB-12345",
        "AB12345",
        "AB 12345",
        "Patient ID: A8-12345",
        "12345",
    ] {
        assert_eq!(p.match_text(text).identifies, vec!["PatientID"], "{text}");
    }
    assert!(p.match_text("123").identifies.is_empty());
    assert_eq!(
        p.match_text("Acc: ACC44112B6").identifies,
        vec!["AccessionNumber"]
    );
}

#[test]
fn dates_institutions_and_physicians() {
    let p = patient();
    assert_eq!(
        p.match_text("DOB: 03 Mar 1961").identifies,
        vec!["PatientBirthDate"]
    );
    assert_eq!(
        p.match_text("St. Agnes Medical Center").identifies,
        vec!["InstitutionName"]
    );
    // A common word alone is no institution.
    assert!(p.match_text("Medical Center").identifies.is_empty());
    assert_eq!(
        p.match_text("Ref. Phys: Dr. Otto Klein").identifies,
        vec!["ReferringPhysicianName"]
    );
    let both = p.match_text("DOE JANE 03/03/1961");
    assert_eq!(both.identifies, vec!["PatientName", "PatientBirthDate"]);
}

#[test]
fn patterns_flag_what_looks_identifying_without_a_match() {
    let p = Patient::default();
    assert_eq!(p.match_text("Study Date: 12.05.2020").pattern, Some("date"));
    assert_eq!(p.match_text("MRN: X").pattern, Some("label"));
    assert_eq!(p.match_text("98765432").pattern, Some("number"));
    assert_eq!(p.match_text("SMITH, JOHN").pattern, Some("name"));
    for harmless in ["WL: 40 WW: 400", "5 cm", "Se: 3 Im: 12", "Zoom: 1.5", "L"] {
        assert_eq!(p.match_text(harmless), TextMatch::default(), "{harmless}");
    }
}

/// Bug (issue 9, name/ID matched): a long family name read with its last letters cut off by
/// the edge of the reader's box ("ANE YAMAMO" for JANE YAMAMOTO) matched nothing. A part of
/// seven letters or more still matches when at least 70% of it (five letters or more) is read
/// from one end; shorter cuts and short parts do not.
#[test]
fn regression_a_long_name_cut_at_one_end_was_not_matched() {
    let p = Patient {
        values: vec![value(
            "PatientName",
            Kind::Person,
            &["YAMAMOTO^JANE", "YAMAMOTO", "JANE"],
        )],
    };
    for text in ["ANE YAMAMO", "AMAMOTO", "Name: YAMAMO"] {
        assert_eq!(p.match_text(text).identifies, vec!["PatientName"], "{text}");
    }
    for text in ["YAMA", "AMAM", "MOTO"] {
        assert!(p.match_text(text).identifies.is_empty(), "{text}");
    }
}
