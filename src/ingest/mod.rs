//! Stage 1, ingest: bytes → pages of positioned lines.
//!
//! This is the only stage that reads files. The format is sniffed from the bytes, never
//! from the file name, because archives are full of `.pdf` files that are really text and
//! `.txt` files saved from Word in Windows-1252.

mod pdf;
pub use pdf::{catch_quietly, install_quiet_panic_hook};
mod text;
mod text_stream;
pub use text_stream::{TextLines, TextSource};

use std::path::{Path, PathBuf};

/// What the bytes turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Markdown,
    Text,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }
}

/// One line of text as it stands on a page. For text formats `x`, `y` and `font_size` are
/// zero and `y` is the line number; for PDF they are points from the page's top-left.
// Serialisable so that the PDF worker process can hand pages to its parent (`crate::isolate`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Line {
    pub text: String,
    pub x: f32,
    /// Right end of the line's last glyph (PDF); 0 for text.
    pub end: f32,
    pub y: f32,
    pub font_size: f32,
    /// Line number within the source: the text file's line, or the line's index on a PDF page.
    pub source_line: u32,
    /// Cells of a table row, each with its left edge, when the PDF line has column gaps
    /// (empty unless there are two or more cells).
    pub cells: Vec<(f32, String)>,
    /// Words with their left edges (PDF only), so that layout can put a table row's words
    /// into the table's columns even where two columns almost touch.
    pub words: Vec<(f32, String)>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub number: u32,
    pub height: f32,
    pub lines: Vec<Line>,
}

/// The raw document: pages of lines plus what went wrong on the way.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RawDoc {
    /// Not sent by the PDF worker (a path need not be UTF-8); the parent sets it.
    #[serde(skip)]
    pub path: PathBuf,
    pub format: Format,
    pub pages: Vec<Page>,
    /// Problems that did not stop reading (a failed page, no text layer, bad encoding).
    pub warnings: Vec<String>,
    /// True when some part of the document could not be read, so counts may be low.
    pub incomplete: bool,
}

impl RawDoc {
    pub fn char_count(&self) -> usize {
        self.pages
            .iter()
            .flat_map(|p| &p.lines)
            .map(|l| l.text.chars().count())
            .sum()
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file is empty")]
    Empty,
    #[error("not a PDF or a text file (binary content)")]
    Binary,
    #[error("broken PDF: {0}")]
    BrokenPdf(String),
    #[error("encrypted PDF: it needs a password, which byrde does not have")]
    Encrypted,
    #[error("PDF has no pages")]
    NoPages,
    /// Image-only pages: reported as a failure, never as a letter with no requirements.
    /// A large text read in parts (`crate::stream`) with no heading to end a part at for
    /// longer than `--max-memory` allows: it would be held whole.
    #[error("too large: {mb:.1} MB of text without a heading to divide it at would need more memory than --max-memory allows; split the file or raise the limit")]
    PartTooLarge { mb: f64 },
    #[error("no text layer ({chars} characters on {}): scanned document, OCR needed",
        if *pages == 1 { "1 page".to_string() } else { format!("{pages} pages") })]
    NoTextLayer { pages: usize, chars: usize },
}

/// Read and decode one file.
pub fn read_path(path: &Path) -> Result<RawDoc, IngestError> {
    let bytes = std::fs::read(path)?;
    read_bytes(path, &bytes)
}

/// Decode bytes already in memory; `path` is only used to label the result.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<RawDoc, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    if is_pdf(bytes) {
        return pdf::read(path, bytes);
    }
    let mut doc = text::read(path, bytes)?;
    // Read all the same (see above), but say so: it may be a failed download saved as .pdf.
    if named_pdf(path) {
        doc.warnings.push(NAMED_PDF.into());
    }
    Ok(doc)
}

const NAMED_PDF: &str = "named .pdf but is not a PDF (no %PDF- header): read as text";

fn named_pdf(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// Whether the file at `path` is a PDF, from its first kilobyte (as `read_path` decides).
pub fn sniff_pdf(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)?
        .take(1024)
        .read_to_end(&mut head)?;
    Ok(is_pdf(&head))
}

/// `%PDF-` within the first kilobyte, as readers accept leading junk.
fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}
