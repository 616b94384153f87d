//! Emitters for `byrde diff`, one per format.

mod html;
mod json;
mod markdown;
mod table;

use crate::diff::{Change, Diff, Side, Status, WordOp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people, coloured on a terminal.
    Table,
    /// JSON with `schema_version`, the count table and every change.
    Json,
    /// Markdown.
    Md,
    /// One self-contained HTML page.
    Html,
}

pub struct Options {
    /// ANSI colours (on a terminal, unless NO_COLOR is set).
    pub color: bool,
    /// List kept items too, not only what changed.
    pub all: bool,
}

pub fn render(d: &Diff, format: Format, opts: &Options) -> String {
    match format {
        Format::Table => table::render(d, opts),
        Format::Json => json::render(d),
        Format::Md => markdown::render(d, opts),
        Format::Html => html::render(d, opts),
    }
}

/// "corpus/x/2023-md-brev.pdf (md-brev 2023, Issuer → Recipient)".
fn describe(side: &Side) -> String {
    let files = side
        .files
        .iter()
        .map(|f| super::display_path(f))
        .collect::<Vec<_>>()
        .join(", ");
    let m = &side.meta;
    format!(
        "{files} ({} {}, {} → {})",
        m.kind.as_str(),
        m.year.map_or("-".into(), |y| y.to_string()),
        m.issuer.as_deref().unwrap_or("?"),
        m.recipient.as_deref().unwrap_or("?")
    )
}

/// Changes worth listing: all but kept items that did not move, unless `all`.
fn listed<'a>(d: &'a Diff, opts: &Options) -> impl Iterator<Item = &'a Change> {
    let all = opts.all;
    d.changes
        .iter()
        .filter(move |c| all || c.status != Status::Kept || c.moved)
}

/// One line per category: "styringsprinsipp: 4 kept, 1 reworded, 5 removed, 0 added".
fn tallies(d: &Diff) -> Vec<(String, [usize; 4])> {
    crate::rules::CATEGORIES
        .iter()
        .map(|&c| {
            (
                c.to_string(),
                [
                    d.tally(c, Status::Kept),
                    d.tally(c, Status::Reworded),
                    d.tally(c, Status::Removed),
                    d.tally(c, Status::Added),
                ],
            )
        })
        .filter(|(_, t)| t.iter().sum::<usize>() > 0)
        .collect()
}

/// A reworded item as "[-deleted-]{+inserted+}" inline markup.
fn inline_words(words: &[WordOp], del: (&str, &str), ins: (&str, &str)) -> String {
    let mut s = String::new();
    for w in words {
        match w {
            WordOp::Same(t) => s.push_str(t),
            WordOp::Deleted(t) => {
                s.push_str(del.0);
                s.push_str(t);
                s.push_str(del.1);
            }
            WordOp::Inserted(t) => {
                s.push_str(ins.0);
                s.push_str(t);
                s.push_str(ins.1);
            }
        }
    }
    s
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}").trim_end_matches('0').to_string()
    }
}

fn fmt_change(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", fmt_num(x))
    } else {
        fmt_num(x)
    }
}

fn fmt_percent(p: Option<f64>) -> String {
    match p {
        Some(p) if p > 0.0 => format!("+{p:.0} %"),
        Some(p) => format!("{p:.0} %"),
        None => "–".into(),
    }
}
