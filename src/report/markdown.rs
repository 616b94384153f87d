//! A Markdown table of counts, and with `--items` a list of items per document.

use super::{display_path, Report, COLUMNS};
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let mut head = "| document | kind | year |".to_string();
    let mut rule = "|---|---|---:|".to_string();
    for (k, _) in COLUMNS {
        let _ = write!(head, " {k} |");
        rule.push_str("---:|");
    }
    head.push_str(" styringskrav | ka_total |");
    rule.push_str("---:|---:|");
    let _ = writeln!(out, "{head}\n{rule}");
    let mut rows: Vec<(String, String, String, &crate::measure::Summary)> = r
        .documents
        .iter()
        .map(|d| {
            (
                format!("`{}`", cell(&display_path(&d.file))),
                d.meta.kind.as_str().to_string(),
                d.meta.year.map(|y| y.to_string()).unwrap_or_default(),
                &d.summary,
            )
        })
        .collect();
    let total = r.total();
    if r.documents.len() > 1 {
        rows.push(("**total**".into(), String::new(), String::new(), &total));
    }
    for (name, kind, year, s) in rows {
        let _ = write!(out, "| {name} | {kind} | {year} |");
        for (k, _) in COLUMNS {
            let _ = write!(out, " {} |", s.count(k));
        }
        let _ = writeln!(out, " {} | {} |", s.styringskrav, s.ka_total);
    }
    if r.items {
        for d in r.documents {
            let _ = writeln!(out, "\n### `{}`\n", display_path(&d.file));
            for it in &d.items {
                let frist = it
                    .frist
                    .as_deref()
                    .map(|f| format!(" (frist {f})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- **{}** p. {} l. {}{}: {} <sub>`{}`</sub>",
                    it.category,
                    it.page,
                    it.line,
                    frist,
                    cell(&it.text),
                    it.rule
                );
            }
        }
    }
    for f in r.failures {
        let _ = writeln!(out, "\n> error: `{}`: {}", display_path(&f.file), f.error);
    }
    out
}
