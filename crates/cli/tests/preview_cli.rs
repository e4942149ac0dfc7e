//! `dicom-leakcheck preview`: a frame as PNG, and plain errors for what cannot be shown.

use std::process::Command;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dicom-leakcheck"))
}

#[test]
fn preview_writes_a_png_of_the_frame() {
    let dir = std::env::temp_dir().join(format!("leakcheck-preview-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join("sample.dcm");
    std::fs::write(&input, dicom_leakcheck::sample::sample_file()).expect("write sample");
    let out = dir.join("frame.png");
    let status = cli()
        .arg("preview")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(&out).expect("PNG written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height of the sample, 8-bit grayscale (colour type 0).
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert!(width > 0);
    assert_eq!(png[24], 8);
    assert_eq!(png[25], 0);

    let bad = cli()
        .arg("preview")
        .arg(&input)
        .args(["--frame", "3", "-o"])
        .arg(dir.join("x.png"))
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no frame 3; the image has 1"));
    // A file that is not DICOM: that file failed (exit 1), with the reason.
    let not_dicom = dir.join("note.txt");
    std::fs::write(&not_dicom, "hello").expect("write");
    let failed = cli()
        .arg("preview")
        .arg(&not_dicom)
        .arg("-o")
        .arg(dir.join("y.png"))
        .output()
        .expect("runs");
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("not a DICOM file"));
    let _ = std::fs::remove_dir_all(&dir);
}
