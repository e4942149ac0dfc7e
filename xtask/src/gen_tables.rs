//! `cargo xtask gen-tables`: turns the normative DocBook of DICOM PS3.15 2026c into the Rust
//! tables under `crates/core/src/rules/` (types in `crates/core/src/rules/model.rs`):
//!
//! - `table_e1_1.rs`: Table E.1-1 (Application Level Confidentiality Profile Attributes);
//! - `table_e3_10_1.rs`: Table E.3.10-1 (Safe Private Attributes);
//! - `cid7050.rs`: PS3.16 CID 7050 (De-identification Method), from `xtask/data/cid7050.tsv`.
//!
//! The input is refused unless its SHA-256 matches its line in `SHA256SUMS` beside it. Every
//! table's header labels and row count are checked, every cell is parsed strictly, and anything
//! unexpected (an unknown action code, a Tag cell that cannot be read, markup such as a footnote
//! inside a cell) stops the generator with an error rather than being skipped.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, ensure, Context, Result};
use roxmltree::{Document, Node};
use sha2::{Digest, Sha256};

/// File name of the normative input inside the standard directory.
pub const STANDARD_FILE: &str = "part15-2026c.xml";
/// Name of the checksum file beside it (`sha256sum` format).
pub const SUMS_FILE: &str = "SHA256SUMS";
/// The edition the row counts and header labels below belong to.
pub const EDITION: &str = "DICOM PS3.15 2026c";

/// Row count of Table E.1-1 in the 2026c edition.
pub const E1_1_ROWS: usize = 656;
/// Data row count of Table E.3.10-1 in the 2026c edition.
pub const E3_10_1_ROWS: usize = 479;
/// Number of codes in CID 7050.
pub const CID7050_ROWS: usize = 13;

/// Generated file names, relative to the output directory (`crates/core/src/rules`).
pub const E1_1_FILE: &str = "table_e1_1.rs";
pub const E3_10_1_FILE: &str = "table_e3_10_1.rs";
pub const CID7050_FILE: &str = "cid7050.rs";

const DOCBOOK_NS: &str = "http://docbook.org/ns/docbook";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

const E1_1_ID: &str = "table_E.1-1";
const E1_1_CAPTION: &str = "Application Level Confidentiality Profile Attributes";
/// Header labels of Table E.1-1, in column order, as printed (the two "from" notes render the
/// `<olink>` to the part they cite).
pub const E1_1_HEADERS: [&str; 15] = [
    "Attribute Name",
    "Tag",
    "Retd. (from PS3.6)",
    "In Std. Comp. IOD (from PS3.3)",
    "Basic Prof.",
    "Rtn. Safe Priv. Opt.",
    "Rtn. UIDs Opt.",
    "Rtn. Dev. Id. Opt.",
    "Rtn. Inst. Id. Opt.",
    "Rtn. Pat. Chars. Opt.",
    "Rtn. Long. Full Dates Opt.",
    "Rtn. Long. Modif. Dates Opt.",
    "Clean Desc. Opt.",
    "Clean Struct. Cont. Opt.",
    "Clean Graph. Opt.",
];
/// The option columns (index 5.. of Table E.1-1) in `OptionColumn` order.
pub const OPTION_COLUMNS: usize = 10;

const E3_10_1_ID: &str = "table_E.3.10-1";
const E3_10_1_CAPTION: &str = "Safe Private Attributes";
/// Header labels of Table E.3.10-1, in column order.
pub const E3_10_1_HEADERS: [&str; 5] = ["Data Element", "Private Creator", "VR", "VM", "Meaning"];

/// The text of the one Tag cell of Table E.1-1 that is a sentence rather than a tag.
pub const ODD_GROUP_TAG_TEXT: &str = "(gggg,eeee) where gggg is odd";

/// The action codes of Table E.1-1a, as printed, with the `Action` variant of
/// `crates/core/src/rules/model.rs` that each becomes.
pub const ACTION_CODES: [(&str, &str); 11] = [
    ("D", "D"),
    ("Z", "Z"),
    ("X", "X"),
    ("K", "K"),
    ("C", "C"),
    ("U", "U"),
    ("Z/D", "ZD"),
    ("X/Z", "XZ"),
    ("X/D", "XD"),
    ("X/Z/D", "XZD"),
    ("X/Z/U*", "XZU"),
];

/// Looks an action code up in [`ACTION_CODES`]; returns the canonical code and its variant.
pub fn action_code(code: &str) -> Option<(&'static str, &'static str)> {
    ACTION_CODES.iter().copied().find(|(c, _)| *c == code)
}

/// Command-line arguments of `cargo xtask gen-tables`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Folder with part15-2026c.xml and SHA256SUMS [default: ../shared/standard beside the
    /// workspace root]
    #[arg(long, value_name = "DIR")]
    pub standard_dir: Option<PathBuf>,
    /// Folder to write the generated files to [default: crates/core/src/rules of the workspace]
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Write nothing; fail if a generated file on disk differs from what would be written
    #[arg(long)]
    pub check: bool,
}

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// `../shared/standard`, relative to the workspace root.
pub fn default_standard_dir() -> PathBuf {
    workspace_root().join("..").join("shared").join("standard")
}

/// `crates/core/src/rules` of the workspace.
pub fn default_out_dir() -> PathBuf {
    workspace_root()
        .join("crates")
        .join("core")
        .join("src")
        .join("rules")
}

/// `xtask/data/cid7050.tsv`.
pub fn cid7050_tsv_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("cid7050.tsv")
}

