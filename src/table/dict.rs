//! Interned text: flow logs repeat the same few IDs (account, ENI, VPC, subnet) millions
//! of times, so each distinct value is stored once and rows hold its code.

use rustc_hash::FxHashMap;

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

#[derive(Debug, Clone, Default)]
pub struct Dict {
    index: FxHashMap<Box<[u8]>, u32>,
    values: Vec<Box<str>>,
    /// The last value interned and its code: consecutive rows often repeat a value.
    last: Option<u32>,
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
        for (code, v) in values.into_iter().enumerate() {
            d.index.entry(v.as_bytes().into()).or_insert(code as u32);
            d.values.push(v.into());
        }
        d
    }

    /// The code of `text`, adding it if new. `text` must be valid UTF-8.
    #[inline]
    pub fn intern(&mut self, text: &[u8]) -> u32 {
        if let Some(c) = self.last {
            if short_eq(self.values[c as usize].as_bytes(), text) {
                return c;
            }
        }
        let code = match self.index.get(text) {
            Some(&c) => c,
            None => self.insert(text),
        };
        self.last = Some(code);
        code
    }

    #[cold]
    fn insert(&mut self, text: &[u8]) -> u32 {
        let code = self.values.len() as u32;
        let s: Box<str> = String::from_utf8_lossy(text).into();
        self.index.insert(text.into(), code);
        self.values.push(s);
        code
    }

    /// The code of `text` if it is present.
    pub fn find(&self, text: &str) -> Option<u32> {
        self.index.get(text.as_bytes()).copied()
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
        // each value is held twice (index key and value) plus the table slots
        2 * text + self.values.capacity() * 16 + self.index.capacity() * (16 + 4 + 8)
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
        assert_eq!(d.find("eni-1"), Some(2));
        assert_eq!(d.len(), 3);
    }
}
