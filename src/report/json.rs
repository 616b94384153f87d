//! JSON and JSON Lines. Both carry `schema_version`.

use super::Report;
use crate::analysis::Analysis;
use crate::classify::Item;
use crate::SCHEMA_VERSION;
use serde_json::{json, Value};

/// A document as JSON, with each list of items left as a placeholder string that
/// [`splice`] replaces with the items written straight from the list. Why: a
/// `serde_json::Value` of a large text's items took more memory than the analysis itself
/// (460 MiB for the 100 MB text with `--items`, against 120 MiB without); the output is
/// byte for byte what serialising the whole document as one `Value` gave.
fn document(d: &Analysis, items: bool, n: usize) -> Value {
    // `Analysis` without its items: the same fields in the same order.
    let shallow = Analysis {
        file: d.file.clone(),
        format: d.format,
        pages: d.pages,
        meta: d.meta.clone(),
        summary: d.summary.clone(),
        items: Vec::new(),
        excluded_items: Vec::new(),
        warnings: d.warnings.clone(),
        incomplete: d.incomplete,
        blocks: Vec::new(),
    };
    let mut v = serde_json::to_value(&shallow).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        // `items` stands before `warnings` and `incomplete` (insertion order: move them).
        let warnings = o.shift_remove("warnings");
        let incomplete = o.shift_remove("incomplete");
        o.insert("items".into(), json!(placeholder("items", n)));
        if !d.excluded_items.is_empty() {
            o.insert("excluded_items".into(), json!(placeholder("excluded", n)));
        }
        if let Some(w) = warnings {
            o.insert("warnings".into(), w);
        }
        if let Some(i) = incomplete {
            o.insert("incomplete".into(), i);
        }
        if !items {
            o.remove("items");
            o.remove("excluded_items");
        }
    }
    v
}

/// The stand-in for document `n`'s list `what` (a text no letter holds: it starts with
/// U+0001).
fn placeholder(what: &str, n: usize) -> String {
    format!("\u{1}byrde-{what}-{n}\u{1}")
}

/// Where the JSON text goes, a piece at a time: returns false to stop (stdout closed).
pub type Out<'a> = dyn FnMut(&str) -> std::io::Result<bool> + 'a;

/// Text of about this many bytes is handed to [`Out`] at a time.
const PIECE: usize = 1 << 20;

/// Write `text` (JSON written pretty or compact) to `out` with the placeholders of `docs`
/// replaced by their items, written one at a time, so that the whole text with its items
/// is never held.
fn splice(text: &str, docs: &[&Analysis], pretty: bool, out: &mut Out) -> std::io::Result<()> {
    let mut buf = String::new();
    let mut rest = text;
    for (n, d) in docs.iter().enumerate() {
        let lists = [
            ("items", "items", &d.items),
            ("excluded", "excluded_items", &d.excluded_items),
        ];
        for (what, key, list) in lists {
            // Found with its key: a string of the letter's own (a title that is exactly a
            // placeholder) has no key before it, so it is never taken for the list.
            let colon = if pretty { ": " } else { ":" };
            let key = format!("{}{colon}", serde_json::to_string(key).unwrap_or_default());
            let value = serde_json::to_string(&placeholder(what, n)).unwrap_or_default();
            let Some(at) = rest.find(&format!("{key}{value}")) else {
                continue;
            };
            let before = &rest[..at + key.len()];
            buf.push_str(before);
            // The indent of the line the list stands on.
            let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
            let indent: String = line.chars().take_while(|&c| c == ' ').collect();
            if !write_items(&mut buf, list, pretty.then_some(indent.as_str()), out)? {
                return Ok(());
            }
            rest = &rest[at + key.len() + value.len()..];
        }
    }
    buf.push_str(rest);
    out(&buf).map(|_| ())
}

/// Hand `buf` to `out` once it holds a piece's worth; false once `out` says stop.
fn hand_on(buf: &mut String, out: &mut Out) -> std::io::Result<bool> {
    if buf.len() < PIECE {
        return Ok(true);
    }
    let go_on = out(buf)?;
    buf.clear();
    Ok(go_on)
}

/// A list of items as `serde_json` writes an array: pretty at `indent` (the indent of the
/// line it stands on, two spaces a level), or compact. False once `out` says stop.
fn write_items(
    buf: &mut String,
    items: &[Item],
    indent: Option<&str>,
    out: &mut Out,
) -> std::io::Result<bool> {
    let Some(indent) = indent else {
        buf.push('[');
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                buf.push(',');
            }
            buf.push_str(&serde_json::to_string(it).unwrap_or_default());
            if !hand_on(buf, out)? {
                return Ok(false);
            }
        }
        buf.push(']');
        return Ok(true);
    };
    if items.is_empty() {
        buf.push_str("[]");
        return Ok(true);
    }
    buf.push('[');
    let inner = format!("{indent}  ");
    for (i, it) in items.iter().enumerate() {
        buf.push_str(if i == 0 { "\n" } else { ",\n" });
        let pretty = serde_json::to_string_pretty(it).unwrap_or_default();
        for (k, line) in pretty.split('\n').enumerate() {
            if k > 0 {
                buf.push('\n');
            }
            buf.push_str(&inner);
            buf.push_str(line);
        }
        if !hand_on(buf, out)? {
            return Ok(false);
        }
    }
    buf.push('\n');
    buf.push_str(indent);
    buf.push(']');
    Ok(true)
}

pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = write(r, &mut |piece| {
        s.push_str(piece);
        Ok(true)
    });
    s
}

/// [`render`], written to `out` a piece at a time.
pub fn write(r: &Report, out: &mut Out) -> std::io::Result<()> {
    let v = json!({
        "schema_version": SCHEMA_VERSION,
        "documents": r.documents.iter().enumerate().map(|(n, d)| document(d, r.items, n)).collect::<Vec<_>>(),
        "failures": r.failures,
        "total": r.total(),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    if r.items {
        let docs: Vec<&Analysis> = r.documents.iter().collect();
        splice(&s, &docs, true, out)
    } else {
        out(&s).map(|_| ())
    }
}

/// One line per document (`"type": "document"`) and per failure (`"type": "failure"`).
pub fn render_lines(r: &Report) -> String {
    let mut out = String::new();
    for d in r.documents {
        out.push_str(&document_line(d, r.items));
        out.push('\n');
    }
    for f in r.failures {
        out.push_str(&failure_line(f));
        out.push('\n');
    }
    out
}

/// The JSONL line of one failure.
pub fn failure_line(f: &crate::analysis::Failure) -> String {
    json!({"schema_version": SCHEMA_VERSION, "type": "failure", "file": f.file, "error": f.error})
        .to_string()
}

/// The JSONL line of one document.
pub fn document_line(d: &Analysis, items: bool) -> String {
    let mut s = String::new();
    let _ = write_document_line(d, items, &mut |piece| {
        s.push_str(piece);
        Ok(true)
    });
    s.pop(); // the newline
    s
}

/// [`document_line`] and its newline, written to `out` a piece at a time (one piece, the
/// whole line, unless the items take more than a piece).
pub fn write_document_line(d: &Analysis, items: bool, out: &mut Out) -> std::io::Result<()> {
    let mut v = document(d, items, 0);
    if let Some(o) = v.as_object_mut() {
        o.insert("schema_version".into(), json!(SCHEMA_VERSION));
        o.insert("type".into(), json!("document"));
    }
    let mut s = v.to_string();
    s.push('\n');
    if items {
        splice(&s, &[d], false, out)
    } else {
        out(&s).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Failure;

    /// What `render` and `document_line` wrote before items were written one at a time: the
    /// whole document as one `Value`.
    fn as_value(d: &Analysis, items: bool) -> Value {
        let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
        if !items {
            if let Some(o) = v.as_object_mut() {
                o.remove("items");
                o.remove("excluded_items");
            }
        }
        v
    }

    #[test]
    fn items_written_one_at_a_time_give_the_text_of_one_value() {
        let rules = crate::rules::RuleSet::defaults().expect("rules");
        let letters = crate::sample_corpus::markdown_letters();
        let docs: Vec<Analysis> = letters
            .iter()
            .take(4)
            .map(|text| {
                crate::analysis::analyse_bytes(
                    std::path::Path::new("x.md"),
                    text.as_bytes(),
                    &rules,
                )
                .expect("analyses")
            })
            .collect();
        let mut docs = docs;
        // A file named like a placeholder (letters can hold U+0001) is written as it is.
        docs[0].file = placeholder("items", 0).into();
        docs[1].file = placeholder("excluded", 1).into();
        assert!(docs.iter().any(|d| !d.excluded_items.is_empty()));
        let failures = [Failure {
            file: "bad.pdf".into(),
            error: "file is empty".into(),
        }];
        for items in [true, false] {
            let r = Report {
                documents: &docs,
                failures: &failures,
                items,
                csv_delimiter: b',',
                lang: Default::default(),
            };
            let whole = json!({
                "schema_version": SCHEMA_VERSION,
                "documents": docs.iter().map(|d| as_value(d, items)).collect::<Vec<_>>(),
                "failures": &failures,
                "total": r.total(),
            });
            let want = serde_json::to_string_pretty(&whole).expect("JSON") + "\n";
            assert_eq!(render(&r), want, "items: {items}");
            for d in &docs {
                let mut v = as_value(d, items);
                if let Some(o) = v.as_object_mut() {
                    o.insert("schema_version".into(), json!(SCHEMA_VERSION));
                    o.insert("type".into(), json!("document"));
                }
                assert_eq!(document_line(d, items), v.to_string());
            }
        }
    }
}
