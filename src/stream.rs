//! The pipeline for a large text file, in bounded memory: the same stages as
//! `crate::analysis`, on parts of the document in turn, with the same result.
//!
//! Why: held whole, a text document needs about 7 bytes of memory per byte of text (the
//! text, its lines, paragraphs and blocks, each block's scan), so a 100 MB file took 700 MiB
//! and the memory guard refused files over 214 MB. Here the file is decoded a buffer at a
//! time (`crate::ingest::TextSource`), its lines go through layout and segment one at a
//! time (`TextParas`, `Segmenter`), and the blocks are classified a part at a time
//! ([`Classifier`]): what is held is one part of blocks (about [`PART_BYTES`] of text) and
//! the results (the items, deduplicated; the excluded things; the oppdrag IDs named).
//!
//! Where a part may end. Classify looks at more than one block: an entry's section (the
//! blocks under an oppdrag heading), a table (its header row), a lead-in paragraph and its
//! list, and each block's heading trail. A part therefore ends only before a heading, and
//! only where no heading still open above it opens an entry: then every section, table and
//! list ends inside its part. The headings still open (the trail of the part's first
//! block: the title, a chapter) go with the next part, so its trails and labels read as in
//! the whole document; they are not classified again.
//!
//! What else crosses parts: the block, line and page numbering (segment and ingest count on
//! across parts); the metadata, read first by a pass of its own over the head of the
//! letter (`MetaReader`, which reads on only as long as the metadata can still change:
//! classify needs the year before the first part); the word count. A test checks the
//! result against the whole-document pipeline with parts of a few hundred bytes.
//!
//! Not streamed: the letter's blocks, which the HTML letter page shows (`--format html`
//! reads the whole document, within the memory guard); one line or one paragraph, which is
//! held whole however long it is; and a part that finds no place to end (no headings, or
//! one entry section to the end), which grows as the whole document would, up to a limit
//! the caller sets from `--max-memory` (`IngestError::PartTooLarge` past it).

use crate::analysis::Analysis;
use crate::classify::{opens_entry, Classifier};
use crate::ingest::{IngestError, TextLines, TextSource};
use crate::layout::{Para, TextParas};
use crate::measure::measure;
use crate::meta::MetaReader;
use crate::rules::RuleSet;
use crate::segment::{Block, Document, Segmenter};
use std::path::Path;

/// Text files larger than this are analysed in parts; smaller ones whole (the same
/// result, but a letter then takes exactly the path it always took).
pub const STREAM_FROM_BYTES: u64 = 8 << 20;

/// About this much text (bytes of block text) makes one part.
pub const PART_BYTES: usize = 1 << 20;

/// Analyse the text file at `path` in parts of about `part_bytes` of text. `Ok(None)`
/// when it turns out to be a PDF. A part with no place to end grows as a whole document
/// would; past `max_part_text` bytes of text it is refused (`IngestError::PartTooLarge`),
/// as the memory guard refuses a text read whole.
pub fn analyse_text(
    path: &Path,
    rules: &RuleSet,
    part_bytes: usize,
    max_part_text: usize,
) -> Result<Option<Analysis>, IngestError> {
    Ok(analyse_text_in_parts(path, rules, part_bytes, max_part_text)?.map(|(a, _)| a))
}

/// [`analyse_text`], and the number of parts it was analysed in (for tests).
pub fn analyse_text_in_parts(
    path: &Path,
    rules: &RuleSet,
    part_bytes: usize,
    max_part_text: usize,
) -> Result<Option<(Analysis, usize)>, IngestError> {
    let Some(source) = TextSource::open(path)? else {
        return Ok(None);
    };
    let markdown = source.format == crate::ingest::Format::Markdown;

    // The metadata first: classify needs the year from the start.
    let mut reader = MetaReader::default();
    let mut blocks = Blocks::new(source.lines()?, markdown);
    while !reader.settled() {
        match blocks.next()? {
            Some(b) => reader.push(&b),
            None => break,
        }
    }
    let meta = reader.finish(path);
    drop(blocks);

    let mut classifier = Classifier::new(&meta, rules);
    let mut blocks = Blocks::new(source.lines()?, markdown);
    let mut part = Part::default();
    let mut words = 0usize;
    let mut parts = 1;
    while let Some(b) = blocks.next()? {
        words += crate::bytescan::count_words(&b.text);
        if part.text >= part_bytes && b.is_heading() && part.may_end_before(&b, rules) {
            let next = part.next_context(&b);
            let done = std::mem::replace(&mut part, next);
            done.classify(&mut classifier);
            parts += 1;
        }
        part.push(b);
        if part.text > max_part_text {
            return Err(IngestError::PartTooLarge {
                mb: part.text as f64 / 1e6,
            });
        }
    }
    part.classify(&mut classifier);
    let classified = classifier.finish();
    let summary = measure(&classified.items, &classified.excluded, words);
    let analysis = Analysis {
        file: path.to_path_buf(),
        format: source.format,
        pages: blocks.lines.pages(),
        meta,
        summary,
        items: classified.items,
        excluded_items: classified.excluded_items,
        warnings: source.warnings(&blocks.lines),
        incomplete: false,
        blocks: Vec::new(),
    };
    Ok(Some((analysis, parts)))
}

