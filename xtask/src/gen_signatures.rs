//! `cargo xtask gen-signatures`: turns `data/pixel-signatures.tsv` (known vendor screen layouts
//! with burned-in text, re-expressed from RSNA CTP and pydicom/deid; see the file's header) into
//! `crates/core/src/pixels/signatures_table.rs` (types in `crates/core/src/pixels/risk/signature.rs`).
//!
//! Every row is parsed strictly: an unknown attribute keyword, a malformed condition or
//! rectangle, a duplicate id or a changed count per source stops the generator with an error.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};

use crate::gen_tables::{sha256_hex, workspace_root};

mod condition;
pub use condition::{parse_condition, Cond};

/// Signatures re-expressed from RSNA CTP's DicomPixelAnonymizer.script (commit 867f893).
pub const CTP_SIGNATURES: usize = 52;
/// Their rectangles.
pub const CTP_RECTANGLES: usize = 62;
/// Signatures re-expressed from pydicom/deid's deid.dicom (commit 031ddcf) that are not
/// copies of CTP's.
pub const DEID_SIGNATURES: usize = 56;

/// The input, relative to the workspace root.
pub const INPUT: &str = "data/pixel-signatures.tsv";
/// The output, relative to the workspace root.
pub const OUTPUT: &str = "crates/core/src/pixels/signatures_table.rs";

/// The attribute keywords a condition may name (PS3.6), with their tags.
pub const KEYWORDS: [(&str, u32); 14] = [
    ("ImplementationVersionName", 0x0002_0013),
    ("ImageType", 0x0008_0008),
    ("Modality", 0x0008_0060),
    ("Manufacturer", 0x0008_0070),
    ("CodeMeaning", 0x0008_0104),
    ("SeriesDescription", 0x0008_103E),
    ("ManufacturerModelName", 0x0008_1090),
    ("ProtocolName", 0x0018_1030),
    ("Rows", 0x0028_0010),
    ("Columns", 0x0028_0011),
    ("BurnedInAnnotation", 0x0028_0301),
    ("WindowWidth", 0x0028_1051),
    ("CommentsOnRadiationDose", 0x0040_0310),
    ("OverlayDescription", 0x6000_0022),
];

/// Command-line arguments of `cargo xtask gen-signatures`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Write nothing; fail if the generated file on disk differs from what would be written
    #[arg(long)]
    pub check: bool,
}

/// Runs the command: generate, then write (or, with `--check`, compare).
pub fn run(args: &Args) -> Result<()> {
    let root = workspace_root();
    let contents = generate(&root.join(INPUT))?;
    let path = root.join(OUTPUT);
    let fresh = fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str());
    if args.check {
        ensure!(
            fresh,
            "out of date (run `cargo xtask gen-signatures`): {}",
            path.display()
        );
    } else if fresh {
        eprintln!("unchanged {}", path.display());
    } else {
        fs::write(&path, &contents).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Reads the TSV and renders the Rust file (writes nothing).
pub fn generate(input: &Path) -> Result<String> {
    let tsv =
        fs::read_to_string(input).with_context(|| format!("cannot read {}", input.display()))?;
    let rows = parse_tsv(&tsv).with_context(|| format!("in {}", input.display()))?;
    check_counts(&rows)?;
    Ok(render(&rows, &sha256_hex(tsv.as_bytes())))
}

/// The generated file's path inside the workspace.
pub fn output_path() -> PathBuf {
    workspace_root().join(OUTPUT)
}

/// One signature row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub source: String,
    pub name: String,
    /// The condition as written in the TSV.
    pub condition_text: String,
    pub condition: Cond,
    /// x, y, w, h.
    pub rectangles: Vec<[u32; 4]>,
}

/// Parses the TSV: `#` comments, one header line, then rows.
pub fn parse_tsv(tsv: &str) -> Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    let mut header_seen = false;
    for (index, line) in tsv.lines().enumerate() {
        let at = || format!("line {}", index + 1);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        ensure!(
            fields.len() == 5,
            "{}: expected 5 tab-separated fields, found {}",
            at(),
            fields.len()
        );
        if !header_seen {
            ensure!(
                fields == ["id", "source", "name", "condition", "rectangles"],
                "{}: expected the header line `id source name condition rectangles`",
                at()
            );
            header_seen = true;
            continue;
        }
        let (id, source, name) = (fields[0], fields[1], fields[2]);
        ensure!(
            matches!(source, "ctp" | "deid"),
            "{}: unknown source {source:?}",
            at()
        );
        let number = id
            .strip_prefix(source)
            .and_then(|rest| rest.strip_prefix('-'))
            .unwrap_or_default();
        ensure!(
            number.len() == 2 && number.bytes().all(|b| b.is_ascii_digit()),
            "{}: id {id:?} is not `{source}-NN`",
            at()
        );
        ensure!(
            rows.iter().all(|r| r.id != id),
            "{}: id {id} appears twice",
            at()
        );
        ensure!(
            !name.is_empty() && name.trim() == name,
            "{}: empty name or stray whitespace",
            at()
        );
        let condition = parse_condition(fields[3]).with_context(at)?;
        let rectangles = parse_rectangles(fields[4]).with_context(at)?;
        rows.push(Row {
            id: id.to_string(),
            source: source.to_string(),
            name: name.to_string(),
            condition_text: fields[3].to_string(),
            condition,
            rectangles,
        });
    }
    Ok(rows)
}

