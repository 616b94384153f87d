//! `byrde diff` as JSON (with `schema_version`).

use crate::diff::Diff;
use crate::SCHEMA_VERSION;
use serde_json::json;

pub fn render(d: &Diff) -> String {
    let v = json!({
        "schema_version": SCHEMA_VERSION,
        "old": d.old,
        "new": d.new,
        "thresholds": {"reworded_min_similarity": crate::diff::REWORDED_MIN},
        "counts": d.counts,
        "changes": d.changes,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