/// Runs the command: generate, then write (or, with `--check`, compare).
pub fn run(args: &Args) -> Result<()> {
    let standard_dir = args
        .standard_dir
        .clone()
        .unwrap_or_else(default_standard_dir);
    let out_dir = args.out_dir.clone().unwrap_or_else(default_out_dir);

    let generated = generate(&standard_dir, &cid7050_tsv_path())?;
    for family in &generated.tag_families {
        eprintln!("note: Table E.1-1 tag family {family}");
    }

    let mut stale = Vec::new();
    for file in &generated.files {
        let path = out_dir.join(file.name);
        let on_disk = fs::read_to_string(&path).ok();
        let fresh = on_disk.as_deref() == Some(file.contents.as_str());
        if args.check {
            if !fresh {
                stale.push(path.display().to_string());
            }
        } else if fresh {
            eprintln!("unchanged {}", path.display());
        } else {
            fs::write(&path, &file.contents)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    ensure!(
        stale.is_empty(),
        "out of date (run `cargo xtask gen-tables`): {}",
        stale.join(", ")
    );
    Ok(())
}

/// One generated source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name inside `crates/core/src/rules`.
    pub name: &'static str,
    pub contents: String,
}

/// Everything one run produces.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// Human-readable notes on the Tag cells of Table E.1-1 that are families, not single tags.
    pub tag_families: Vec<String>,
}

/// Reads and verifies the inputs and renders the three files (writes nothing).
pub fn generate(standard_dir: &Path, cid7050_tsv: &Path) -> Result<Generated> {
    let standard = load_standard(standard_dir)?;
    let tables = parse_tables(&standard.xml)?;
    let tsv = fs::read_to_string(cid7050_tsv)
        .with_context(|| format!("cannot read {}", cid7050_tsv.display()))?;
    let cid7050 =
        parse_cid7050_tsv(&tsv).with_context(|| format!("in {}", cid7050_tsv.display()))?;

    let tag_families = tables
        .e1_1
        .iter()
        .filter(|row| row.pattern.mask != u32::MAX)
        .map(|row| {
            format!(
                "{} {:?}: value {}, mask {}",
                row.tag_text,
                row.name,
                hex_u32(row.pattern.value),
                hex_u32(row.pattern.mask)
            )
        })
        .collect();

    Ok(Generated {
        files: vec![
            GeneratedFile {
                name: E1_1_FILE,
                contents: render_table_e1_1(&tables.e1_1, &standard.sha256),
            },
            GeneratedFile {
                name: E3_10_1_FILE,
                contents: render_table_e3_10_1(&tables.e3_10_1, &standard.sha256),
            },
            GeneratedFile {
                name: CID7050_FILE,
                contents: render_cid7050(&cid7050, &sha256_hex(tsv.as_bytes()), &standard.sha256),
            },
        ],
        tag_families,
    })
}

// ---------------------------------------------------------------------------------------------
// Input verification
// ---------------------------------------------------------------------------------------------

/// The verified input document.
#[derive(Debug, Clone)]
pub struct Standard {
    pub xml: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Reads `part15-2026c.xml` from `dir` and refuses it unless its SHA-256 matches the line for it
/// in `dir/SHA256SUMS`.
pub fn load_standard(dir: &Path) -> Result<Standard> {
    let sums_path = dir.join(SUMS_FILE);
    let sums = fs::read_to_string(&sums_path)
        .with_context(|| format!("cannot read {}", sums_path.display()))?;
    let expected = expected_sha256(&sums, STANDARD_FILE)
        .with_context(|| format!("in {}", sums_path.display()))?;
    let xml_path = dir.join(STANDARD_FILE);
    let bytes =
        fs::read(&xml_path).with_context(|| format!("cannot read {}", xml_path.display()))?;
    let sha256 = verify_sha256(&bytes, &expected)
        .with_context(|| format!("refusing {}", xml_path.display()))?;
    let xml =
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", xml_path.display()))?;
    Ok(Standard { xml, sha256 })
}

/// Finds the (lower-case) hash for `file_name` in `sha256sum` output: lines of
/// `<64 hex digits> <space or '*'><file name>`.
pub fn expected_sha256(sums: &str, file_name: &str) -> Result<String> {
    let mut found = None;
    for (index, line) in sums.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (hash, rest) = line
            .split_once(' ')
            .ok_or_else(|| anyhow!("line {}: not `<hash>  <file>`", index + 1))?;
        let name = rest.strip_prefix([' ', '*']).unwrap_or(rest);
        if name != file_name {
            continue;
        }
        ensure!(
            hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "line {}: {hash:?} is not a SHA-256",
            index + 1
        );
        ensure!(found.is_none(), "more than one line for {file_name}");
        found = Some(hash.to_ascii_lowercase());
    }
    found.ok_or_else(|| anyhow!("no line for {file_name}"))
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Returns the hash of `bytes` if it equals `expected` (hex, either case); an error otherwise.
pub fn verify_sha256(bytes: &[u8], expected: &str) -> Result<String> {
    let actual = sha256_hex(bytes);
    ensure!(
        actual.eq_ignore_ascii_case(expected),
        "SHA-256 mismatch: the file hashes to {actual}, but {expected} is expected"
    );
    Ok(actual)
}

// ---------------------------------------------------------------------------------------------
// Parsed rows (the generator's own mirror of crates/core/src/rules/model.rs, which it must not depend on)
// ---------------------------------------------------------------------------------------------

/// `TagPattern` of the model: a tag `t` matches when `t & mask == value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TagPattern {
    pub value: u32,
    pub mask: u32,
}

