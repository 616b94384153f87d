//! `byrde check` as SARIF 2.1.0: one result per item that broke a limit (rule id = the budget
//! key, location = file and line), or per broken limit when no item can be named.

use crate::check::Outcome;
use crate::report::display_path;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn location(file: &std::path::Path, line: Option<u32>) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": display_path(file)}});
    if let Some(line) = line.filter(|&l| l > 0) {
        physical["region"] = json!({"startLine": line});
    }
    json!({"physicalLocation": physical})
}

pub fn render(o: &Outcome) -> String {
    let mut rules: BTreeMap<String, String> = BTreeMap::new();
    let mut results = Vec::new();
    for v in &o.violations {
        rules
            .entry(v.key.clone())
            .or_insert_with(|| format!("A limit of the steering budget: {}", v.key));
        if v.items.is_empty() {
            results.push(json!({
                "ruleId": v.key,
                "level": "error",
                "message": {"text": v.message},
                "locations": [location(&v.file, None)],
            }));
        }
        for c in &v.items {
            results.push(json!({
                "ruleId": v.key,
                "level": "error",
                "message": {"text": format!("{} — {}: {}", v.message, c.category, crate::report::shorten(&c.text, 300))},
                "locations": [location(&c.file, Some(c.line))],
                "properties": {"category": c.category, "page": c.page},
            }));
        }
    }
    let rules: Vec<Value> = rules
        .into_iter()
        .map(|(id, text)| json!({"id": id, "shortDescription": {"text": text}}))
        .collect();
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "byrde",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
