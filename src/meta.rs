//! A fresh File Meta Information group (PS3.10 7.1) with a zeroed preamble, built with
//! dicom-object's `FileMetaTableBuilder`.

use dicom_object::meta::FileMetaTableBuilder;

/// Our Implementation Class UID (PS3.7 D.3.3.2): `2.25.` and a UUID's decimal (PS3.5 B.2).
pub const IMPLEMENTATION_CLASS_UID: &str = "2.25.67271491112865157656750821933071012465";
/// Implementation Version Name: at most 16 characters.
pub const IMPLEMENTATION_VERSION_NAME: &str = concat!("LEAKCHECK_", env!("CARGO_PKG_VERSION"));

/// Secondary Capture, the SOP Class we name when a data set gives none.
pub const FALLBACK_SOP_CLASS_UID: &str = "1.2.840.10008.5.1.4.1.1.7";

/// Preamble (128 zero bytes), "DICM" and the meta group, Explicit VR Little Endian.
pub fn file_meta_bytes(
    sop_class_uid: &str,
    sop_instance_uid: &str,
    transfer_syntax_uid: &str,
) -> Result<Vec<u8>, String> {
    let meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid(sop_class_uid)
        .media_storage_sop_instance_uid(sop_instance_uid)
        .transfer_syntax(transfer_syntax_uid)
        .implementation_class_uid(IMPLEMENTATION_CLASS_UID)
        .implementation_version_name(IMPLEMENTATION_VERSION_NAME)
        .build()
        .map_err(|e| format!("cannot build the file meta group: {e}"))?;
    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    meta.write(&mut out)
        .map_err(|e| format!("cannot write the file meta group: {e}"))?;
    Ok(out)
}
