//! Reading back the map exports' XML in the tests: an element's attributes, unescaped, and
//! every element of a document with its attributes.
#![allow(dead_code)] // Each test binary uses its own part of these helpers.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// An element's attributes as `(name, value)` in document order, values unescaped.
pub fn attribute_pairs(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .map(|a| {
            let a = a.expect("a well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).expect("utf8"),
                a.unescape_value().expect("escaped").into_owned(),
            )
        })
        .collect()
}

/// Every element (start or empty) name with its attributes, in document order.
pub fn elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).expect("utf8");
                out.push((name, attribute_pairs(&e)));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}