impl TagPattern {
    pub fn matches(self, tag: u32) -> bool {
        tag & self.mask == self.value
    }
}

/// One row of Table E.1-1. Action codes are kept as printed (canonical strings from
/// [`ACTION_CODES`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeRow {
    pub name: String,
    pub tag_text: String,
    pub pattern: TagPattern,
    pub retired: bool,
    pub in_standard_iod: bool,
    pub basic: &'static str,
    pub options: [Option<&'static str>; OPTION_COLUMNS],
}

/// One data row of Table E.3.10-1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafePrivateRow {
    pub tag_text: String,
    pub group: u16,
    pub element_offset: u8,
    pub creator: String,
    pub vr: String,
    pub vm: String,
    pub meaning: String,
}

/// One CID 7050 code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodCode {
    pub value: String,
    pub meaning: String,
}

/// The two tables read from the XML.
#[derive(Debug, Clone)]
pub struct Tables {
    pub e1_1: Vec<AttributeRow>,
    pub e3_10_1: Vec<SafePrivateRow>,
}

/// Parses the document and reads both tables, with the 2026c row counts.
pub fn parse_tables(xml: &str) -> Result<Tables> {
    let doc = Document::parse(xml).context("the standard is not well-formed XML")?;
    let e1_1 = parse_table_e1_1(&doc, E1_1_ROWS).context("Table E.1-1")?;
    let e3_10_1 = parse_table_e3_10_1(&doc, E3_10_1_ROWS).context("Table E.3.10-1")?;
    Ok(Tables { e1_1, e3_10_1 })
}

// ---------------------------------------------------------------------------------------------
// Table reading
// ---------------------------------------------------------------------------------------------

/// Where a node starts, for error messages.
fn position(node: Node) -> String {
    let pos = node.document().text_pos_at(node.range().start);
    format!("line {}, column {}", pos.row, pos.col)
}

fn is_docbook(node: Node, local_name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local_name
        && node.tag_name().namespace() == Some(DOCBOOK_NS)
}

/// The element children of `node`; fails on any element not named in `allowed` and on
/// non-whitespace text between them.
fn element_children<'a, 'input>(
    node: Node<'a, 'input>,
    allowed: &[&str],
) -> Result<Vec<Node<'a, 'input>>> {
    let mut out = Vec::new();
    for child in node.children() {
        if child.is_element() {
            ensure!(
                allowed.iter().any(|name| is_docbook(child, name)),
                "unexpected <{}> inside <{}> at {}",
                child.tag_name().name(),
                node.tag_name().name(),
                position(child)
            );
            out.push(child);
        } else if child.is_text() {
            let text = child.text().unwrap_or_default();
            ensure!(
                text.trim().is_empty(),
                "unexpected text {text:?} inside <{}> at {}",
                node.tag_name().name(),
                position(child)
            );
        }
    }
    Ok(out)
}

/// The table with the given `xml:id`; exactly one must exist.
fn find_table<'a, 'input>(doc: &'a Document<'input>, id: &str) -> Result<Node<'a, 'input>> {
    let mut tables = doc
        .descendants()
        .filter(|n| is_docbook(*n, "table") && n.attribute((XML_NS, "id")) == Some(id));
    let table = tables
        .next()
        .ok_or_else(|| anyhow!("no <table xml:id=\"{id}\"> in the document"))?;
    ensure!(
        tables.next().is_none(),
        "more than one <table xml:id=\"{id}\">"
    );
    Ok(table)
}

/// A table's caption, header labels and data rows (cells of each row), all as normalised text.
struct RawTable<'a, 'input> {
    caption: String,
    headers: Vec<String>,
    rows: Vec<Vec<Node<'a, 'input>>>,
}

