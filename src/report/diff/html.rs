//! `byrde diff` as one self-contained HTML page.

use super::{describe, fmt_change, fmt_num, fmt_percent, listed, tallies, Options};
use crate::diff::{Diff, Status, WordOp};
use crate::report::html::{esc, page_end, page_start};
use std::fmt::Write;

pub fn render(d: &Diff, opts: &Options) -> String {
    let mut out = page_start("byrde diff", "en");
    let _ = writeln!(out, "<h1>What changed</h1>");
    let _ = writeln!(
        out,
        "<p class=\"meta\">old: {}<br/>new: {}</p>",
        esc(&describe(&d.old)),
        esc(&describe(&d.new))
    );
    let _ = writeln!(
        out,
        "<table>\n<tr><th></th><th>old</th><th>new</th><th>change</th><th>%</th></tr>"
    );
    for r in &d.counts {
        let class = if r.change > 0.0 {
            " class=\"up\""
        } else if r.change < 0.0 {
            " class=\"down\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td{class}>{}</td><td>{}</td></tr>",
            esc(&r.category),
            fmt_num(r.old),
            fmt_num(r.new),
            esc(&fmt_change(r.change)),
            esc(&fmt_percent(r.percent))
        );
    }
    let _ = writeln!(out, "</table>\n<ul>");
    for (cat, [k, rw, rm, a]) in tallies(d) {
        let _ = writeln!(
            out,
            "<li><b>{}</b>: {k} kept, {rw} reworded, {rm} removed, {a} added</li>",
            esc(&cat)
        );
    }
    let _ = writeln!(out, "</ul>");
    let mut current = String::new();
    let mut open = false;
    for c in listed(d, opts) {
        if c.category != current {
            if open {
                let _ = writeln!(out, "</table>");
            }
            current = c.category.clone();
            let _ = writeln!(out, "<h2>{}</h2>\n<table>", esc(&current));
            open = true;
        }
        let (class, text) = match c.status {
            Status::Removed => ("removed", esc(&c.old.as_ref().expect("old").text)),
            Status::Added => ("added", esc(&c.new.as_ref().expect("new").text)),
            Status::Reworded => ("reworded", words_html(&c.words)),
            Status::Kept => ("kept", esc(&c.new.as_ref().expect("new").text)),
        };
        let label = if c.moved && c.status == Status::Kept {
            "moved"
        } else {
            c.status.as_str()
        };
        let _ = writeln!(
            out,
            "<tr class=\"{class}\"><td>{label}</td><td class=\"text\">{text}</td></tr>"
        );
    }
    if open {
        let _ = writeln!(out, "</table>");
    }
    out.push_str(page_end());
    out
}

fn words_html(words: &[WordOp]) -> String {
    let mut s = String::new();
    for w in words {
        match w {
            WordOp::Same(t) => s.push_str(&esc(t)),
            WordOp::Deleted(t) => {
                let _ = write!(s, "<del>{}</del>", esc(t));
            }
            WordOp::Inserted(t) => {
                let _ = write!(s, "<ins>{}</ins>", esc(t));
            }
        }
    }
    s
}
