//! The shapes of the PS3.15 Annex E tables. The rows themselves live in the generated files
//! beside this one (`table_e1_1.rs`, `table_e3_10_1.rs`, `cid7050.rs`), written by
//! `cargo xtask gen-tables` from the normative DocBook; never edit those by hand.

/// An action code of PS3.15 Table E.1-1a, including the dual codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[allow(clippy::upper_case_acronyms)] // the codes as PS3.15 Table E.1-1 prints them
pub enum Action {
    /// Replace with a non-zero-length dummy value consistent with the VR.
    D,
    /// Replace with a zero-length value (or a dummy).
    Z,
    /// Remove.
    X,
    /// Keep (sequences are still de-identified item by item).
    K,
    /// Clean: replace with values of similar meaning known not to identify.
    C,
    /// Replace with a consistent, non-zero-length UID.
    U,
    /// Z unless D is required (Type 2 versus Type 1).
    ZD,
    /// X unless Z is required (Type 3 versus Type 2).
    XZ,
    /// X unless D is required (Type 3 versus Type 1).
    XD,
    /// X unless Z or D is required (Type 3 versus 2 versus 1).
    XZD,
    /// X unless Z or replacing contained instance UIDs is required (sequences).
    XZU,
}

impl Action {
    /// Parses the code exactly as the standard prints it ("X/Z/U*" included).
    pub const fn from_code(code: &str) -> Option<Action> {
        Some(match code.as_bytes() {
            b"D" => Action::D,
            b"Z" => Action::Z,
            b"X" => Action::X,
            b"K" => Action::K,
            b"C" => Action::C,
            b"U" => Action::U,
            b"Z/D" => Action::ZD,
            b"X/Z" => Action::XZ,
            b"X/D" => Action::XD,
            b"X/Z/D" => Action::XZD,
            b"X/Z/U*" => Action::XZU,
            _ => return None,
        })
    }

    /// The code as the standard prints it.
    pub const fn code(self) -> &'static str {
        match self {
            Action::D => "D",
            Action::Z => "Z",
            Action::X => "X",
            Action::K => "K",
            Action::C => "C",
            Action::U => "U",
            Action::ZD => "Z/D",
            Action::XZ => "X/Z",
            Action::XD => "X/D",
            Action::XZD => "X/Z/D",
            Action::XZU => "X/Z/U*",
        }
    }
}

/// A Tag cell of Table E.1-1: one tag, or a family such as `(50xx,xxxx)`, `(60xx,3000)` or
/// `(gggg,eeee) where gggg is odd`. A tag `t` matches when `t & mask == value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagPattern {
    pub value: u32,
    pub mask: u32,
}

impl TagPattern {
    pub const fn matches(self, tag: u32) -> bool {
        tag & self.mask == self.value
    }

    /// More fixed bits means a more specific row; exact tags win over families.
    pub const fn specificity(self) -> u32 {
        self.mask.count_ones()
    }
}

/// The option columns of Table E.1-1, in the standard's column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionColumn {
    RetainSafePrivate = 0,
    RetainUids = 1,
    RetainDeviceIdentity = 2,
    RetainInstitutionIdentity = 3,
    RetainPatientCharacteristics = 4,
    RetainLongFullDates = 5,
    RetainLongModifiedDates = 6,
    CleanDescriptors = 7,
    CleanStructuredContent = 8,
    CleanGraphics = 9,
}

pub const OPTION_COLUMN_COUNT: usize = 10;

/// One row of PS3.15 Table E.1-1.
#[derive(Debug, Clone, Copy)]
pub struct AttributeRule {
    /// Attribute Name as printed in the table.
    pub name: &'static str,
    /// The Tag cell as printed, e.g. "(0010,0010)" or "(50xx,xxxx)".
    pub tag_text: &'static str,
    pub pattern: TagPattern,
    /// "Retd." column: the attribute is retired.
    pub retired: bool,
    /// "In Std. Comp. IOD" column.
    pub in_standard_iod: bool,
    /// "Basic Prof." column.
    pub basic: Action,
    /// The option columns, indexed by `OptionColumn as usize`; `None` where the cell is empty.
    pub options: [Option<Action>; OPTION_COLUMN_COUNT],
}

/// One row of PS3.15 Table E.3.10-1 (Safe Private Attributes). The lookup reads the group,
/// offset and creator; the other columns are the standard's, kept so the generated table reads
/// as the standard prints it.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)]
pub struct SafePrivateRule {
    /// The private group, e.g. 0x0009.
    pub group: u16,
    /// The element's low byte within its private block (the `xx` in `(0009,xx04)` is the block).
    pub element_offset: u8,
    /// The Data Element cell as printed.
    pub tag_text: &'static str,
    /// The Private Creator value that owns the block.
    pub creator: &'static str,
    pub vr: &'static str,
    pub vm: &'static str,
    /// Meaning as printed; conditions on safety are part of this text in the standard.
    pub meaning: &'static str,
}

/// A code of PS3.16 CID 7050 (De-identification Method), coding scheme DCM.
#[derive(Debug, Clone, Copy)]
pub struct DeidMethodCode {
    pub value: &'static str,
    pub meaning: &'static str,
}
