//! `byrde trend` as aligned text: a block per series, a line per year, each count with its
//! change from the year before.

use super::{heading, year_text};
use crate::report::COLUMNS;
use crate::trend::Series;
use std::fmt::Write;

/// A count and its change from the year before: "   4 -6  ".
fn cell(count: f64, change: Option<f64>) -> String {
    let delta = match change {
        Some(c) if c != 0.0 => format!("{c:+}"),
        _ => String::new(),
    };
    format!("{count:>4} {delta:<4}")
}

pub fn render(series: &[Series]) -> String {
    let mut out = String::new();
    for s in series {
        let _ = writeln!(out, "{}: {}", s.name, heading(s));
        let label_width = s
            .years
            .iter()
            .map(|y| y.label().chars().count())
            .max()
            .unwrap_or(4)
            .max(9);
        let mut head = format!("  {:<4}  {:<label_width$}", "year", "documents");
        for (_, short) in COLUMNS {
            let _ = write!(head, " {short:>4}     ");
        }
        let _ = write!(head, " {:>4}      {:>4}", "krav", "ka");
        let _ = writeln!(out, "{head}");
        for y in &s.years {
            let ch = |k: &str| y.change.as_ref().and_then(|c| c.get(k).copied());
            let mut line = format!("  {:<4}  {:<label_width$}", year_text(y.year), y.label());
            for (key, _) in COLUMNS {
                let _ = write!(line, " {}", cell(y.summary.count(key) as f64, ch(key)));
            }
            let _ = write!(
                line,
                " {} {}",
                cell(y.summary.styringskrav as f64, ch("styringskrav")),
                cell(y.summary.ka_total as f64, ch("ka_total"))
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let _ = writeln!(out);
    }
    out
}
