//! A JSON array of objects read one element at a time (a serde `Visitor` over the array's
//! `SeqAccess`): however large the file, one row is in memory at once.

use std::io::{BufReader, Read};

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a file was not read to its end.
#[derive(Debug)]
pub(crate) enum RowsError<E> {
    /// The file is not a JSON array of objects: the row (from 1) where that showed, and
    /// what was wrong there (serde_json's words, with line and column).
    NotAnExport { row: usize, reason: String },
    /// Its bytes could not be read (a damaged zip entry, a disk error) at that row.
    Unreadable { row: usize, reason: String },
    /// `each` stopped the reading.
    Stopped(E),
}

/// Calls `each` with every element of the JSON array `reader` holds, in order, with its
/// number (from 1); how many there were.
pub(crate) fn for_each_object<E>(
    reader: impl Read,
    mut each: impl FnMut(usize, Map<String, Value>) -> Result<(), E>,
) -> Result<usize, RowsError<E>> {
    let mut seen = 0;
    let mut stopped = None;
    let mut json = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, reader));
    let rows = Rows {
        each: &mut each,
        seen: &mut seen,
        stopped: &mut stopped,
    };
    match (
        json.deserialize_seq(rows).and_then(|()| json.end()),
        stopped,
    ) {
        (Ok(()), _) => Ok(seen),
        (Err(_), Some(stopped)) => Err(RowsError::Stopped(stopped)),
        (Err(e), None) if e.is_io() => Err(RowsError::Unreadable {
            row: seen + 1,
            reason: e.to_string(),
        }),
        (Err(e), None) => Err(RowsError::NotAnExport {
            row: seen + 1,
            reason: e.to_string(),
        }),
    }
}

struct Rows<'a, F, E> {
    each: &'a mut F,
    seen: &'a mut usize,
    stopped: &'a mut Option<E>,
}

impl<'de, F, E> Visitor<'de> for Rows<'_, F, E>
where
    F: FnMut(usize, Map<String, Value>) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON array of plays")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(element) = seq.next_element::<Value>()? {
            let Value::Object(row) = element else {
                return Err(de::Error::custom(format!(
                    "a play is a JSON object, and this is {}",
                    kind_of(&element)
                )));
            };
            *self.seen += 1;
            if let Err(e) = (self.each)(*self.seen, row) {
                *self.stopped = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<(usize, Value)>, RowsError<()>> {
        let mut rows = Vec::new();
        for_each_object(text.as_bytes(), |n, row| {
            rows.push((n, Value::Object(row)));
            Ok(())
        })
        .map(|count| {
            assert_eq!(count, rows.len());
            rows
        })
    }

    #[test]
    fn every_object_comes_in_order_and_anything_else_is_named_by_its_row() {
        let rows = read(r#" [ {"ts": 1}, {"ts": 2} ] "#).unwrap();
        assert_eq!(
            rows,
            [
                (1, serde_json::json!({"ts": 1})),
                (2, serde_json::json!({"ts": 2}))
            ]
        );
        assert!(read("[]").unwrap().is_empty());
        for (text, row, says) in [
            (r#"{"ts": 1}"#, 1, "a JSON array of plays"),
            (r#"[{"ts": 1}, 7]"#, 2, "a number"),
            (r#"[{"ts": 1}, {"ts": "#, 2, "EOF"),
            (r#"[{"ts": 1}] trailing"#, 2, "trailing"),
            ("", 1, "EOF"),
        ] {
            match read(text) {
                Err(RowsError::NotAnExport { row: at, reason }) => {
                    assert_eq!(at, row, "{text}: {reason}");
                    assert!(reason.contains(says), "{text}: {reason}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_stop_from_the_caller_ends_the_reading_with_its_reason() {
        let mut seen = 0;
        let stopped = for_each_object(r#"[{}, {}, {}]"#.as_bytes(), |n, _| {
            seen = n;
            if n == 2 { Err("full") } else { Ok(()) }
        });
        assert!(matches!(stopped, Err(RowsError::Stopped("full"))));
        assert_eq!(seen, 2);
    }
}
