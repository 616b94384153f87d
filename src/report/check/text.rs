//! `byrde check` as text.

use crate::check::Outcome;
use crate::report::display_path;
use std::fmt::Write;

pub fn render(o: &Outcome) -> String {
    let mut out = String::new();
    for v in &o.violations {
        let _ = writeln!(out, "{}: {}: {}", display_path(&v.file), v.key, v.message);
        for c in &v.items {
            let _ = writeln!(
                out,
                "    {}:{}:{}  {}  {}",
                display_path(&c.file),
                c.page,
                c.line,
                c.category,
                c.text
            );
        }
    }
    let _ = writeln!(
        out,
        "{} document(s) checked: {}",
        o.checked.len(),
        match o.violations.len() {
            0 => "within budget".to_string(),
            1 => "1 limit broken".to_string(),
            n => format!("{n} limits broken"),
        }
    );
    out
}
