//! Text decoding in pieces, for a text file too large to hold (`crate::stream`): the same
//! decisions as [`super::text`] and [`super::read_bytes`] make on the whole file, and the
//! same lines, without ever holding more than a buffer of it.
//!
//! Some of those decisions depend on the whole file, so the file is read more than once:
//! first its bytes (is it only whitespace, which is "empty"; is it valid UTF-8, or
//! Windows-1252, which changes every byte's meaning from the first), then its first 2,000
//! decoded lines (Markdown or plain text), and then as many times as the caller asks for
//! its lines ([`TextSource::lines`]). Reading a file's bytes costs little against analysing
//! them. The file is assumed not to change while it is read.

use super::text::{looks_binary, looks_like_markdown, utf16_without_bom};
use super::{is_pdf, Format, IngestError, Line};
use encoding_rs::{CoderResult, Decoder, Encoding};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bytes read from the file at a time.
const READ_BYTES: usize = 1 << 20;

/// How the file's bytes become text, decided once from the whole file.
#[derive(Debug, Clone, Copy)]
struct Decoding {
    encoding: &'static Encoding,
    /// Bytes of byte-order mark to skip.
    skip: usize,
}

/// A text file opened for decoding in pieces: its encoding and format are known.
#[derive(Debug)]
pub struct TextSource {
    path: PathBuf,
    decoding: Decoding,
    pub format: Format,
    /// The warnings known before decoding (the encoding guessed); the decoder adds one
    /// when it had to replace invalid sequences.
    warnings: Vec<String>,
    /// Which warning invalid sequences give, if the encoding can have them.
    invalid_warning: Option<&'static str>,
}

impl TextSource {
    /// Sniff the file as [`super::read_bytes`] would. `Ok(None)` when it is a PDF (which
    /// this does not read).
    pub fn open(path: &Path) -> Result<Option<TextSource>, IngestError> {
        let mut file = File::open(path)?;
        let mut head = Vec::with_capacity(8192);
        (&mut file).take(8192).read_to_end(&mut head)?;
        // One pass over the bytes: whitespace only? valid UTF-8?
        let mut all_space = true;
        let mut utf8 = Utf8Check::default();
        let mut buf = vec![0u8; READ_BYTES];
        let mut file = File::open(path)?;
        loop {
            let n = read_full(&mut file, &mut buf)?;
            if n == 0 {
                break;
            }
            all_space = all_space && buf[..n].iter().all(u8::is_ascii_whitespace);
            utf8.feed(&buf[..n]);
        }
        if all_space {
            return Err(IngestError::Empty);
        }
        if is_pdf(&head) {
            return Ok(None);
        }
        let mut warnings = Vec::new();
        let (decoding, invalid_warning) = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            let d = Decoding {
                encoding: encoding_rs::UTF_8,
                skip: 3,
            };
            (
                d,
                Some("UTF-8 text has invalid sequences; replaced with U+FFFD"),
            )
        } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            let encoding = if head[0] == 0xFF {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let d = Decoding { encoding, skip: 2 };
            (
                d,
                Some("UTF-16 text has invalid sequences; replaced with U+FFFD"),
            )
        } else if let Some(encoding) = utf16_without_bom(&head) {
            warnings.push(format!(
                "no byte-order mark; decoded as {} from its zero bytes",
                encoding.name()
            ));
            let d = Decoding { encoding, skip: 0 };
            (
                d,
                Some("UTF-16 text has invalid sequences; replaced with U+FFFD"),
            )
        } else if looks_binary(&head) {
            return Err(IngestError::Binary);
        } else if utf8.valid() {
            let d = Decoding {
                encoding: encoding_rs::UTF_8,
                skip: 0,
            };
            (d, None)
        } else {
            warnings.push("not valid UTF-8; decoded as Windows-1252".into());
            let d = Decoding {
                encoding: encoding_rs::WINDOWS_1252,
                skip: 0,
            };
            (d, None)
        };
        let mut source = TextSource {
            path: path.to_path_buf(),
            decoding,
            format: Format::Text,
            warnings,
            invalid_warning,
        };
        // Markdown or not, from the first 2,000 lines (as `looks_like_markdown` reads them).
        let mut text = Text::open(&source)?;
        let mut prefix = String::new();
        let mut newlines = 0;
        while newlines < 2000 {
            let Some(piece) = text.decode_more()? else {
                break;
            };
            newlines += piece.bytes().filter(|&b| b == b'\n').count();
            prefix.push_str(&piece);
        }
        if looks_like_markdown(&prefix) {
            source.format = Format::Markdown;
        }
        Ok(Some(source))
    }

    /// The file's lines from the start, as [`super::text`] makes them.
    pub fn lines(&self) -> Result<TextLines, IngestError> {
        Ok(TextLines {
            text: Text::open(self)?,
            pending: String::new(),
            pos: 0,
            page: 1,
            line_no: 0,
            done: false,
        })
    }

    /// The warnings of reading the file, once `lines` has read to the end (whether the
    /// decoder had to replace invalid sequences is known only then).
    pub fn warnings(&self, lines: &TextLines) -> Vec<String> {
        let mut out = self.warnings.clone();
        if let Some(w) = self.invalid_warning.filter(|_| lines.text.replaced) {
            out.push(w.to_string());
        }
        if super::named_pdf(&self.path) {
            out.push(super::NAMED_PDF.into());
        }
        out
    }
}

