//! JSON and JSON Lines. Both carry `schema_version`.

use super::Report;
use crate::SCHEMA_VERSION;
use serde_json::{json, Value};

fn document(d: &crate::analysis::Analysis, items: bool) -> Value {
    let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
    if !items {
        if let Some(o) = v.as_object_mut() {
            o.remove("items");
            o.remove("excluded_items");
        }
    }
    v
}

pub fn render(r: &Report) -> String {
    let v = json!({
        "schema_version": SCHEMA_VERSION,
        "documents": r.documents.iter().map(|d| document(d, r.items)).collect::<Vec<_>>(),
        "failures": r.failures,
        "total": r.total(),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
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
pub fn document_line(d: &crate::analysis::Analysis, items: bool) -> String {
    let mut v = document(d, items);
    if let Some(o) = v.as_object_mut() {
        o.insert("schema_version".into(), json!(SCHEMA_VERSION));
        o.insert("type".into(), json!("document"));
    }
    v.to_string()
}
