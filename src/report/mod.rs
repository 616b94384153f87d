//! Stage 7, report: values → bytes. One emitter per format, each in its own file.

pub mod check;
mod csv;
pub mod diff;
pub mod html;
pub mod json;
pub mod lang;
pub mod letter;
mod markdown;
mod table;
pub mod trend;

use crate::analysis::{Analysis, Failure};
use crate::measure::Summary;

/// Output formats of `byrde analyse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// One JSON document with every document, failure and the total.
    Json,
    /// One JSON object per line: a line per document or failure, as each finishes.
    Jsonl,
    /// Comma- (or `--csv-delimiter`) separated values for spreadsheets.
    Csv,
    /// A Markdown table.
    Md,
    /// The letter itself with every item highlighted: one self-contained page.
    Html,
}

/// What to put in a report.
pub struct Report<'a> {
    pub documents: &'a [Analysis],
    pub failures: &'a [Failure],
    /// List every item, not only the counts.
    pub items: bool,
    pub csv_delimiter: u8,
    /// Language of the labels of pages people read (HTML).
    pub lang: lang::Lang,
}

impl Report<'_> {
    pub fn total(&self) -> Summary {
        Summary::combine(self.documents.iter().map(|d| &d.summary))
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => table::render(self),
            Format::Json => json::render(self),
            Format::Jsonl => json::render_lines(self),
            Format::Csv => csv::render(self),
            Format::Md => markdown::render(self),
            Format::Html => letter::render(self.documents, self.lang),
        }
    }
}

/// Column headings shared by the table, Markdown and CSV emitters: (key, short label).
pub const COLUMNS: &[(&str, &str)] = &[
    ("mal", "mål"),
    ("styringsparameter", "sp"),
    ("resultatkrav", "rk"),
    ("oppdrag", "oppdr"),
    ("rapporteringskrav", "rapp"),
    ("fellesforing", "ff"),
    ("foring", "før"),
    ("styringsprinsipp", "spr"),
];

/// A path as the user gave it, with forward slashes so output is the same on every OS.
pub fn display_path(p: &std::path::Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// At most `max` characters, with "…" when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}
