//! `byrde trend` as long-format CSV: one row per series, year and figure, ready for a pivot
//! table. `--csv-delimiter ';'` suits Norwegian spreadsheets.

use super::year_text;
use crate::trend::{figures, Series};
use crate::SCHEMA_VERSION;

fn field(s: &str, d: char) -> String {
    if s.contains(d) || s.contains('"') || s.contains('\n') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn render(series: &[Series], d: char) -> String {
    let mut out = [
        "schema_version",
        "series",
        "year",
        "documents",
        "category",
        "count",
    ]
    .join(&d.to_string());
    out.push('\n');
    for s in series {
        for y in &s.years {
            for (category, value) in figures(&y.summary) {
                let row = [
                    SCHEMA_VERSION.to_string(),
                    field(&s.name, d),
                    year_text(y.year),
                    field(&y.label(), d),
                    category.to_string(),
                    value.to_string(),
                ];
                out.push_str(&row.join(&d.to_string()));
                out.push('\n');
            }
        }
    }
    out
}
