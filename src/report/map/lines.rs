//! The line of an entry of a mapping file, found by reading the YAML again
//! down a path of keys and stopping at the entry's value: serde_yaml puts
//! the value's position on the error that stops it.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;

/// The line of the value at `path` (keys from the top), or 0 when the
/// path is not in `text`.
pub fn line_of(text: &str, path: &[&str]) -> u64 {
    let d = serde_yaml::Deserializer::from_str(text);
    match (Probe { path }).deserialize(d) {
        Err(e) if e.to_string().contains(HERE) => e.location().map_or(0, |l| l.line() as u64),
        _ => 0,
    }
}

/// What the probe's error says, to tell it from a YAML error.
const HERE: &str = "the value sought";

struct Probe<'a> {
    path: &'a [&'a str],
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.path.is_empty() {
            return d.deserialize_any(Here);
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
        while let Some(key) = m.next_key::<Key>()? {
            if key.0 == self.path[0] {
                return m.next_value_seed(Probe {
                    path: &self.path[1..],
                });
            }
            m.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Stops at whatever value it is given, with an error carrying its place.
struct Here;

impl Visitor<'_> for Here {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(HERE)
    }
}

/// A key as text, whatever YAML type it has.
struct Key(String);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct K;
        impl Visitor<'_> for K {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key(String::new()))
            }
        }
        d.deserialize_str(K)
    }
}