/// The blocks of a text file one at a time: ingest, layout and segment in step.
struct Blocks {
    lines: TextLines,
    paras: Option<TextParas>,
    segmenter: Segmenter,
}

impl Blocks {
    fn new(lines: TextLines, markdown: bool) -> Blocks {
        Blocks {
            lines,
            paras: Some(TextParas::new(markdown)),
            segmenter: Segmenter::default(),
        }
    }

    fn next(&mut self) -> Result<Option<Block>, IngestError> {
        Ok(self.next_para()?.map(|p| self.segmenter.push(p)))
    }

    fn next_para(&mut self) -> Result<Option<Para>, IngestError> {
        while let Some(paras) = &mut self.paras {
            match self.lines.next_line()? {
                Some((page, line)) => {
                    if let Some(p) = paras.push_line(page, &line) {
                        return Ok(Some(p));
                    }
                }
                None => return Ok(self.paras.take().and_then(TextParas::finish)),
            }
        }
        Ok(None)
    }
}

/// One part of the document: the headings open above it (with their block indexes), then
/// its own blocks from block `first`.
#[derive(Default)]
struct Part {
    context: Vec<(usize, Block)>,
    first: usize,
    blocks: Vec<Block>,
    /// Bytes of text in `blocks`.
    text: usize,
}

impl Part {
    fn push(&mut self, b: Block) {
        self.text += b.text.len();
        self.blocks.push(b);
    }

    /// The block with index `h`, in this part or open above it.
    fn block(&self, h: usize) -> Option<&Block> {
        if h >= self.first {
            self.blocks.get(h - self.first)
        } else {
            self.context.iter().find(|(i, _)| *i == h).map(|(_, b)| b)
        }
    }

    /// Whether the part may end before heading `b` (the next block): no heading open above
    /// `b` opens an entry.
    fn may_end_before(&self, b: &Block, rules: &RuleSet) -> bool {
        b.trail
            .iter()
            .all(|&h| self.block(h).is_some_and(|hb| !opens_entry(hb, rules)))
    }

    /// The part that starts with heading `b`: the headings of its trail go with it.
    fn next_context(&self, b: &Block) -> Part {
        let context = b
            .trail
            .iter()
            .filter_map(|&h| self.block(h).map(|hb| (h, hb.clone())))
            .collect();
        Part {
            context,
            first: self.first + self.blocks.len(),
            blocks: Vec::new(),
            text: 0,
        }
    }

    /// Classify the part's blocks, with the open headings before them and every trail
    /// made an index into that document.
    fn classify(self, classifier: &mut Classifier) {
        if self.blocks.is_empty() {
            return;
        }
        let Part {
            context,
            first,
            blocks,
            ..
        } = self;
        let open: Vec<usize> = context.iter().map(|(h, _)| *h).collect();
        let local = |h: usize| {
            if h >= first {
                open.len() + (h - first)
            } else {
                // Every trail holds only headings of the part or open above it.
                open.iter().position(|&o| o == h).unwrap_or(0)
            }
        };
        let from = open.len();
        let doc = Document {
            blocks: context
                .into_iter()
                .map(|(_, b)| b)
                .chain(blocks)
                .map(|mut b| {
                    for h in &mut b.trail {
                        *h = local(*h);
                    }
                    b
                })
                .collect(),
        };
        classifier.add(&doc, from, first);
    }
}
