//! A value from a closed vocabulary (a platform, channel, priority or
//! audience) shared by every event that has it: reading a row clones a
//! reference to the one copy (`Words::find`), it does not allocate a string.

use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// One vocabulary value; reads as the `str` it holds. Empty: none.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Word(Arc<str>);

impl Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Word {
    fn from(s: &str) -> Self {
        Word(Arc::from(s))
    }
}

impl From<String> for Word {
    fn from(s: String) -> Self {
        Word(Arc::from(s))
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

/// The values a cell may take, each interned once: a cell is checked and
/// shared by one hash lookup.
#[derive(Clone, Debug, Default)]
pub struct Words {
    by_text: HashSet<Word>,
    empty: Word,
}

impl Words {
    pub fn new(values: &[String]) -> Self {
        Words {
            by_text: values.iter().map(|v| Word::from(v.as_str())).collect(),
            empty: Word::default(),
        }
    }

    /// The shared copy of `text`, if it is one of the values.
    pub fn find(&self, text: &str) -> Option<Word> {
        self.by_text.get(text).cloned()
    }

    /// The empty word (no value), shared too.
    pub fn empty(&self) -> Word {
        self.empty.clone()
    }
}

impl std::borrow::Borrow<str> for Word {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_the_values_and_shares_them() {
        let words = Words::new(&["x".to_string(), "facebook".to_string()]);
        let a = words.find("x").expect("a value");
        let b = words.find("x").expect("a value");
        assert_eq!(a, "x");
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(words.find("X"), None);
        assert_eq!(words.find(""), None);
        assert_eq!(&*words.empty(), "");
    }
}
