//! `byrde diff` as Markdown: the count table, then the changed items per category.

use super::{describe, fmt_change, fmt_num, fmt_percent, inline_words, listed, tallies, Options};
use crate::diff::{Diff, Status};
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render(d: &Diff, opts: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "- old: {}\n- new: {}\n",
        cell(&describe(&d.old)),
        cell(&describe(&d.new))
    );
    let _ = writeln!(
        out,
        "| | old | new | change | % |\n|---|---:|---:|---:|---:|"
    );
    for r in &d.counts {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.category,
            fmt_num(r.old),
            fmt_num(r.new),
            fmt_change(r.change),
            fmt_percent(r.percent)
        );
    }
    let _ = writeln!(out);
    for (cat, [k, rw, rm, a]) in tallies(d) {
        let _ = writeln!(
            out,
            "- **{cat}**: {k} kept, {rw} reworded, {rm} removed, {a} added"
        );
    }
    let mut current = String::new();
    for c in listed(d, opts) {
        if c.category != current {
            current = c.category.clone();
            let _ = writeln!(out, "\n### {current}\n");
        }
        let line = match c.status {
            Status::Removed => format!("- removed: {}", cell(&c.old.as_ref().expect("old").text)),
            Status::Added => format!("- added: {}", cell(&c.new.as_ref().expect("new").text)),
            Status::Reworded => format!(
                "- reworded: {}",
                cell(&inline_words(&c.words, ("~~", "~~"), ("**", "**")))
            ),
            Status::Kept => format!(
                "- {}: {}",
                if c.moved { "moved" } else { "kept" },
                cell(&c.new.as_ref().expect("new").text)
            ),
        };
        let _ = writeln!(out, "{line}");
    }
    out
}