/// The number of signatures and rectangles per source must not change by accident.
pub fn check_counts(rows: &[Row]) -> Result<()> {
    let count = |source: &str| rows.iter().filter(|r| r.source == source).count();
    let rectangles: usize = rows
        .iter()
        .filter(|r| r.source == "ctp")
        .map(|r| r.rectangles.len())
        .sum();
    ensure!(
        count("ctp") == CTP_SIGNATURES && rectangles == CTP_RECTANGLES,
        "{} ctp signatures with {rectangles} rectangles, expected {CTP_SIGNATURES} with \
         {CTP_RECTANGLES}",
        count("ctp")
    );
    ensure!(
        count("deid") == DEID_SIGNATURES,
        "{} deid signatures, expected {DEID_SIGNATURES}",
        count("deid")
    );
    Ok(())
}

/// `x,y,w,h x,y,w,h ...`, each with a positive width and height.
pub fn parse_rectangles(text: &str) -> Result<Vec<[u32; 4]>> {
    let mut out = Vec::new();
    for part in text.split(' ') {
        let numbers: Vec<u32> = part
            .split(',')
            .map(|n| n.parse::<u32>())
            .collect::<Result<_, _>>()
            .with_context(|| format!("rectangle {part:?} is not x,y,w,h"))?;
        let [x, y, w, h] = numbers[..] else {
            bail!("rectangle {part:?} does not have four numbers");
        };
        ensure!(w > 0 && h > 0, "rectangle {part:?} is empty");
        out.push([x, y, w, h]);
    }
    Ok(out)
}

/// `SERIES_DESCRIPTION` from `SeriesDescription`.
fn const_name(keyword: &str) -> String {
    let mut out = String::new();
    for (i, c) in keyword.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn render_cond(cond: &Cond) -> String {
    match cond {
        Cond::Contains(k, v) => format!("Contains({}, {v:?})", const_name(k)),
        Cond::Equals(k, v) => format!("Equals({}, {v:?})", const_name(k)),
        Cond::StartsWith(k, v) => format!("StartsWith({}, {v:?})", const_name(k)),
        Cond::NumberEquals(k, n) => format!("NumberEquals({}, {n})", const_name(k)),
        Cond::All(parts) => format!(
            "All(&[{}])",
            parts.iter().map(render_cond).collect::<Vec<_>>().join(", ")
        ),
        Cond::Any(parts) => format!(
            "Any(&[{}])",
            parts.iter().map(render_cond).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Renders `signatures_table.rs`. The table is one signature per block, which rustfmt would
/// reflow; `#[rustfmt::skip]` keeps it as generated.
pub fn render(rows: &[Row], tsv_sha256: &str) -> String {
    let mut out = String::new();
    out.push_str(
        "// @generated by `cargo xtask gen-signatures`. Do not edit by hand: edit the data file\n",
    );
    out.push_str("// (data/pixel-signatures.tsv) or the generator and run it again.\n");
    out.push_str(
        "// Source: RSNA CTP source/files/scripts/DicomPixelAnonymizer.script (commit 867f893) and\n",
    );
    out.push_str("// pydicom/deid deid/data/deid.dicom (commit 031ddcf), re-expressed as data.\n");
    let _ = writeln!(out, "// Input: {INPUT}, SHA-256 {tsv_sha256}");
    out.push('\n');
    out.push_str("use super::signature_model::Cond::*;\n");
    out.push_str("use super::signature_model::{Signature, SignatureSource};\n");
    out.push_str("use super::Rect;\n\n");
    for (keyword, tag) in KEYWORDS {
        let _ = writeln!(
            out,
            "const {}: u32 = 0x{:04X}_{:04X};",
            const_name(keyword),
            tag >> 16,
            tag & 0xFFFF
        );
    }
    out.push('\n');
    out.push_str("/// Every signature of data/pixel-signatures.tsv, in file order.\n");
    out.push_str("#[rustfmt::skip]\n");
    let _ = writeln!(
        out,
        "pub static SIGNATURES: [Signature; {}] = [",
        rows.len()
    );
    for row in rows {
        let source = if row.source == "ctp" { "Ctp" } else { "Deid" };
        out.push_str("    Signature {\n");
        let _ = writeln!(out, "        id: {:?},", row.id);
        let _ = writeln!(out, "        source: SignatureSource::{source},");
        let _ = writeln!(out, "        name: {:?},", row.name);
        let _ = writeln!(out, "        when: {:?},", row.condition_text);
        let _ = writeln!(out, "        condition: {},", render_cond(&row.condition));
        let rects: Vec<String> = row
            .rectangles
            .iter()
            .map(|[x, y, w, h]| format!("Rect {{ x: {x}, y: {y}, w: {w}, h: {h} }}"))
            .collect();
        let _ = writeln!(out, "        regions: &[{}],", rects.join(", "));
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangles() {
        assert_eq!(
            parse_rectangles("0,0,512,25 724,0,300,150").unwrap(),
            vec![[0, 0, 512, 25], [724, 0, 300, 150]]
        );
        assert!(parse_rectangles("0,0,0,25").is_err());
        assert!(parse_rectangles("0,0,5").is_err());
        assert!(parse_rectangles("0,0,5,5,").is_err());
    }

    #[test]
    fn const_names() {
        assert_eq!(
            const_name("ManufacturerModelName"),
            "MANUFACTURER_MODEL_NAME"
        );
        assert_eq!(const_name("Rows"), "ROWS");
    }
}
