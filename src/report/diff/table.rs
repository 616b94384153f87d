//! `byrde diff` as aligned text, coloured on a terminal.

use super::{describe, fmt_change, fmt_num, fmt_percent, inline_words, listed, tallies, Options};
use crate::diff::{Diff, Status};
use crate::report::display_path;
use std::fmt::Write;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

pub fn render(d: &Diff, opts: &Options) -> String {
    let p = Paint(opts.color);
    let mut out = String::new();
    let _ = writeln!(out, "old: {}", describe(&d.old));
    let _ = writeln!(out, "new: {}\n", describe(&d.new));
    let _ = writeln!(
        out,
        "{:<20} {:>8} {:>8} {:>8} {:>8}",
        "", "old", "new", "change", "%"
    );
    for r in &d.counts {
        let change = fmt_change(r.change);
        let change = if r.change > 0.0 {
            p.wrap("31", &format!("{change:>8}"))
        } else if r.change < 0.0 {
            p.wrap("32", &format!("{change:>8}"))
        } else {
            format!("{change:>8}")
        };
        let _ = writeln!(
            out,
            "{:<20} {:>8} {:>8} {} {:>8}",
            r.category,
            fmt_num(r.old),
            fmt_num(r.new),
            change,
            fmt_percent(r.percent)
        );
    }
    let _ = writeln!(out);
    for (cat, [k, rw, rm, a]) in tallies(d) {
        let _ = writeln!(
            out,
            "{cat}: {k} kept, {rw} reworded, {rm} removed, {a} added"
        );
    }
    let mut current = String::new();
    for c in listed(d, opts) {
        if c.category != current {
            current = c.category.clone();
            let _ = writeln!(out, "\n{}", p.wrap("1", &current));
        }
        let at =
            |r: &crate::diff::ItemRef| format!("{}:{}:{}", display_path(&r.file), r.page, r.line);
        match c.status {
            Status::Removed => {
                let o = c.old.as_ref().expect("removed has old");
                let _ = writeln!(
                    out,
                    "  {} {}  ({})",
                    p.wrap("31", "- removed "),
                    o.text,
                    at(o)
                );
            }
            Status::Added => {
                let n = c.new.as_ref().expect("added has new");
                let _ = writeln!(
                    out,
                    "  {} {}  ({})",
                    p.wrap("32", "+ added   "),
                    n.text,
                    at(n)
                );
            }
            Status::Reworded => {
                let n = c.new.as_ref().expect("reworded has new");
                let words = if opts.color {
                    inline_words(&c.words, ("\x1b[31;9m", "\x1b[0m"), ("\x1b[32m", "\x1b[0m"))
                } else {
                    inline_words(&c.words, ("[-", "-]"), ("{+", "+}"))
                };
                let sim = c
                    .similarity
                    .map_or(String::new(), |s| format!(", similarity {s:.2}"));
                let moved = if c.moved { ", moved" } else { "" };
                let _ = writeln!(
                    out,
                    "  {} {}  ({}{sim}{moved})",
                    p.wrap("33", "~ reworded"),
                    words,
                    at(n)
                );
            }
            Status::Kept => {
                let n = c.new.as_ref().expect("kept has new");
                let label = if c.moved { "= moved   " } else { "= kept    " };
                let from = c
                    .old
                    .as_ref()
                    .filter(|_| c.moved)
                    .map(|o| {
                        let place = o.heading.split(" > ").skip(1).collect::<Vec<_>>();
                        format!(", was under {}", place.join(" > "))
                    })
                    .unwrap_or_default();
                let _ = writeln!(out, "  {label} {}  ({}{from})", n.text, at(n));
            }
        }
    }
    out
}