/// `read` until `buf` is full or the file ends: the bytes read.
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Whether bytes fed in pieces are valid UTF-8 together (a character may straddle pieces).
#[derive(Default)]
struct Utf8Check {
    /// The start of a character cut off at the end of the last piece.
    carry: Vec<u8>,
    bad: bool,
}

impl Utf8Check {
    fn feed(&mut self, bytes: &[u8]) {
        if self.bad {
            return;
        }
        let mut joined;
        let bytes = if self.carry.is_empty() {
            bytes
        } else {
            joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(bytes);
            &joined[..]
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => {}
            // Cut off at the end: may go on in the next piece.
            Err(e) if e.error_len().is_none() => {
                self.carry = bytes[e.valid_up_to()..].to_vec();
            }
            Err(_) => self.bad = true,
        }
    }

    fn valid(&self) -> bool {
        !self.bad && self.carry.is_empty()
    }
}

/// The file's text, decoded a buffer at a time.
struct Text {
    file: File,
    decoder: Decoder,
    buf: Vec<u8>,
    /// Whether the decoder replaced an invalid sequence with U+FFFD.
    replaced: bool,
    ended: bool,
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Text").field("ended", &self.ended).finish()
    }
}

impl Text {
    fn open(source: &TextSource) -> Result<Text, IngestError> {
        let mut file = File::open(&source.path)?;
        let mut skip = vec![0u8; source.decoding.skip];
        file.read_exact(&mut skip)?;
        Ok(Text {
            file,
            decoder: source.decoding.encoding.new_decoder_without_bom_handling(),
            buf: vec![0u8; READ_BYTES],
            replaced: false,
            ended: false,
        })
    }

    /// The next piece of text; None at the end.
    fn decode_more(&mut self) -> Result<Option<String>, IngestError> {
        if self.ended {
            return Ok(None);
        }
        let n = read_full(&mut self.file, &mut self.buf)?;
        let last = n == 0;
        let src = &self.buf[..n];
        let mut out = String::with_capacity(
            self.decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3 + 16),
        );
        let mut read = 0;
        loop {
            let (result, r, replaced) = self.decoder.decode_to_string(&src[read..], &mut out, last);
            read += r;
            self.replaced |= replaced;
            match result {
                CoderResult::InputEmpty => break,
                CoderResult::OutputFull => out.reserve(src.len() + 16),
            }
        }
        if last {
            self.ended = true;
        }
        Ok(Some(out))
    }
}

/// The lines of a text file, each with its page: [`super::text`]'s lines, one at a time.
#[derive(Debug)]
pub struct TextLines {
    text: Text,
    /// Decoded text not yet split into lines, from `pos`.
    pending: String,
    pos: usize,
    /// The page the next line is on (a form feed starts a page).
    page: u32,
    line_no: u32,
    done: bool,
}

impl TextLines {
    /// Pages so far; all of them once the lines are read to the end.
    pub fn pages(&self) -> usize {
        self.page as usize
    }

