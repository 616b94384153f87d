//! `byrde check` as JSON (with `schema_version`).

use crate::check::Outcome;
use crate::SCHEMA_VERSION;
use serde_json::json;

pub fn render(o: &Outcome) -> String {
    let v = json!({
        "schema_version": SCHEMA_VERSION,
        "within_budget": o.violations.is_empty(),
        "checked": o.checked,
        "violations": o.violations,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
