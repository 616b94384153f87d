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

/// Replace the placeholders of `docs` in `text` (JSON written pretty or compact) with their
/// items, written one at a time.
fn splice(text: &str, docs: &[&Analysis], pretty: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for (n, d) in docs.iter().enumerate() {
        for (what, list) in [("items", &d.items), ("excluded", &d.excluded_items)] {
            let quoted = serde_json::to_string(&placeholder(what, n)).unwrap_or_default();
            let Some(at) = rest.find(&quoted) else {
                continue;
            };
            out.push_str(&rest[..at]);
            // The indent of the line the list stands on.
            let line = &out[out.rfind('\n').map_or(0, |i| i + 1)..];
            let indent: String = line.chars().take_while(|&c| c == ' ').collect();
            write_items(&mut out, list, pretty.then_some(indent.as_str()));
            rest = &rest[at + quoted.len()..];
        }
    }
    out.push_str(rest);
    out
}

/// A list of items as `serde_json` writes an array: pretty at `indent` (the indent of the
/// line it stands on, two spaces a level), or compact.
fn write_items(out: &mut String, items: &[Item], indent: Option<&str>) {
    let Some(indent) = indent else {
        out.push('[');
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(it).unwrap_or_default());
        }
        out.push(']');
        return;
    };
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    let inner = format!("{indent}  ");
    for (i, it) in items.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let pretty = serde_json::to_string_pretty(it).unwrap_or_default();
        for (k, line) in pretty.split('\n').enumerate() {
            if k > 0 {
                out.push('\n');
            }
            out.push_str(&inner);
            out.push_str(line);
        }
    }
    out.push('\n');
    out.push_str(indent);
    out.push(']');
}

pub fn render(r: &Report) -> String {
    let v = json!({
        "schema_version": SCHEMA_VERSION,
        "documents": r.documents.iter().enumerate().map(|(n, d)| document(d, r.items, n)).collect::<Vec<_>>(),
        "failures": r.failures,
        "total": r.total(),
    });
    let s = serde_json::to_string_pretty(&v).unwrap_or_default();
    let docs: Vec<&Analysis> = r.documents.iter().collect();
    let mut s = if r.items { splice(&s, &docs, true) } else { s };
    s.push('\n');
    s
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
    let mut v = document(d, items, 0);
    if let Some(o) = v.as_object_mut() {
        o.insert("schema_version".into(), json!(SCHEMA_VERSION));
        o.insert("type".into(), json!("document"));
    }
    let s = v.to_string();
    if items {
        splice(&s, &[d], false)
    } else {
        s
    }
}
