//! PDF text through pdf-extract with our own `OutputDev`, so that every line keeps its page,
//! position and font size (layout needs them to drop running headers and find headings).
//!
//! pdf-extract can panic on odd fonts and its `*_by_pages` helpers stop silently at the
//! first failing page. We therefore drive it one page at a time, catch panics per page, and
//! record every failed page as a warning that marks the document incomplete.

use super::{IngestError, Line, Page, RawDoc};
use crate::ingest::Format;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use rayon::prelude::*;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

thread_local! {
    /// Set while pdf-extract runs, so the panic hook can stay quiet about panics we catch.
    static IN_EXTRACTION: Cell<bool> = const { Cell::new(false) };
}

/// Replace the default panic hook with one that says nothing for panics inside PDF
/// extraction (they are caught and reported as a page error) and behaves as usual elsewhere.
pub fn install_quiet_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_EXTRACTION.with(|f| f.get()) {
            default(info);
        }
    }));
}

fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    IN_EXTRACTION.with(|flag| flag.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_EXTRACTION.with(|flag| flag.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

pub(super) fn read(path: &Path, bytes: &[u8]) -> Result<RawDoc, IngestError> {
    let mut doc = match guarded(|| pdf_extract::Document::load_mem(bytes)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return Err(IngestError::BrokenPdf(e.to_string())),
        Err(panic) => return Err(IngestError::BrokenPdf(format!("parser crashed: {panic}"))),
    };
    if doc.is_encrypted() {
        // Many archive PDFs are "encrypted" with an empty user password only to stop editing.
        match guarded(|| doc.decrypt("")) {
            Ok(Ok(())) => {}
            _ => return Err(IngestError::Encrypted),
        }
    }
    let page_numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    if page_numbers.is_empty() {
        return Err(IngestError::NoPages);
    }
    // A long document is read on every thread the batch has, in one run of pages per
    // thread (one 100-page report no longer holds up a run); within a run the fonts a page
    // made are kept for the next (vendored pdf-extract's PageReader), so a document's fonts
    // and their ToUnicode maps are parsed once per run, not once per page. A short one is
    // one run: splitting it would parse its fonts again for little, and the other threads
    // have other documents to read.
    let doc = &doc;
    let run = if page_numbers.len() >= LONG_DOCUMENT {
        page_numbers
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(LONG_DOCUMENT / 2)
    } else {
        page_numbers.len().max(1)
    };
    let extracted: Vec<(Page, Option<String>)> = page_numbers
        .par_chunks(run)
        .flat_map_iter(|numbers| {
            let mut reader = pdf_extract::PageReader::new(doc);
            let mut out = Vec::with_capacity(numbers.len());
            for &n in numbers {
                let mut collector = Collector::default();
                collector.start(n);
                let outcome = guarded(|| reader.output_page(&mut collector, n));
                let err = match outcome {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(e.to_string()),
                    Err(panic) => Some(format!("extractor crashed: {panic}")),
                };
                collector.finish(n);
                out.push((collector.pages.pop().unwrap_or_default(), err));
            }
            out
        })
        .collect();
    let mut warnings = Vec::new();
    let mut failed = Vec::new();
    let mut pages = Vec::with_capacity(extracted.len());
    for (page, err) in extracted {
        if let Some(e) = err {
            failed.push(page.number);
            warnings.push(format!(
                "page {}: text could not be extracted ({e})",
                page.number
            ));
        }
        pages.push(page);
    }
    let chars: usize = pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.chars().count())
        .sum();
    if chars < 20 * pages.len().max(1) && failed.len() < pages.len() {
        warnings.push(format!(
            "no text layer ({chars} characters on {} pages): scanned document, OCR needed",
            pages.len()
        ));
    }
    let replacement = pages
        .iter()
        .flat_map(|p| &p.lines)
        .flat_map(|l| l.text.chars())
        .filter(|&c| c == '\u{FFFD}')
        .count();
    if chars > 0 && replacement * 20 > chars {
        warnings.push(format!(
            "{replacement} of {chars} characters could not be mapped to Unicode: text may be garbled"
        ));
    }
    Ok(RawDoc {
        path: path.to_path_buf(),
        format: Format::Pdf,
        pages,
        warnings,
        incomplete: !failed.is_empty(),
    })
}

/// Pages from which a document is read on several threads at once.
const LONG_DOCUMENT: usize = 16;

/// One glyph as pdf-extract reports it, in points from the page's top-left corner.
#[derive(Debug, Clone)]
struct Glyph {
    x: f32,
    y: f32,
    end: f32,
    size: f32,
    text: String,
}

#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    glyphs: Vec<Glyph>,
    height: f32,
}

impl Collector {
    fn start(&mut self, _number: u32) {
        self.glyphs.clear();
        self.height = 0.0;
    }

