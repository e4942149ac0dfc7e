//! Frames decoded by the pixel search, kept for the cleaning step of the same request, so that
//! no frame is decoded twice (a compressed image is decoded to be searched, then again to be
//! cleaned and written uncompressed).
//!
//! Memory stays bounded: the search decodes a sample of at most a few frames, and only up to
//! `BUDGET` bytes of them are kept; a frame that did not fit is decoded again by the cleaner.

use super::decode::Frame;
use std::collections::BTreeMap;

/// Most bytes of decoded frames kept (eight 2048 x 2048 16-bit frames).
pub const BUDGET: usize = 64 << 20;

#[derive(Debug, Default)]
pub struct DecodedFrames {
    frames: BTreeMap<u32, Frame>,
    bytes: usize,
}

impl DecodedFrames {
    /// Keeps `frame` if it fits in the budget.
    pub fn keep(&mut self, frame: Frame) {
        let size = frame.data.len();
        if self.bytes + size <= BUDGET && !self.frames.contains_key(&frame.index) {
            self.bytes += size;
            self.frames.insert(frame.index, frame);
        }
    }

    /// The frame `index` if it was kept, handed over (it is not kept any longer).
    pub fn take(&mut self, index: u32) -> Option<Frame> {
        let frame = self.frames.remove(&index)?;
        self.bytes -= frame.data.len();
        Some(frame)
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(index: u32, bytes: usize) -> Frame {
        Frame {
            index,
            width: 1,
            height: 1,
            samples: 1,
            bits_allocated: 8,
            signed: false,
            photometric: "MONOCHROME2".into(),
            data: vec![0; bytes],
        }
    }

    #[test]
    fn frames_are_kept_within_the_budget_and_handed_over_once() {
        let mut kept = DecodedFrames::default();
        kept.keep(frame(0, BUDGET / 2));
        kept.keep(frame(1, BUDGET / 2));
        kept.keep(frame(2, 1));
        assert_eq!(kept.len(), 2);
        assert!(kept.take(2).is_none(), "over the budget");
        assert_eq!(kept.take(0).map(|f| f.index), Some(0));
        assert!(kept.take(0).is_none(), "handed over once");
        kept.keep(frame(3, 1));
        assert_eq!(kept.len(), 2);
    }
}
