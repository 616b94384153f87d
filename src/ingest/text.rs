//! Text decoding: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, and Windows-1252 as
//! the fallback for bytes that are not valid UTF-8 (Word's "Save as text" on Norwegian
//! Windows). Markdown is plain text with markup, told apart by its headings and tables.

use super::{Format, IngestError, Line, Page, RawDoc};
use std::borrow::Cow;
use std::path::Path;

pub(super) fn read(path: &Path, bytes: &[u8]) -> Result<RawDoc, IngestError> {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings)?;
    let format = if looks_like_markdown(&text) {
        Format::Markdown
    } else {
        Format::Text
    };
    // A form feed separates pages in text exported from PDF tools; keep them as pages.
    let mut pages = Vec::new();
    let mut line_no = 0u32;
    for (i, chunk) in text.split('\u{c}').enumerate() {
        let mut page = Page {
            number: i as u32 + 1,
            height: 0.0,
            lines: Vec::new(),
        };
        for raw in chunk.lines() {
            line_no += 1;
            page.lines.push(Line {
                text: raw.trim_end().to_string(),
                x: 0.0,
                end: 0.0,
                y: line_no as f32,
                font_size: 0.0,
                source_line: line_no,
                cells: Vec::new(),
                words: Vec::new(),
            });
        }
        pages.push(page);
    }
    Ok(RawDoc {
        path: path.to_path_buf(),
        format,
        pages,
        warnings,
        incomplete: false,
    })
}

/// The text of `bytes`: borrowed when they are UTF-8 already (most files; a large file is
/// then not held twice), decoded otherwise.
fn decode<'a>(bytes: &'a [u8], warnings: &mut Vec<String>) -> Result<Cow<'a, str>, IngestError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let text = String::from_utf8_lossy(rest);
        if let std::borrow::Cow::Owned(_) = text {
            warnings.push("UTF-8 text has invalid sequences; replaced with U+FFFD".into());
        }
        return Ok(Cow::Owned(text.into_owned()));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            warnings.push("UTF-16 text has invalid sequences; replaced with U+FFFD".into());
        }
        return Ok(Cow::Owned(text.into_owned()));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        warnings.push(format!(
            "no byte-order mark; decoded as {} from its zero bytes",
            enc.name()
        ));
        if had_errors {
            warnings.push("UTF-16 text has invalid sequences; replaced with U+FFFD".into());
        }
        return Ok(Cow::Owned(text.into_owned()));
    }
    if looks_binary(bytes) {
        return Err(IngestError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            warnings.push("not valid UTF-8; decoded as Windows-1252".into());
            Ok(Cow::Owned(text.into_owned()))
        }
    }
}

/// UTF-16 saved without a byte-order mark: Norwegian text is mostly ASCII, so nearly every
/// second byte is zero (the high byte: odd positions for LE, even for BE) and the others are
/// not.
pub(super) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(8192) & !1];
    if sample.len() < 4 {
        return None;
    }
    let half = sample.len() / 2;
    let zeros = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= half * 9 && even * 10 < half {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= half * 9 && odd * 10 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// NUL bytes or many control characters mean this is not text (random bytes, images,
/// zip-based office files).
pub(super) fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 50 > sample.len()
}

/// ATX headings or a pipe-table separator row mark Markdown.
pub(super) fn looks_like_markdown(text: &str) -> bool {
    text.lines().take(2000).any(|l| {
        let t = l.trim_start();
        (t.starts_with('#') && t.trim_start_matches('#').starts_with(' '))
            || (t.starts_with('|') && t.contains("---"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(bytes: &[u8]) -> RawDoc {
        read(Path::new("x"), bytes).unwrap()
    }

    #[test]
    fn decodes_utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Mål og oppdrag".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(read_str(&bytes).pages[0].lines[0].text, "Mål og oppdrag");
    }

    #[test]
    fn decodes_utf16_without_bom() {
        let le: Vec<u8> = "Mål og oppdrag"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "Mål og oppdrag"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        for bytes in [le, be] {
            let doc = read_str(&bytes);
            assert_eq!(doc.pages[0].lines[0].text, "Mål og oppdrag");
            assert!(
                doc.warnings[0].contains("no byte-order mark"),
                "{:?}",
                doc.warnings
            );
        }
    }

    #[test]
    fn invalid_utf8_after_a_bom_is_not_silent() {
        let doc = read_str(b"\xEF\xBB\xBFM\xE5l");
        assert_eq!(doc.pages[0].lines[0].text, "M\u{FFFD}l");
        assert_eq!(
            doc.warnings,
            ["UTF-8 text has invalid sequences; replaced with U+FFFD"]
        );
    }

    #[test]
    fn decodes_windows_1252() {
        let doc = read_str(b"M\xe5l for \xe5ret");
        assert_eq!(doc.pages[0].lines[0].text, "Mål for året");
        assert!(doc.warnings[0].contains("Windows-1252"));
    }

    #[test]
    fn rejects_binary() {
        assert!(matches!(
            read(Path::new("x"), b"\x00\x01\x02abc"),
            Err(IngestError::Binary)
        ));
    }

    #[test]
    fn sniffs_markdown() {
        assert_eq!(read_str(b"# Tittel\n\ntekst").format, Format::Markdown);
        assert_eq!(read_str(b"Tittel\n\ntekst").format, Format::Text);
    }
}