fn read_table<'a, 'input>(table: Node<'a, 'input>) -> Result<RawTable<'a, 'input>> {
    let parts = element_children(table, &["caption", "thead", "tbody"])?;
    let caption = parts
        .iter()
        .find(|n| is_docbook(**n, "caption"))
        .ok_or_else(|| anyhow!("no <caption>"))
        .and_then(|n| cell_text(*n))?;
    let theads: Vec<_> = parts.iter().filter(|n| is_docbook(**n, "thead")).collect();
    let tbodies: Vec<_> = parts.iter().filter(|n| is_docbook(**n, "tbody")).collect();
    ensure!(
        theads.len() == 1 && tbodies.len() == 1,
        "expected one <thead> and one <tbody>, found {} and {}",
        theads.len(),
        tbodies.len()
    );

    let header_rows = element_children(*theads[0], &["tr"])?;
    ensure!(
        header_rows.len() == 1,
        "expected one header row, found {}",
        header_rows.len()
    );
    let headers = element_children(header_rows[0], &["th"])?
        .into_iter()
        .map(|th| {
            check_no_span(th)?;
            cell_text(th)
        })
        .collect::<Result<Vec<_>>>()?;

    let rows = element_children(*tbodies[0], &["tr"])?
        .into_iter()
        .map(|tr| {
            let cells = element_children(tr, &["td"])?;
            for cell in &cells {
                check_no_span(*cell)?;
            }
            Ok(cells)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RawTable {
        caption,
        headers,
        rows,
    })
}

/// Cells spanning rows or columns would shift every column after them: refuse them.
fn check_no_span(cell: Node) -> Result<()> {
    for attr in ["colspan", "rowspan"] {
        if let Some(value) = cell.attribute(attr) {
            ensure!(
                value.trim() == "1",
                "{attr}=\"{value}\" at {}: spanning cells are not supported",
                position(cell)
            );
        }
    }
    Ok(())
}

fn check_headers(found: &[String], expected: &[&str]) -> Result<()> {
    ensure!(
        found.len() == expected.len() && found.iter().zip(expected).all(|(f, e)| f == e),
        "header labels differ from the expected ones:\n  found:    {found:?}\n  expected: {expected:?}"
    );
    Ok(())
}

/// The text of a cell (or caption) as printed: the text of its paragraphs and inline markup,
/// whitespace collapsed, zero-width characters removed. Fails on any markup it does not know
/// (footnotes, cross-references, lists, ...), so nothing is silently dropped or mangled.
pub fn cell_text(node: Node) -> Result<String> {
    let mut raw = String::new();
    collect_text(node, &mut raw)?;
    Ok(normalise_text(&raw))
}

fn collect_text(node: Node, out: &mut String) -> Result<()> {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or_default());
        } else if child.is_element() {
            let known = child.tag_name().namespace() == Some(DOCBOOK_NS);
            match child.tag_name().name() {
                "para" if known => {
                    out.push(' ');
                    collect_text(child, out)?;
                    out.push(' ');
                }
                "emphasis" | "superscript" | "subscript" if known => collect_text(child, out)?,
                // A reference to a whole part, e.g. "(from PS3.6)" in a header: print its name.
                "olink" if known => {
                    let doc = child.attribute("targetdoc");
                    ensure!(
                        doc.is_some() && doc == child.attribute("targetptr"),
                        "unsupported <olink> at {}",
                        position(child)
                    );
                    out.push_str(doc.unwrap_or_default());
                }
                other => bail!(
                    "unexpected <{other}> in a table cell at {}",
                    position(child)
                ),
            }
        }
        // Comments and processing instructions print nothing.
    }
    Ok(())
}

/// Collapses runs of whitespace (line breaks and no-break spaces included) to one space, trims,
/// and drops zero-width and soft-hyphen characters (the XML has U+200B inside some names, e.g.
/// "GPS Altitude\u{200B} Ref").
pub fn normalise_text(raw: &str) -> String {
    let visible: String = raw
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
            )
        })
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads Table E.1-1 and checks it has `expected_rows` rows.
pub fn parse_table_e1_1(doc: &Document, expected_rows: usize) -> Result<Vec<AttributeRow>> {
    let table = read_table(find_table(doc, E1_1_ID)?)?;
    ensure!(
        table.caption == E1_1_CAPTION,
        "caption {:?} is not {E1_1_CAPTION:?}",
        table.caption
    );
    check_headers(&table.headers, &E1_1_HEADERS)?;
    ensure!(
        table.rows.len() == expected_rows,
        "{} rows, expected {expected_rows}",
        table.rows.len()
    );

    let mut rows = Vec::with_capacity(table.rows.len());
    let mut seen = HashSet::new();
    for (index, cells) in table.rows.iter().enumerate() {
        let at = || {
            format!(
                "row {} (at {})",
                index + 1,
                cells.first().map_or_else(String::new, |c| position(*c))
            )
        };
        let row = parse_e1_1_row(cells).with_context(at)?;
        ensure!(
            seen.insert(row.pattern),
            "{}: tag {} appears twice",
            at(),
            row.tag_text
        );
        rows.push(row);
    }
    Ok(rows)
}

fn parse_e1_1_row(cells: &[Node]) -> Result<AttributeRow> {
    ensure!(
        cells.len() == E1_1_HEADERS.len(),
        "{} cells, expected {}",
        cells.len(),
        E1_1_HEADERS.len()
    );
    let text = cells
        .iter()
        .map(|c| cell_text(*c))
        .collect::<Result<Vec<_>>>()?;
    let name = text[0].clone();
    ensure!(!name.is_empty(), "empty Attribute Name");
    let tag_text = text[1].clone();
    let pattern = parse_tag_pattern(&tag_text).with_context(|| format!("Tag cell of {name:?}"))?;
    let retired = parse_yes_no(&text[2]).with_context(|| format!("Retd. of {name:?}"))?;
    let in_standard_iod =
        parse_yes_no(&text[3]).with_context(|| format!("In Std. Comp. IOD of {name:?}"))?;
    let basic = parse_action(&text[4])
        .with_context(|| format!("Basic Prof. of {name:?}"))?
        .ok_or_else(|| anyhow!("empty Basic Prof. cell for {name:?}"))?;
    let mut options = [None; OPTION_COLUMNS];
    for (slot, (cell, header)) in options
        .iter_mut()
        .zip(text[5..].iter().zip(&E1_1_HEADERS[5..]))
    {
        *slot = parse_action(cell).with_context(|| format!("{header} of {name:?}"))?;
    }
    Ok(AttributeRow {
        name,
        tag_text,
        pattern,
        retired,
        in_standard_iod,
        basic,
        options,
    })
}

fn parse_yes_no(text: &str) -> Result<bool> {
    match text {
        "Y" => Ok(true),
        "N" => Ok(false),
        other => bail!("{other:?} is neither Y nor N"),
    }
}

/// An empty cell is `None`; otherwise the text must be one of [`ACTION_CODES`].
fn parse_action(text: &str) -> Result<Option<&'static str>> {
    if text.is_empty() {
        return Ok(None);
    }
    action_code(text)
        .map(|(code, _)| Some(code))
        .ok_or_else(|| anyhow!("unknown action code {text:?}"))
}

