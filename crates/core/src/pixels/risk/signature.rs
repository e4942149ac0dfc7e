//! Known vendor screen layouts ("signatures"): a condition on header values and the rectangles
//! where that device draws text into every frame. The table itself is generated from
//! `data/pixel-signatures.tsv` into `src/pixels/signatures_table.rs`.

use super::header::Header;
pub use crate::pixels::signature_model::{Cond, Signature, SignatureSource};
use crate::pixels::signatures_table::SIGNATURES;
use crate::pixels::Rect;

impl Cond {
    pub fn matches(&self, header: &Header) -> bool {
        let lower = |tag: u32| header.text(tag).map(|t| t.to_lowercase());
        match *self {
            Cond::Contains(tag, text) => {
                lower(tag).is_some_and(|v| v.contains(&text.to_lowercase()))
            }
            Cond::StartsWith(tag, text) => {
                lower(tag).is_some_and(|v| v.starts_with(&text.to_lowercase()))
            }
            Cond::Equals(tag, text) => header
                .values(tag)
                .iter()
                .any(|v| v.to_lowercase() == text.to_lowercase()),
            Cond::NumberEquals(tag, number) => {
                header.numbers(tag).iter().any(|v| *v == f64::from(number))
            }
            Cond::All(parts) => parts.iter().all(|p| p.matches(header)),
            Cond::Any(parts) => parts.iter().any(|p| p.matches(header)),
        }
    }
}

/// The signatures whose condition the header satisfies, in table order.
pub fn matching(header: &Header) -> Vec<&'static Signature> {
    SIGNATURES
        .iter()
        .filter(|s| s.condition.matches(header))
        .collect()
}

/// A rectangle cut to an image of `columns` x `rows` (when known); `None` if nothing is left.
/// The sources' rectangles sometimes reach past the image's edge (a 1150-wide banner on a
/// 1024-wide screen).
pub fn clip(rect: Rect, columns: Option<u32>, rows: Option<u32>) -> Option<Rect> {
    let right = rect
        .x
        .saturating_add(rect.w)
        .min(columns.unwrap_or(u32::MAX));
    let bottom = rect.y.saturating_add(rect.h).min(rows.unwrap_or(u32::MAX));
    (right > rect.x && bottom > rect.y).then(|| Rect {
        x: rect.x,
        y: rect.y,
        w: right - rect.x,
        h: bottom - rect.y,
    })
}
