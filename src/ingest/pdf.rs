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

/// Run `f`, turning a panic into its message, without the panic hook printing it.
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
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
    let mut doc = match catch_quietly(|| pdf_extract::Document::load_mem(bytes)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return Err(IngestError::BrokenPdf(e.to_string())),
        Err(panic) => return Err(IngestError::BrokenPdf(format!("parser crashed: {panic}"))),
    };
    if doc.is_encrypted() {
        // Many archive PDFs are "encrypted" with an empty user password only to stop editing.
        match catch_quietly(|| doc.decrypt("")) {
            Ok(Ok(())) => {}
            _ => return Err(IngestError::Encrypted),
        }
    }
    let pages = doc.get_pages();
    let page_numbers: Vec<u32> = pages.keys().copied().collect();
    if page_numbers.is_empty() {
        return Err(IngestError::NoPages);
    }
    // A long document is read on every thread the batch has, in one run of pages per
    // thread (one 100-page report no longer holds up a run); within a run the fonts a page
    // made are kept for the next (vendored pdf-extract's PageReader), so a document's fonts
    // and their ToUnicode maps are parsed once per run, not once per page. A short one is
    // one run: splitting it would parse its fonts again for little, and the other threads
    // have other documents to read.
    let run = if page_numbers.len() >= LONG_DOCUMENT {
        page_numbers
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(LONG_DOCUMENT / 2)
    } else {
        page_numbers.len()
    };
    let (doc, pages) = (&doc, &pages);
    let runs: Vec<(Collector, Vec<(u32, String)>)> = page_numbers
        .par_chunks(run)
        .map(|numbers| {
            let mut reader = pdf_extract::PageReader::new(doc);
            let mut collector = Collector::default();
            let mut failed = Vec::new();
            for &n in numbers {
                collector.start(n);
                let outcome = catch_quietly(|| reader.output_page(&mut collector, n));
                let err = match outcome {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(e.to_string()),
                    Err(panic) => Some(format!("extractor crashed: {panic}")),
                };
                collector.finish(n);
                // pdf-extract (through lopdf) reads a content stream that does not decode,
                // or that is missing, as if it were empty: check, or the page's text is
                // lost silently.
                let err = err.or_else(|| {
                    let id = pages.get(&n)?;
                    catch_quietly(|| undecodable_content(doc, *id)).unwrap_or_else(Some)
                });
                if let Some(e) = err {
                    failed.push((n, e));
                }
            }
            (collector, failed)
        })
        .collect();
    let mut collector = Collector::default();
    let mut failed: Vec<(u32, String)> = Vec::new();
    for (run, run_failed) in runs {
        collector.absorb(run);
        failed.extend(run_failed);
    }
    let quality = Quality::of(&collector, &failed);
    if failed.len() == page_numbers.len() {
        let (n, e) = &failed[0];
        return Err(IngestError::BrokenPdf(format!(
            "no page could be read (page {n}: {e})"
        )));
    }
    if quality.no_text_layer() {
        return Err(IngestError::NoTextLayer {
            pages: collector.pages.len(),
            chars: quality.chars,
        });
    }
    let mut warnings: Vec<String> = failed
        .iter()
        .map(|(n, e)| format!("page {n}: text could not be extracted ({e})"))
        .collect();
    warnings.extend(quality.warnings(&failed));
    // lopdf skips page-tree entries it cannot resolve; the tree's own count says so.
    let declared = catch_quietly(|| declared_page_count(doc)).ok().flatten();
    let missing = declared.is_some_and(|d| d > page_numbers.len());
    if let Some(d) = declared.filter(|_| missing) {
        warnings.push(format!(
            "the page tree declares {d} pages but only {} could be found: counts are incomplete",
            page_numbers.len()
        ));
    }
    Ok(RawDoc {
        path: path.to_path_buf(),
        format: Format::Pdf,
        pages: collector.pages,
        warnings,
        incomplete: !failed.is_empty() || missing,
    })
}

/// Pages from which a document is read on several threads at once.
const LONG_DOCUMENT: usize = 16;

/// The page count the root of the page tree declares (`/Count`), if it is readable.
fn declared_page_count(doc: &pdf_extract::Document) -> Option<usize> {
    let pages = doc.catalog().ok()?.get(b"Pages").ok()?;
    let dict = match pages {
        pdf_extract::Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        pdf_extract::Object::Dictionary(d) => d,
        _ => return None,
    };
    let count = dict.get(b"Count").ok()?.as_i64().ok()?;
    usize::try_from(count).ok()
}