    /// The next line and its page number.
    pub fn next_line(&mut self) -> Result<Option<(u32, Line)>, IngestError> {
        loop {
            let rest = &self.pending[self.pos..];
            if let Some(k) = rest.find(['\n', '\u{c}']) {
                let piece = &rest[..k];
                let form_feed = rest.as_bytes()[k] == 0x0c;
                self.pos += k + 1;
                // A page's last piece is a line only when it is not empty (as
                // `str::lines` reads a page); every piece before a newline is one.
                let line = (!form_feed || !piece.is_empty()).then(|| piece.trim_end().to_string());
                let page = self.page;
                if form_feed {
                    self.page += 1;
                }
                if let Some(text) = line {
                    return Ok(Some((page, self.line(text))));
                }
                continue;
            }
            if self.done {
                return Ok(None);
            }
            // Keep what is not split yet, and decode more.
            self.pending.drain(..self.pos);
            self.pos = 0;
            match self.text.decode_more()? {
                Some(piece) => self.pending.push_str(&piece),
                None => {
                    self.done = true;
                    let piece = std::mem::take(&mut self.pending);
                    if !piece.is_empty() {
                        let text = piece.trim_end().to_string();
                        return Ok(Some((self.page, self.line(text))));
                    }
                    return Ok(None);
                }
            }
        }
    }

    fn line(&mut self, text: String) -> Line {
        self.line_no += 1;
        Line {
            text,
            x: 0.0,
            end: 0.0,
            y: self.line_no as f32,
            font_size: 0.0,
            source_line: self.line_no,
            cells: Vec::new(),
            words: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_bytes;

    /// Every line and page of `bytes` read in pieces equals the whole-file reading.
    fn same_as_whole(bytes: &[u8]) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.txt");
        std::fs::write(&path, bytes).expect("write");
        let whole = read_bytes(&path, bytes);
        let source = TextSource::open(&path);
        let (whole, source) = match (whole, source) {
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string());
                return;
            }
            (Ok(w), Ok(Some(s))) => (w, s),
            (w, s) => panic!("whole {w:?}, in pieces {s:?}"),
        };
        assert_eq!(whole.format, source.format);
        let mut lines = source.lines().expect("lines");
        let mut got = Vec::new();
        while let Some((page, line)) = lines.next_line().expect("line") {
            got.push((page, line));
        }
        let want: Vec<(u32, Line)> = whole
            .pages
            .iter()
            .flat_map(|p| p.lines.iter().map(|l| (p.number, l.clone())))
            .collect();
        assert_eq!(got, want);
        assert_eq!(lines.pages(), whole.pages.len());
        assert_eq!(source.warnings(&lines), whole.warnings);
    }

    #[test]
    fn lines_and_pages_are_those_of_the_whole_file() {
        for text in [
            "# Tittel\n\ntekst\n",
            "a\n\u{c}b\r\nc\u{c}\u{c}d",
            "a\u{c}",
            "\u{c}a\n\n",
            "Mål   og oppdrag  \n\r\n |x|y| \n",
            " \n\nx",
        ] {
            same_as_whole(text.as_bytes());
        }
    }

    #[test]
    fn encodings_are_those_of_the_whole_file() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Mål\nog\u{c}oppdrag"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let utf16be: Vec<u8> = "Mål og oppdrag\nfor året"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let mut odd = utf16le.clone();
        odd.push(0x41);
        for bytes in [
            &b"M\xe5l for \xe5ret\n"[..],
            b"\xEF\xBB\xBFM\xE5l\nok \xF0\x9F\x98\n\xC3",
            b"\xEF\xBB\xBFM\xC3\xA5l\n",
            &utf16le,
            &utf16be,
            &odd,
            b"\x00\x01\x02abc",
            b"  \n\t ",
        ] {
            same_as_whole(bytes);
        }
    }

    #[test]
    fn a_character_across_two_reads_is_valid_utf8() {
        // "å" (C3 A5) cut between the first and the second read.
        let mut bytes = vec![b'a'; READ_BYTES - 1];
        bytes.extend_from_slice("å\nø\n".as_bytes());
        same_as_whole(&bytes);
        let mut check = Utf8Check::default();
        check.feed(&bytes[..READ_BYTES]);
        check.feed(&bytes[READ_BYTES..]);
        assert!(check.valid());
    }
}