/// Parses a Tag cell of Table E.1-1 into a mask:
///
/// - `(0010,0010)` -> value 0x0010_0010, mask 0xFFFF_FFFF;
/// - each `x` (either case) is a free hex digit: `(50xx,xxxx)` -> 0x5000_0000 / 0xFF00_0000,
///   `(60xx,3000)` -> 0x6000_3000 / 0xFF00_FFFF;
/// - `(gggg,eeee) where gggg is odd` (all private attributes) -> 0x0001_0000 / 0x0001_0000.
///
/// Anything else is an error, as is a pattern with no fixed digit (it would match every tag).
pub fn parse_tag_pattern(text: &str) -> Result<TagPattern> {
    if text == ODD_GROUP_TAG_TEXT {
        return Ok(TagPattern {
            value: 0x0001_0000,
            mask: 0x0001_0000,
        });
    }
    let (group, element) = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .and_then(|t| t.split_once(','))
        .ok_or_else(|| anyhow!("cannot read tag {text:?}: not of the form (gggg,eeee)"))?;
    ensure!(
        group.len() == 4 && element.len() == 4,
        "cannot read tag {text:?}: group and element need 4 digits each"
    );
    let mut value = 0u32;
    let mut mask = 0u32;
    for c in group.chars().chain(element.chars()) {
        value <<= 4;
        mask <<= 4;
        if c != 'x' && c != 'X' {
            let digit = c
                .to_digit(16)
                .ok_or_else(|| anyhow!("cannot read tag {text:?}: {c:?} is not a hex digit"))?;
            value |= digit;
            mask |= 0xF;
        }
    }
    ensure!(mask != 0, "tag {text:?} would match every tag");
    Ok(TagPattern { value, mask })
}

/// Reads Table E.3.10-1 and checks it has `expected_rows` data rows.
pub fn parse_table_e3_10_1(doc: &Document, expected_rows: usize) -> Result<Vec<SafePrivateRow>> {
    let table = read_table(find_table(doc, E3_10_1_ID)?)?;
    ensure!(
        table.caption == E3_10_1_CAPTION,
        "caption {:?} is not {E3_10_1_CAPTION:?}",
        table.caption
    );
    check_headers(&table.headers, &E3_10_1_HEADERS)?;
    ensure!(
        table.rows.len() == expected_rows,
        "{} rows, expected {expected_rows}",
        table.rows.len()
    );

    let mut rows = Vec::with_capacity(table.rows.len());
    let mut seen = HashSet::new();
    for (index, cells) in table.rows.iter().enumerate() {
        let at = || {
            format!(
                "row {} (at {})",
                index + 1,
                cells.first().map_or_else(String::new, |c| position(*c))
            )
        };
        let row = parse_e3_10_1_row(cells).with_context(at)?;
        ensure!(
            seen.insert((row.group, row.element_offset, row.creator.clone())),
            "{}: {} of {:?} appears twice",
            at(),
            row.tag_text,
            row.creator
        );
        rows.push(row);
    }
    Ok(rows)
}

fn parse_e3_10_1_row(cells: &[Node]) -> Result<SafePrivateRow> {
    ensure!(
        cells.len() == E3_10_1_HEADERS.len(),
        "{} cells, expected {}",
        cells.len(),
        E3_10_1_HEADERS.len()
    );
    let mut text = cells
        .iter()
        .map(|c| cell_text(*c))
        .collect::<Result<Vec<_>>>()?
        .into_iter();
    let mut next = || text.next().unwrap_or_default();
    let (tag_text, creator, vr, vm, meaning) = (next(), next(), next(), next(), next());
    let (group, element_offset) = parse_private_tag(&tag_text)?;
    ensure!(!creator.is_empty(), "{tag_text}: empty Private Creator");
    ensure!(
        vr.is_empty() || is_vr_list(&vr),
        "{tag_text}: VR {vr:?} is not a VR (or VR/VR)"
    );
    ensure!(
        !vm.is_empty()
            && vm
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'-' || b == b'n'),
        "{tag_text}: VM {vm:?} is not a VM"
    );
    // Meaning may be empty: the standard leaves it blank for a few rows, e.g. (0119,xx21).
    Ok(SafePrivateRow {
        tag_text,
        group,
        element_offset,
        creator,
        vr,
        vm,
        meaning,
    })
}

fn is_vr_list(vr: &str) -> bool {
    vr.split('/')
        .all(|one| one.len() == 2 && one.bytes().all(|b| b.is_ascii_uppercase()))
}

/// Parses a Data Element cell of Table E.3.10-1: `(7053,xx00)` -> group 0x7053, offset 0x00.
/// The group must be odd (private); the `xx` is the private block, in either case.
pub fn parse_private_tag(text: &str) -> Result<(u16, u8)> {
    let (group, element) = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .and_then(|t| t.split_once(','))
        .ok_or_else(|| anyhow!("cannot read private tag {text:?}: not of the form (gggg,xxee)"))?;
    let offset = element
        .strip_prefix("xx")
        .or_else(|| element.strip_prefix("XX"))
        .filter(|o| o.len() == 2 && o.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| anyhow!("cannot read private tag {text:?}: element is not xxee"))?;
    ensure!(
        group.len() == 4 && group.bytes().all(|b| b.is_ascii_hexdigit()),
        "cannot read private tag {text:?}: group is not 4 hex digits"
    );
    let group = u16::from_str_radix(group, 16)?;
    ensure!(
        group % 2 == 1,
        "{text:?}: group {group:04X} is not private (odd)"
    );
    Ok((group, u8::from_str_radix(offset, 16)?))
}

