//! Emitters for `byrde trend`, one per format.

mod csv;
mod html;
mod json;
mod markdown;
mod table;

use crate::report::lang::Lang;
use crate::trend::Series;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What the HTML page needs beyond the series.
#[derive(Debug, Default)]
pub struct HtmlOptions {
    pub lang: Lang,
    /// Link from a letter's file to its highlighted page (relative to the trend page).
    pub pages: BTreeMap<PathBuf, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Each series year by year, with the change from the year before.
    Table,
    /// JSON with `schema_version`.
    Json,
    /// Long format for spreadsheets: series, year, category, count.
    Csv,
    /// Markdown tables.
    Md,
    /// One self-contained HTML page with a bar chart per series (inline SVG).
    Html,
}

pub fn render(series: &[Series], format: Format, csv_delimiter: u8, html: &HtmlOptions) -> String {
    match format {
        Format::Table => table::render(series),
        Format::Json => json::render(series),
        Format::Csv => csv::render(series, csv_delimiter as char),
        Format::Md => markdown::render(series),
        Format::Html => html::render(series, html),
    }
}

/// "Issuer → Recipient (kind)".
fn heading(s: &Series) -> String {
    format!(
        "{} → {} ({})",
        s.issuer.as_deref().unwrap_or("?"),
        s.recipient.as_deref().unwrap_or("?"),
        s.kind.as_str()
    )
}

fn year_text(y: Option<i32>) -> String {
    y.map_or("-".into(), |y| y.to_string())
}
