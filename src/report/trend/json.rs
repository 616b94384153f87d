//! `byrde trend` as JSON (with `schema_version`).

use crate::trend::Series;
use crate::SCHEMA_VERSION;
use serde_json::json;

pub fn render(series: &[Series]) -> String {
    let v = json!({"schema_version": SCHEMA_VERSION, "series": series});
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