/// Parses `xtask/data/cid7050.tsv`: `#` comments, then `code<TAB>meaning` lines.
pub fn parse_cid7050_tsv(tsv: &str) -> Result<Vec<MethodCode>> {
    let mut codes: Vec<MethodCode> = Vec::new();
    for (index, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        ensure!(
            fields.len() == 2,
            "line {}: expected `code<TAB>meaning`, found {} field(s)",
            index + 1,
            fields.len()
        );
        let (value, meaning) = (fields[0], fields[1]);
        ensure!(
            value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()),
            "line {}: code {value:?} is not a six-digit DCM code",
            index + 1
        );
        ensure!(
            !meaning.is_empty() && meaning == normalise_text(meaning),
            "line {}: meaning {meaning:?} is empty or has stray whitespace",
            index + 1
        );
        ensure!(
            codes.iter().all(|c| c.value != value),
            "line {}: code {value} appears twice",
            index + 1
        );
        codes.push(MethodCode {
            value: value.to_string(),
            meaning: meaning.to_string(),
        });
    }
    ensure!(
        codes.len() == CID7050_ROWS,
        "{} codes, expected {CID7050_ROWS}",
        codes.len()
    );
    Ok(codes)
}

// ---------------------------------------------------------------------------------------------
// Rendering (the output is already in rustfmt's layout, so `rustfmt --check` passes)
// ---------------------------------------------------------------------------------------------

/// `0x0010_0010`.
fn hex_u32(value: u32) -> String {
    format!("0x{:04X}_{:04X}", value >> 16, value & 0xFFFF)
}

/// A Rust string literal.
fn rust_str(text: &str) -> String {
    format!("{text:?}")
}

fn header(out: &mut String, source: &str, inputs: &[(&str, &str)]) {
    out.push_str(
        "// @generated by `cargo xtask gen-tables`. Do not edit by hand: edit the generator\n",
    );
    out.push_str("// (xtask/src/gen_tables.rs) or its input and run it again.\n");
    let _ = writeln!(out, "// Source: {source}");
    for (name, sha256) in inputs {
        let _ = writeln!(out, "// Input: {name}, SHA-256 {sha256}");
    }
    out.push('\n');
}

fn action_expr(code: &str) -> String {
    let (_, variant) = action_code(code).expect("codes were validated when parsed");
    format!("Action::{variant}")
}

fn option_expr(code: Option<&str>) -> String {
    code.map_or_else(
        || "None".to_string(),
        |c| format!("Some({})", action_expr(c)),
    )
}