    fn finish(&mut self, number: u32) {
        let glyphs = std::mem::take(&mut self.glyphs);
        self.pages.push(Page {
            number,
            height: self.height,
            lines: build_lines(glyphs),
        });
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.height = (media_box.ury - media_box.lly) as f32;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        // Same geometry as pdf-extract's PlainTextOutput: flip y, scale the font size by the
        // text matrix (as the side of a square with the same area).
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt() as f32;
        let x = trm.m31 as f32;
        let y = self.height - trm.m32 as f32;
        if !x.is_finite() || !y.is_finite() || !size.is_finite() {
            return Ok(());
        }
        self.glyphs.push(Glyph {
            x,
            y,
            end: x + (width as f32) * size,
            size,
            text: ch.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Gap, in multiples of the font size, that separates table columns rather than words.
const COLUMN_GAP: f32 = 1.6;
/// Gap that separates two words when the PDF has no space glyph.
const WORD_GAP: f32 = 0.12;

/// Group glyphs into lines by baseline, then into words and cells by horizontal gaps.
/// Sorting by position (not content order) puts table cells that a PDF writes cell by cell
/// back onto one row.
fn build_lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    // Keep the content order (index) for glyphs on one baseline: sorting a line by x
    // scrambles text whose font widths pdf-extract reads wrongly ("2026-06o sKtnader").
    let mut glyphs: Vec<(usize, Glyph)> = glyphs.into_iter().enumerate().collect();
    glyphs.sort_by(|a, b| a.1.y.total_cmp(&b.1.y).then(a.0.cmp(&b.0)));
    let mut rows: Vec<Vec<(usize, Glyph)>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row)
                if (g.1.y - row[0].1.y).abs() <= 0.35 * g.1.size.max(row[0].1.size).max(1.0) =>
            {
                row.push(g)
            }
            _ => rows.push(vec![g]),
        }
    }
    let mut lines = Vec::new();
    for (i, mut row) in rows.into_iter().enumerate() {
        row.sort_by_key(|g| g.0);
        // Text written out of order (table cells, columns) jumps back by more than a glyph or
        // two; then position decides.
        let jumps_back = row
            .windows(2)
            .any(|w| w[1].1.x < w[0].1.x - 2.0 * w[0].1.size.max(1.0));
        if jumps_back {
            row.sort_by(|a, b| a.1.x.total_cmp(&b.1.x));
        }
        let row: Vec<Glyph> = row.into_iter().map(|(_, g)| g).collect();
        let size = row.iter().map(|g| g.size).fold(0.0, f32::max);
        let mut cells: Vec<(f32, String)> = vec![(row[0].x, String::new())];
        let mut words: Vec<(f32, String)> = Vec::new();
        let mut prev_end: Option<f32> = None;
        let mut pending_space = false;
        for g in &row {
            if g.text.trim().is_empty() {
                pending_space = true;
                continue;
            }
            let mut new_word = prev_end.is_none();
            if let Some(end) = prev_end {
                let gap = g.x - end;
                let cell = &mut cells.last_mut().expect("cells is never empty").1;
                if gap > COLUMN_GAP * size && !cell.trim().is_empty() {
                    cells.push((g.x, String::new()));
                    new_word = true;
                } else if (pending_space || gap > WORD_GAP * g.size) && !cell.ends_with(' ') {
                    cell.push(' ');
                    new_word = true;
                }
            } else {
                cells[0].0 = g.x;
            }
            if new_word {
                words.push((g.x, String::new()));
            }
            if let Some(w) = words.last_mut() {
                w.1.push_str(&g.text);
            }
            cells
                .last_mut()
                .expect("cells is never empty")
                .1
                .push_str(&g.text);
            prev_end = Some(g.end.max(g.x));
            pending_space = false;
        }
        let mut cells: Vec<(f32, String)> = cells
            .into_iter()
            .map(|(x, c)| (x, c.trim().to_string()))
            .filter(|(_, c)| !c.is_empty())
            .collect();
        // A bullet set off by a tab is a list item, not a two-column table.
        if cells.len() >= 2 && is_bullet_glyph(&cells[0].1) {
            let (x, first) = cells.remove(0);
            cells[0] = (x, format!("{first} {}", cells[0].1));
        }
        let text = cells
            .iter()
            .map(|(_, c)| c.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if text.is_empty() {
            continue;
        }
        lines.push(Line {
            text,
            x: cells.first().map_or(row[0].x, |c| c.0),
            end: row.iter().map(|g| g.end).fold(0.0, f32::max),
            y: row[0].y,
            font_size: size,
            source_line: i as u32 + 1,
            cells: if cells.len() > 1 { cells } else { Vec::new() },
            words,
        });
    }
    lines
}

fn is_bullet_glyph(s: &str) -> bool {
    matches!(
        s,
        "•" | "◦" | "▪" | "■" | "●" | "○" | "–" | "-" | "·" | "\u{f0b7}" | "\u{f0a7}"
    ) || (s.len() <= 4
        && s.trim_end_matches(['.', ')'])
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
        && (s.ends_with('.') || s.ends_with(')')))
}
