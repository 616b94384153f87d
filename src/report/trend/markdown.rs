//! `byrde trend` as Markdown: a table per series.

use super::{heading, year_text};
use crate::report::COLUMNS;
use crate::trend::Series;
use std::fmt::Write;

pub fn render(series: &[Series]) -> String {
    let mut out = String::new();
    for s in series {
        let _ = writeln!(out, "### {}\n\n{}\n", s.name, heading(s));
        let mut head = "| year | documents |".to_string();
        let mut rule = "|---|---|".to_string();
        for (k, _) in COLUMNS {
            let _ = write!(head, " {k} |");
            rule.push_str("---:|");
        }
        let _ = writeln!(out, "{head} styringskrav | ka_total |\n{rule}---:|---:|");
        for y in &s.years {
            let _ = write!(out, "| {} | {} |", year_text(y.year), y.label());
            for (k, _) in COLUMNS {
                let _ = write!(out, " {} |", y.summary.count(k));
            }
            let _ = writeln!(
                out,
                " {} | {} |",
                y.summary.styringskrav, y.summary.ka_total
            );
        }
        let _ = writeln!(out);
    }
    out
}
