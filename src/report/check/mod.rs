//! Emitters for `byrde check`, one per format.

mod github;
mod json;
mod sarif;
mod text;

use crate::check::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for people: each broken limit with the items that broke it.
    Text,
    /// JSON with `schema_version`.
    Json,
    /// GitHub Actions workflow commands: an `::error` annotation per item that broke a limit.
    Github,
    /// SARIF 2.1.0, one result per item that broke a limit, for code-scanning views.
    Sarif,
}

pub fn render(o: &Outcome, format: Format) -> String {
    match format {
        Format::Text => text::render(o),
        Format::Json => json::render(o),
        Format::Github => github::render(o),
        Format::Sarif => sarif::render(o),
    }
}
