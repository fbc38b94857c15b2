//! Just enough PackStream (Bolt's value encoding) to read, rewrite and re-encode Bolt messages:
//! every value kind, decoded into an owned tree. Speed is irrelevant here (test support).

use std::io;

/// A PackStream value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Bytes(Vec<u8>),
    String(String),
    List(Vec<Value>),
    /// Keys in wire order (Bolt maps are ordered on the wire, and FalkorDB reads RUN's extra
    /// map by its first key).
    Map(Vec<(String, Value)>),
    /// A structure: tag byte and fields (messages, nodes, relationships, temporal values).
    Struct(u8, Vec<Value>),
}

impl Value {
    /// The value under `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

fn bad(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

/// Decodes one value that fills `bytes` exactly.
pub fn decode(bytes: &[u8]) -> io::Result<Value> {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value()?;
    if reader.at != bytes.len() {
        return Err(bad(format!(
            "packstream: {} bytes left after a value",
            bytes.len() - reader.at
        )));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> io::Result<&[u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| bad("packstream: value runs past the end of the message"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn byte(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn be(&mut self, n: usize) -> io::Result<u64> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn string(&mut self, len: usize) -> io::Result<String> {
        String::from_utf8(self.take(len)?.to_vec())
            .map_err(|e| bad(format!("packstream: string is not UTF-8: {e}")))
    }

    fn list(&mut self, len: usize) -> io::Result<Vec<Value>> {
        (0..len).map(|_| self.value()).collect()
    }

    fn map(&mut self, len: usize) -> io::Result<Vec<(String, Value)>> {
        (0..len)
            .map(|_| match self.value()? {
                Value::String(key) => Ok((key, self.value()?)),
                other => Err(bad(format!(
                    "packstream: map key is not a string: {other:?}"
                ))),
            })
            .collect()
    }

    fn value(&mut self) -> io::Result<Value> {
        let marker = self.byte()?;
        Ok(match marker {
            0x00..=0x7F => Value::Int(i64::from(marker)),
            0xF0..=0xFF => Value::Int(i64::from(marker as i8)),
            0x80..=0x8F => Value::String(self.string(usize::from(marker & 0x0F))?),
            0x90..=0x9F => Value::List(self.list(usize::from(marker & 0x0F))?),
            0xA0..=0xAF => Value::Map(self.map(usize::from(marker & 0x0F))?),
            0xB0..=0xBF => {
                let tag = self.byte()?;
                Value::Struct(tag, self.list(usize::from(marker & 0x0F))?)
            }
            0xC0 => Value::Null,
            0xC1 => Value::Float(f64::from_bits(self.be(8)?)),
            0xC2 => Value::Bool(false),
            0xC3 => Value::Bool(true),
            0xC8 => Value::Int(i64::from(self.byte()? as i8)),
            0xC9 => Value::Int(i64::from(self.be(2)? as u16 as i16)),
            0xCA => Value::Int(i64::from(self.be(4)? as u32 as i32)),
            0xCB => Value::Int(self.be(8)? as i64),
            0xCC..=0xCE => {
                let len = self.be(1 << (marker - 0xCC))? as usize;
                Value::Bytes(self.take(len)?.to_vec())
            }
            0xD0..=0xD2 => {
                let len = self.be(1 << (marker - 0xD0))? as usize;
                Value::String(self.string(len)?)
            }
            0xD4..=0xD6 => {
                let len = self.be(1 << (marker - 0xD4))? as usize;
                Value::List(self.list(len)?)
            }
            0xD8..=0xDA => {
                let len = self.be(1 << (marker - 0xD8))? as usize;
                Value::Map(self.map(len)?)
            }
            other => return Err(bad(format!("packstream: unknown marker {other:#04x}"))),
        })
    }
}

/// Encodes `value` in its shortest form.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, value);
    out
}

/// A marker for a sized value: tiny (`tiny | len`) below 16, else the 8/16/32-bit form.
fn sized(out: &mut Vec<u8>, tiny: Option<u8>, wide: u8, len: usize) {
    match (tiny, len) {
        (Some(tiny), 0..=15) => out.push(tiny | len as u8),
        (_, 0..=0xFF) => out.extend([wide, len as u8]),
        (_, 0x100..=0xFFFF) => {
            out.push(wide + 1);
            out.extend((len as u16).to_be_bytes());
        }
        _ => {
            out.push(wide + 2);
            out.extend((len as u32).to_be_bytes());
        }
    }
}

fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(0xC0),
        Value::Bool(b) => out.push(if *b { 0xC3 } else { 0xC2 }),
        Value::Int(i) => match *i {
            -16..=127 => out.push(*i as i8 as u8),
            -128..=-17 => out.extend([0xC8, *i as i8 as u8]),
            -32_768..=32_767 => {
                out.push(0xC9);
                out.extend((*i as i16).to_be_bytes());
            }
            -2_147_483_648..=2_147_483_647 => {
                out.push(0xCA);
                out.extend((*i as i32).to_be_bytes());
            }
            _ => {
                out.push(0xCB);
                out.extend(i.to_be_bytes());
            }
        },
        Value::Float(f) => {
            out.push(0xC1);
            out.extend(f.to_bits().to_be_bytes());
        }
        Value::Bytes(b) => {
            sized(out, None, 0xCC, b.len());
            out.extend(b);
        }
        Value::String(s) => {
            sized(out, Some(0x80), 0xD0, s.len());
            out.extend(s.as_bytes());
        }
        Value::List(items) => {
            sized(out, Some(0x90), 0xD4, items.len());
            items.iter().for_each(|v| write(out, v));
        }
        Value::Map(entries) => {
            sized(out, Some(0xA0), 0xD8, entries.len());
            for (k, v) in entries {
                write(out, &Value::String(k.clone()));
                write(out, v);
            }
        }
        Value::Struct(tag, fields) => {
            // Bolt structures have at most 15 fields, so the tiny form always fits.
            out.extend([0xB0 | (fields.len() as u8 & 0x0F), *tag]);
            fields.iter().for_each(|v| write(out, v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_at_every_width() {
        let long = "长".repeat(30_000);
        let values = vec![
            Value::Null,
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(0),
            Value::Int(-16),
            Value::Int(-17),
            Value::Int(127),
            Value::Int(128),
            Value::Int(-129),
            Value::Int(40_000),
            Value::Int(i64::MIN),
            Value::Int(i64::MAX),
            Value::Float(-0.0),
            Value::Float(1e-300),
            Value::Bytes(vec![1, 2, 3]),
            Value::String(String::new()),
            Value::String("澳門大學".into()),
            Value::String(long),
            Value::List((0..300).map(Value::Int).collect()),
            Value::Map(vec![("b".into(), Value::Null), ("a".into(), Value::Int(1))]),
            Value::Struct(0x4E, vec![Value::Int(1), Value::List(vec![])]),
        ];
        for value in values {
            let bytes = encode(&value);
            let back = decode(&bytes).expect("decodes");
            assert_eq!(format!("{value:?}"), format!("{back:?}"));
        }
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let bytes = encode(&Value::String("hello".into()));
        assert!(decode(&bytes[..3]).is_err());
        assert!(decode(&[0xE0]).is_err());
    }
}