/// Renders `table_e1_1.rs`.
pub fn render_table_e1_1(rows: &[AttributeRow], standard_sha256: &str) -> String {
    let mut out = String::new();
    header(
        &mut out,
        &format!("{EDITION}, Table E.1-1 \"{E1_1_CAPTION}\""),
        &[(STANDARD_FILE, standard_sha256)],
    );
    out.push_str("use super::model::{Action, AttributeRule, TagPattern};\n\n");
    let _ = writeln!(
        out,
        "/// PS3.15 Table E.1-1, every row in document order; `options` in `OptionColumn` order."
    );
    let _ = writeln!(
        out,
        "pub static TABLE_E1_1: [AttributeRule; {}] = [",
        rows.len()
    );
    for row in rows {
        out.push_str("    AttributeRule {\n");
        let _ = writeln!(out, "        name: {},", rust_str(&row.name));
        let _ = writeln!(out, "        tag_text: {},", rust_str(&row.tag_text));
        out.push_str("        pattern: TagPattern {\n");
        let _ = writeln!(out, "            value: {},", hex_u32(row.pattern.value));
        let _ = writeln!(out, "            mask: {},", hex_u32(row.pattern.mask));
        out.push_str("        },\n");
        let _ = writeln!(out, "        retired: {},", row.retired);
        let _ = writeln!(out, "        in_standard_iod: {},", row.in_standard_iod);
        let _ = writeln!(out, "        basic: {},", action_expr(row.basic));
        render_options(&mut out, &row.options);
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out
}

/// `options: [..],` on one line when it fits rustfmt's limits, else one element per line.
fn render_options(out: &mut String, options: &[Option<&str>; OPTION_COLUMNS]) {
    let items: Vec<String> = options.iter().map(|o| option_expr(*o)).collect();
    let one_line = format!("[{}]", items.join(", "));
    // rustfmt (default config) keeps an array on one line while it is at most `array_width`
    // (60) wide; the line, 8 spaces + "options: " + array + ",", is then well within 100.
    // Every element is `None` or `Some(Action::..)`, so its "short items" layout never applies:
    // an array that does not fit goes one element per line. `rustfmt --check` confirms this.
    if one_line.len() <= 60 {
        let _ = writeln!(out, "        options: {one_line},");
    } else {
        out.push_str("        options: [\n");
        for item in &items {
            let _ = writeln!(out, "            {item},");
        }
        out.push_str("        ],\n");
    }
}

/// Renders `table_e3_10_1.rs`.
pub fn render_table_e3_10_1(rows: &[SafePrivateRow], standard_sha256: &str) -> String {
    let mut out = String::new();
    header(
        &mut out,
        &format!("{EDITION}, Table E.3.10-1 \"{E3_10_1_CAPTION}\""),
        &[(STANDARD_FILE, standard_sha256)],
    );
    out.push_str("use super::model::SafePrivateRule;\n\n");
    let _ = writeln!(
        out,
        "/// PS3.15 Table E.3.10-1, every data row in document order."
    );
    let _ = writeln!(
        out,
        "pub static TABLE_E3_10_1: [SafePrivateRule; {}] = [",
        rows.len()
    );
    for row in rows {
        out.push_str("    SafePrivateRule {\n");
        let _ = writeln!(out, "        group: 0x{:04X},", row.group);
        let _ = writeln!(out, "        element_offset: 0x{:02X},", row.element_offset);
        let _ = writeln!(out, "        tag_text: {},", rust_str(&row.tag_text));
        let _ = writeln!(out, "        creator: {},", rust_str(&row.creator));
        let _ = writeln!(out, "        vr: {},", rust_str(&row.vr));
        let _ = writeln!(out, "        vm: {},", rust_str(&row.vm));
        let _ = writeln!(out, "        meaning: {},", rust_str(&row.meaning));
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out
}

/// Renders `cid7050.rs`.
pub fn render_cid7050(codes: &[MethodCode], tsv_sha256: &str, standard_sha256: &str) -> String {
    let mut out = String::new();
    header(
        &mut out,
        "DICOM PS3.16, CID 7050 \"De-identification Method\" (kept in xtask/data/cid7050.tsv)",
        &[
            ("xtask/data/cid7050.tsv", tsv_sha256),
            (STANDARD_FILE, standard_sha256),
        ],
    );
    out.push_str("use super::model::DeidMethodCode;\n\n");
    out.push_str("/// Coding Scheme Designator of every code in [`CID_7050`].\n");
    out.push_str("pub const CID_7050_SCHEME: &str = \"DCM\";\n\n");
    out.push_str(
        "/// PS3.16 CID 7050 (De-identification Method): the Basic Application Confidentiality\n",
    );
    out.push_str(
        "/// Profile and its Options, for De-identification Method Code Sequence (0012,0064).\n",
    );
    let _ = writeln!(
        out,
        "pub static CID_7050: [DeidMethodCode; {}] = [",
        codes.len()
    );
    for code in codes {
        out.push_str("    DeidMethodCode {\n");
        let _ = writeln!(out, "        value: {},", rust_str(&code.value));
        let _ = writeln!(out, "        meaning: {},", rust_str(&code.meaning));
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_patterns() {
        let p = |t| parse_tag_pattern(t).unwrap();
        assert_eq!(
            p("(0010,0010)"),
            TagPattern {
                value: 0x0010_0010,
                mask: 0xFFFF_FFFF
            }
        );
        assert_eq!(
            p("(50xx,xxxx)"),
            TagPattern {
                value: 0x5000_0000,
                mask: 0xFF00_0000
            }
        );
        assert_eq!(
            p("(60xx,3000)"),
            TagPattern {
                value: 0x6000_3000,
                mask: 0xFF00_FFFF
            }
        );
        assert_eq!(
            p("(0008,002A)"),
            TagPattern {
                value: 0x0008_002A,
                mask: 0xFFFF_FFFF
            }
        );
        let private = p(ODD_GROUP_TAG_TEXT);
        assert!(private.matches(0x0009_0010));
        assert!(private.matches(0x7FE1_1001));
        assert!(!private.matches(0x0010_0010));
        assert!(p("(60xx,3000)").matches(0x6002_3000));
        assert!(!p("(60xx,3000)").matches(0x6002_4000));
        for bad in [
            "",
            "0010,0010",
            "(0010,001)",
            "(0010,00100)",
            "(001G,0010)",
            "(xxxx,xxxx)",
            "(0010;0010)",
            "(gggg,eeee)",
            "(gggg,eeee) where gggg is even",
            " (0010,0010)",
        ] {
            assert!(parse_tag_pattern(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn private_tags() {
        assert_eq!(parse_private_tag("(7053,xx00)").unwrap(), (0x7053, 0x00));
        assert_eq!(parse_private_tag("(2001,xx0a)").unwrap(), (0x2001, 0x0A));
        assert_eq!(parse_private_tag("(00E1,XX21)").unwrap(), (0x00E1, 0x21));
        for bad in [
            "(7054,xx00)",
            "(7053,0000)",
            "(7053,xx0)",
            "(705,xx00)",
            "7053,xx00",
        ] {
            assert!(parse_private_tag(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn action_codes_match_the_model() {
        // Every code must parse to the same variant in crates/core/src/rules/model.rs's Action::from_code.
        let model =
            fs::read_to_string(workspace_root().join("crates/core/src/rules/model.rs")).unwrap();
        for (code, variant) in ACTION_CODES {
            let arm = format!("b\"{code}\" => Action::{variant},");
            assert!(model.contains(&arm), "model.rs lacks `{arm}`");
        }
        assert!(parse_action("X/Z/U").is_err());
        assert!(parse_action("x").is_err());
        assert_eq!(parse_action("").unwrap(), None);
        assert_eq!(parse_action("X/Z/U*").unwrap(), Some("X/Z/U*"));
    }

    #[test]
    fn text_is_normalised() {
        assert_eq!(
            normalise_text("  GPS\u{200B} Altitude\n\t Ref "),
            "GPS Altitude Ref"
        );
        assert_eq!(normalise_text("a\u{A0}b"), "a b");
        assert_eq!(normalise_text("\u{200B}Waveform"), "Waveform");
    }

    #[test]
    fn sums_lines() {
        let h = "77d60b856faf4223ab40a398c53130fc0ee9490d0d811ee3536e6d25c02ac717";
        let sums = format!("{}  other.json\n{h}  part15-2026c.xml\n", "0".repeat(64));
        assert_eq!(expected_sha256(&sums, STANDARD_FILE).unwrap(), h);
        let binary = format!("{} *part15-2026c.xml\n", h.to_uppercase());
        assert_eq!(expected_sha256(&binary, STANDARD_FILE).unwrap(), h);
        assert!(expected_sha256("", STANDARD_FILE).is_err());
        assert!(expected_sha256("abc  part15-2026c.xml\n", STANDARD_FILE).is_err());
        let twice = format!("{h}  part15-2026c.xml\n{h}  part15-2026c.xml\n");
        assert!(expected_sha256(&twice, STANDARD_FILE).is_err());
    }

    #[test]
    fn wrong_hash_is_refused() {
        let bytes = b"<book/>";
        let right = sha256_hex(bytes);
        assert_eq!(verify_sha256(bytes, &right).unwrap(), right);
        assert_eq!(verify_sha256(bytes, &right.to_uppercase()).unwrap(), right);
        let wrong = "77d60b856faf4223ab40a398c53130fc0ee9490d0d811ee3536e6d25c02ac717";
        let error = verify_sha256(bytes, wrong).unwrap_err().to_string();
        assert!(error.contains("mismatch"), "{error}");
    }

    /// A one-row Table E.1-1 with the given Tag and Basic cells (the Basic cell is raw XML).
    fn tiny_e1_1(tag: &str, basic_cell: &str) -> String {
        let headers: String = E1_1_HEADERS
            .iter()
            .map(|h| {
                let h = h
                    .replace("PS3.6", r#"<olink targetdoc="PS3.6" targetptr="PS3.6"/>"#)
                    .replace("PS3.3", r#"<olink targetdoc="PS3.3" targetptr="PS3.3"/>"#);
                format!("<th><para><emphasis role=\"bold\">{h}</emphasis></para></th>")
            })
            .collect();
        let empty = "<td/>".repeat(10);
        format!(
            r#"<book xmlns="http://docbook.org/ns/docbook"><table xml:id="table_E.1-1">
            <caption>Application Level Confidentiality Profile Attributes</caption>
            <thead><tr>{headers}</tr></thead>
            <tbody><tr><td><para>Patient's
               Name</para></td><td><para>{tag}</para></td><td><para>N</para></td>
               <td><para>Y</para></td><td>{basic_cell}</td>{empty}</tr></tbody>
            </table></book>"#
        )
    }

    fn parse_tiny(xml: &str) -> Result<Vec<AttributeRow>> {
        parse_table_e1_1(&Document::parse(xml).unwrap(), 1)
    }

    #[test]
    fn tiny_table_parses() {
        let rows = parse_tiny(&tiny_e1_1("(0010,0010)", "<para>Z</para>")).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name, "Patient's Name");
        assert_eq!(rows[0].basic, "Z");
        assert!(!rows[0].retired && rows[0].in_standard_iod);
        assert_eq!(rows[0].options, [None; OPTION_COLUMNS]);
    }

    #[test]
    fn tiny_table_failures_are_loud() {
        let z = || tiny_e1_1("(0010,0010)", "<para>Z</para>");
        let cases = [
            (
                tiny_e1_1("(0010,0010)", "<para>Q</para>"),
                "unknown action code \"Q\"",
            ),
            (tiny_e1_1("(0010,0010)", ""), "empty Basic Prof."),
            (
                tiny_e1_1(
                    "(0010,0010)",
                    "<para>Z<footnote><para>1</para></footnote></para>",
                ),
                "unexpected <footnote>",
            ),
            (
                tiny_e1_1("(0010,00l0)", "<para>Z</para>"),
                "'l' is not a hex digit",
            ),
            (z().replace("Basic Prof.", "Basic"), "header labels differ"),
            (z().replace("<tbody>", "<tbody><tr/>"), "2 rows, expected 1"),
            (z().replace("<td/>", "<td/><td/>"), "25 cells, expected 15"),
            (
                z().replace("<td/>", "<td colspan=\"2\"/>"),
                "spanning cells",
            ),
            (
                z().replace("<para>N</para>", "<para>n</para>"),
                "neither Y nor N",
            ),
        ];
        for (xml, expected) in cases {
            let error = format!("{:#}", parse_tiny(&xml).expect_err(&xml));
            assert!(error.contains(expected), "{expected:?} not in {error:?}");
        }
    }

    #[test]
    fn cid7050_tsv_rules() {
        let good = (0..13)
            .map(|i| format!("1131{i:02}\tOption {i}\n"))
            .collect::<String>();
        assert_eq!(
            parse_cid7050_tsv(&format!("# c\n{good}")).unwrap().len(),
            13
        );
        assert!(parse_cid7050_tsv(&good.replace("113100\t", "113100 ")).is_err());
        assert!(parse_cid7050_tsv(&good.replace("113101", "113100")).is_err());
        assert!(parse_cid7050_tsv(&good.replace("Option 3", "Option  3")).is_err());
        let twelve: String = good.lines().skip(1).map(|l| format!("{l}\n")).collect();
        assert!(parse_cid7050_tsv(&twelve).is_err());
        let shipped = fs::read_to_string(cid7050_tsv_path()).unwrap();
        let codes = parse_cid7050_tsv(&shipped).unwrap();
        for (i, code) in codes.iter().enumerate() {
            assert_eq!(code.value, format!("1131{i:02}"));
        }
        assert_eq!(
            codes[0].meaning,
            "Basic Application Confidentiality Profile"
        );
        assert_eq!(codes[12].meaning, "Retain Institution Identity Option");
    }
}