/// Why a page's content cannot be read in full, if it cannot: a content stream that is
/// missing or does not decode.
fn undecodable_content(doc: &pdf_extract::Document, page: pdf_extract::ObjectId) -> Option<String> {
    for id in doc.get_page_contents(page) {
        let stream = match doc.get_object(id).and_then(pdf_extract::Object::as_stream) {
            Ok(s) => s,
            Err(e) => return Some(format!("content stream {} {}: {e}", id.0, id.1)),
        };
        let Ok(filters) = stream.filters() else {
            continue;
        };
        let fault = match filters.first() {
            // lopdf turns corrupt Flate data into an empty or cut-off stream without an
            // error; inflate it here into nothing (no allocation, bomb or not) to know.
            Some(&b"FlateDecode") => inflate_error(&stream.content),
            Some(_) => stream.decompressed_content().err().map(|e| e.to_string()),
            None => None,
        };
        if let Some(e) = fault {
            return Some(format!(
                "content stream {} {} does not decode: {e}",
                id.0, id.1
            ));
        }
    }
    None
}

/// The error inflating zlib (or, as lopdf falls back to, raw deflate) data gives, if any.
fn inflate_error(data: &[u8]) -> Option<String> {
    if data.is_empty() {
        return None;
    }
    let zlib = std::io::copy(
        &mut flate2::read::ZlibDecoder::new(data),
        &mut std::io::sink(),
    );
    let e = zlib.err()?;
    let raw = data.get(2..).map(|rest| {
        std::io::copy(
            &mut flate2::read::DeflateDecoder::new(rest),
            &mut std::io::sink(),
        )
    });
    match raw {
        Some(Ok(_)) => None,
        _ => Some(format!("corrupt Flate data ({e})")),
    }
}

/// Characters per page below which a page counts as having no text (a scanned page still
/// often carries a few characters: a stamp, a page number, an OCR-less header).
const NO_TEXT_PER_PAGE: usize = 20;
/// Average characters per page below which the text layer is suspiciously thin (a full
/// page of a letter holds 2,000–4,000; a title page or a short cover letter some hundreds).
const FEW_CHARS_PER_PAGE: usize = 200;
/// Share of glyphs that did not map to Unicode (1 in N) above which text may be garbled.
const UNMAPPED_ONE_IN: usize = 20;

/// What the text layer looks like: the checks that keep a scanned or badly encoded PDF
/// from passing for a letter with few requirements.
struct Quality {
    /// Characters on the pages that were read.
    chars: usize,
    /// Pages read without error.
    pages_read: usize,
    /// Glyphs with no Unicode mapping: empty text from pdf-extract, U+FFFD, control codes.
    unmapped: usize,
    glyphs: usize,
    /// Pages read without error that hold no text at all.
    empty: Vec<u32>,
}

impl Quality {
    fn of(collector: &Collector, failed: &[(u32, String)]) -> Quality {
        let is_failed = |n: u32| failed.iter().any(|(f, _)| *f == n);
        let read: Vec<&Page> = collector
            .pages
            .iter()
            .filter(|p| !is_failed(p.number))
            .collect();
        let chars = read
            .iter()
            .flat_map(|p| &p.lines)
            .map(|l| l.text.chars().count())
            .sum();
        let empty = read
            .iter()
            .filter(|p| p.lines.is_empty())
            .map(|p| p.number)
            .collect();
        Quality {
            chars,
            pages_read: read.len(),
            unmapped: collector.unmapped,
            glyphs: collector.glyphs_seen,
            empty,
        }
    }

    /// Almost nothing on any page that was read: an image-only (scanned) PDF.
    fn no_text_layer(&self) -> bool {
        self.pages_read > 0 && self.chars < NO_TEXT_PER_PAGE * self.pages_read
    }

    fn warnings(&self, failed: &[(u32, String)]) -> Vec<String> {
        let mut out = Vec::new();
        if !failed.is_empty() {
            out.push(format!(
                "{} of {} pages could not be read ({}): counts are incomplete",
                failed.len(),
                failed.len() + self.pages_read,
                page_list(failed.iter().map(|(n, _)| *n))
            ));
        }
        if !self.empty.is_empty() {
            out.push(format!(
                "no text on {} ({} of {} pages): blank, or scanned without OCR",
                page_list(self.empty.iter().copied()),
                self.empty.len(),
                self.pages_read
            ));
        }
        let per_page = self.chars / self.pages_read.max(1);
        if per_page < FEW_CHARS_PER_PAGE {
            out.push(format!(
                "few characters per page ({per_page} on average): partly scanned or image-based?"
            ));
        }
        if self.glyphs > 0 && self.unmapped * UNMAPPED_ONE_IN > self.glyphs {
            out.push(format!(
                "{} of {} glyphs could not be mapped to Unicode: text may be garbled",
                self.unmapped, self.glyphs
            ));
        }
        out
    }
}

