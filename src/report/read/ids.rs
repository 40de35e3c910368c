//! The duplicate-id check of a data file: exact, and compact enough for
//! millions of rows. Each id is hashed once with a fast non-cryptographic
//! hash (the ids come from the user's own export, so there is no adversary
//! to flood a bucket) into a table of `hash -> first row`; the ids
//! themselves are kept back to back in one buffer, so a hash seen before is
//! confirmed by comparing the bytes. Two different ids with the same hash
//! are not a duplicate: the later one goes to a small exact map, checked
//! first. A real duplicate is always reported, and nothing else is.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default)]
pub(super) struct Ids {
    /// `hash -> index` into `first`, for the first id of each hash.
    table: HashMap<u64, usize, BuildHasherDefault<Passthrough>>,
    /// `(row, end)` of each id in `table`: it is `text[previous end..end]`.
    first: Vec<(u64, usize)>,
    text: String,
    /// Ids whose hash an earlier, different id has: `id -> row`.
    collided: HashMap<String, u64>,
}

impl Ids {
    /// Remembers `id` as seen on `row`; the row it was first seen on when
    /// it was seen before.
    pub(super) fn seen(&mut self, id: &str, row: u64) -> Option<u64> {
        if let Some(first) = self.collided.get(id) {
            return Some(*first);
        }
        match self.table.entry(hash(id.as_bytes())) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                self.text.push_str(id);
                slot.insert(self.first.len());
                self.first.push((row, self.text.len()));
                None
            }
            std::collections::hash_map::Entry::Occupied(slot) => {
                let i = *slot.get();
                let start = if i == 0 { 0 } else { self.first[i - 1].1 };
                let (first_row, end) = self.first[i];
                if &self.text[start..end] == id {
                    Some(first_row)
                } else {
                    self.collided.insert(id.to_string(), row);
                    None
                }
            }
        }
    }
}

/// A 64-bit hash of a short byte string: eight bytes at a time, each word
/// folded in by a multiply, then mixed so every bit of the result depends on
/// every input bit (the table uses the high bits to pick a group).
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    // A final avalanche (the xor-shift-multiply steps of a 64-bit mixer).
    h ^= h >> 32;
    h = h.wrapping_mul(0xd6e8_feb8_6659_fd93);
    h ^= h >> 32;
    h
}

/// The table's hasher: the key is already a well-mixed hash.
#[derive(Default)]
pub(super) struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by a `u64` key; fold anything else in.
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_a_duplicate_with_its_first_row() {
        let mut ids = Ids::default();
        assert_eq!(ids.seen("a", 2), None);
        assert_eq!(ids.seen("bb", 3), None);
        assert_eq!(ids.seen("a", 4), Some(2));
        assert_eq!(ids.seen("bb", 9), Some(3));
        assert_eq!(ids.seen("ab", 10), None);
    }

    #[test]
    fn a_shared_hash_is_not_a_duplicate_but_a_repeat_still_is() {
        let mut ids = Ids::default();
        assert_eq!(ids.seen("first", 2), None);
        // Force a collision: a different id under the first id's hash.
        let h = hash(b"first");
        let i = ids.table[&h];
        ids.table.remove(&h);
        ids.table.insert(hash(b"other"), i);
        assert_eq!(ids.seen("other", 3), None, "different bytes, same hash");
        assert_eq!(ids.seen("other", 4), Some(3), "the collided id repeats");
    }

    #[test]
    fn many_ids_stay_exact() {
        let mut ids = Ids::default();
        for n in 0..100_000u64 {
            assert_eq!(ids.seen(&format!("inq-{n}"), n + 2), None);
        }
        for n in (0..100_000u64).step_by(997) {
            assert_eq!(ids.seen(&format!("inq-{n}"), 1), Some(n + 2));
        }
    }
}
