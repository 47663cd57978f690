//! Interned text: flow logs repeat the same few IDs (account, ENI, VPC, subnet) millions
//! of times, so each distinct value is stored once and rows hold its code.

/// The hash of a value, eight bytes at a time (the last word padded with `!`, the
/// length in the seed); `each` sees every word read, so a caller can check the bytes in
/// the same pass (the decode kernel checks IDs are printable while it hashes them).
#[inline(always)]
pub(crate) fn hash_words(text: &[u8], mut each: impl FnMut(u64)) -> u64 {
    let mut h = text.len() as u64;
    let mut words = text.chunks_exact(8);
    for c in &mut words {
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        each(w);
        h = mix(h, w);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut b = [b'!'; 8];
        b[..rest.len()].copy_from_slice(rest);
        let w = u64::from_le_bytes(b);
        each(w);
        h = mix(h, w);
    }
    // the index takes the high 32 bits (best mixed by the multiply), the tag the low
    h
}

/// Byte equality without a libc call for the short IDs flow logs are made of.
#[inline(always)]
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    let word = |s: &[u8], i: usize| u64::from_ne_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
    while i + 8 <= a.len() {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    a[i..].iter().zip(&b[i..]).all(|(x, y)| x == y)
}

/// One step of the hash (the multiply of FxHash).
#[inline(always)]
pub(crate) fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// The hash of a value as [`Dict`] indexes it.
#[inline]
pub(crate) fn hash(text: &[u8]) -> u64 {
    hash_words(text, |_| {})
}

/// Interned values and an open-addressing index over them. The index holds codes, not
/// copies of the text, and each slot keeps 32 bits of its value's hash, so a lookup
/// hashes the value once and compares bytes only on a hash match.
#[derive(Debug, Clone, Default)]
pub struct Dict {
    /// `(hash bits, code + 1)`; 0 is an empty slot. A power of two long, at most half full.
    slots: Vec<(u32, u32)>,
    values: Vec<Box<str>>,
}

impl Dict {
    /// A dictionary whose first codes are the given values, in order.
    pub fn seeded(values: &[&str]) -> Dict {
        let mut d = Dict::default();
        for v in values {
            d.intern(v.as_bytes());
        }
        d
    }

    /// A dictionary holding `values` as codes 0, 1, … (a serialized table read back). A
    /// repeated value keeps its first code for lookups; rows may still hold either code.
    pub fn from_values(values: Vec<String>) -> Dict {
        let mut d = Dict::default();
        for v in values {
            let h = hash(v.as_bytes());
            match d.probe(v.as_bytes(), h) {
                // a repeat keeps its position (rows may hold its code) but not the index
                Ok(_) => d.values.push(v.into()),
                Err(slot) => {
                    d.insert(v.as_bytes(), h, slot);
                }
            }
        }
        d
    }

    /// The code of `text`, adding it if new. `text` must be valid UTF-8.
    #[inline]
    pub fn intern(&mut self, text: &[u8]) -> u32 {
        self.intern_hashed(text, hash(text))
    }

    /// [`Dict::intern`] with the value's [`hash`] already known.
    #[inline(always)]
    pub(crate) fn intern_hashed(&mut self, text: &[u8], h: u64) -> u32 {
        match self.probe(text, h) {
            Ok(code) => code,
            Err(slot) => self.insert(text, h, slot),
        }
    }

    /// The code of `text` (Ok), or the empty slot where it belongs (Err).
    #[inline(always)]
    fn probe(&self, text: &[u8], h: u64) -> Result<u32, usize> {
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let tag = h as u32;
        let mut i = (h >> 32) as usize & mask;
        loop {
            let (t, c) = self.slots[i];
            if c == 0 {
                return Err(i);
            }
            if t == tag && short_eq(self.values[(c - 1) as usize].as_bytes(), text) {
                return Ok(c - 1);
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    #[inline(never)]
    fn insert(&mut self, text: &[u8], h: u64, slot: usize) -> u32 {
        let code = self.values.len() as u32;
        self.values.push(String::from_utf8_lossy(text).into());
        if (self.values.len()) * 2 > self.slots.len() {
            self.grow();
        } else {
            self.slots[slot] = (h as u32, code + 1);
        }
        code
    }

    /// Doubles the index (or makes the first) and re-files every value.
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(16);
        self.slots = vec![(0, 0); len];
        let mask = len - 1;
        for (code, v) in self.values.iter().enumerate() {
            let h = hash(v.as_bytes());
            let mut i = (h >> 32) as usize & mask;
            while self.slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (h as u32, code as u32 + 1);
        }
    }

    /// The code of `text` if it is present.
    #[cfg(test)]
    pub fn find(&self, text: &str) -> Option<u32> {
        self.probe(text.as_bytes(), hash(text.as_bytes())).ok()
    }

    pub fn values(&self) -> &[Box<str>] {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn heap_bytes(&self) -> usize {
        let text: usize = self.values.iter().map(|v| v.len()).sum();
        text + self.values.capacity() * 16 + self.slots.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable() {
        let mut d = Dict::seeded(&["ACCEPT", "REJECT"]);
        assert_eq!(d.intern(b"REJECT"), 1);
        assert_eq!(d.intern(b"eni-1"), 2);
        assert_eq!(d.intern(b"ACCEPT"), 0);
        assert_eq!(d.intern(b"eni-1"), 2);
        assert_eq!(&*d.values()[2], "eni-1");
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn many_values_keep_their_codes_across_growth() {
        let mut d = Dict::default();
        for i in 0..10_000u32 {
            assert_eq!(d.intern(format!("eni-{i:017x}").as_bytes()), i);
        }
        for i in (0..10_000u32).rev() {
            assert_eq!(d.find(&format!("eni-{i:017x}")), Some(i));
            assert_eq!(d.intern(format!("eni-{i:017x}").as_bytes()), i);
        }
        assert_eq!(d.find("eni-"), None);
        assert_eq!(d.find(""), None);
        assert_eq!(d.intern(b""), 10_000);
        assert_eq!(d.find(""), Some(10_000));
    }
}
