use dicom_leakcheck::sample::sample_file;
use dicom_leakcheck::{inspect, Deidentifier, Key, Options};

#[test]
fn debug_sample() {
    let bytes = sample_file();
    std::fs::write("/tmp/sample.dcm", &bytes).unwrap();
    let report = inspect(&bytes, Options::basic()).unwrap();
    for f in &report.elements {
        println!("{} {} {} {:?} {:?} {} {:?}", f.path, f.keyword, f.vr, f.value, f.action, f.flagged, f.reason);
    }
    println!("{}", report.summary.text);
    let d = Deidentifier::new(Key::from_bytes([9; 32]), Options::basic());
    let out = d.deidentify(&bytes).unwrap();
    std::fs::write("/tmp/sample.deid.dcm", &out.bytes).unwrap();
    println!("{:?}", out.changes);
    for f in &out.residual {
        println!("RESIDUAL {} {} {:?} {:?}", f.path, f.keyword, f.value, f.reason);
    }
}