/// "page 3" or "pages 3, 5, 9" (at most ten listed).
fn page_list(pages: impl Iterator<Item = u32>) -> String {
    let pages: Vec<u32> = pages.collect();
    let mut list = pages
        .iter()
        .take(10)
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if pages.len() > 10 {
        list += &format!(" and {} more", pages.len() - 10);
    }
    if pages.len() == 1 {
        format!("page {list}")
    } else {
        format!("pages {list}")
    }
}

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
    /// Glyphs seen in the whole document, and how many of them had no Unicode mapping.
    glyphs_seen: usize,
    unmapped: usize,
}

impl Collector {
    fn start(&mut self, _number: u32) {
        self.glyphs.clear();
        self.height = 0.0;
    }

    /// Take over the pages and glyph counts of a run of later pages.
    fn absorb(&mut self, later: Collector) {
        self.pages.extend(later.pages);
        self.glyphs_seen += later.glyphs_seen;
        self.unmapped += later.unmapped;
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
        let height = (media_box.ury - media_box.lly) as f32;
        // A broken media box must not put NaN or infinity into positions.
        self.height = if height.is_finite() { height } else { 0.0 };
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
        self.glyphs_seen += 1;
        // pdf-extract gives "" for a CID glyph missing from the ToUnicode map, and U+FFFD
        // or a control code for other encoding failures.
        if ch.is_empty()
            || ch
                .chars()
                .any(|c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
        {
            self.unmapped += 1;
        }
        let x = trm.m31 as f32;
        let y = self.height - trm.m32 as f32;
        if !x.is_finite() || !y.is_finite() || !size.is_finite() {
            return Ok(());
        }
        let end = x + (width as f32) * size;
        self.glyphs.push(Glyph {
            x,
            y,
            end: if end.is_finite() { end } else { x },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn quality(chars: usize, pages_read: usize, unmapped: usize, empty: &[u32]) -> Quality {
        Quality {
            chars,
            pages_read,
            unmapped,
            glyphs: chars + unmapped,
            empty: empty.to_vec(),
        }
    }

    #[test]
    fn a_good_text_layer_has_no_warnings() {
        let q = quality(2400 * 3, 3, 2, &[]);
        assert!(!q.no_text_layer());
        assert_eq!(q.warnings(&[]), Vec::<String>::new());
    }

    #[test]
    fn scanned_pages_have_no_text_layer() {
        assert!(quality(0, 4, 0, &[1, 2, 3, 4]).no_text_layer());
        assert!(
            quality(3 * 19, 3, 0, &[]).no_text_layer(),
            "a stamp per page"
        );
        assert!(!quality(3 * 20, 3, 0, &[]).no_text_layer());
    }

    #[test]
    fn text_quality_warnings() {
        let failed = vec![(3, "extractor crashed: boom".to_string())];
        let q = quality(2 * 150, 2, 40, &[2]);
        assert_eq!(
            q.warnings(&failed),
            [
                "1 of 3 pages could not be read (page 3): counts are incomplete",
                "no text on page 2 (1 of 2 pages): blank, or scanned without OCR",
                "few characters per page (150 on average): partly scanned or image-based?",
                "40 of 340 glyphs could not be mapped to Unicode: text may be garbled",
            ]
        );
    }

    #[test]
    fn page_lists_are_short() {
        assert_eq!(page_list([7].into_iter()), "page 7");
        assert_eq!(page_list([2, 5].into_iter()), "pages 2, 5");
        assert_eq!(
            page_list(1..=12),
            "pages 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"
        );
    }

    #[test]
    fn unmapped_glyphs_are_counted() {
        let mut c = Collector::default();
        let trm = Transform::identity();
        for ch in ["a", "", "\u{FFFD}", "\u{1}", " "] {
            c.output_character(&trm, 0.5, 0.0, 10.0, ch).expect("ok");
        }
        assert_eq!((c.glyphs_seen, c.unmapped), (5, 3));
    }
}
