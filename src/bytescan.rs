//! Byte-level scans of text that several stages run over every paragraph: counting words,
//! and the eight-bytes-at-a-time tests they are built from.
//!
//! Why: `str::split_whitespace` decodes every character and asks `char::is_whitespace` of
//! it, which made counting words most of what segment and measure spent. Letters are
//! mostly ASCII and the Latin-1 letters, so eight bytes can usually be read at once.

/// 0x01 in every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// 0x80 in every byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// 0x80 in each byte of `x` that equals `v`, 0 in the others (exact: no carry crosses a
/// byte).
pub(crate) fn bytes_equal(x: u64, v: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let t = x ^ (ONES * v as u64);
    !(((t & LOW7).wrapping_add(LOW7)) | t | LOW7)
}

/// Nonzero when some byte of `x` is below 0x20 (exact as a yes or no, not per byte).
pub(crate) fn any_below_space(x: u64) -> u64 {
    x.wrapping_sub(ONES * 0x20) & !x & HIGH
}

/// 0x80 in each byte of `x` that is a UTF-8 lead byte other than 0xC3 (0xC3 leads the
/// Latin-1 letters, U+00C0..U+00FF).
pub(crate) fn leads_but_latin1(x: u64) -> u64 {
    x & (x << 1) & HIGH & !bytes_equal(x, 0xC3)
}

/// The character starting at byte `i` of `s` (`None` at the end, or where `i` is not at
/// a character's start): for scans that step bytes where they are ASCII and decode the
/// rest where it stands.
#[inline]
pub(crate) fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|rest| rest.chars().next())
}

/// The eight bytes of `b` from `i`, if there are eight.
pub(crate) fn chunk_at(b: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = b.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The number of words in `s`: `s.split_whitespace().count()`.
pub fn count_words(s: &str) -> usize {
    count_words_upto(s, usize::MAX)
}

/// `s.split_whitespace().take(limit).count()`: counting stops at `limit`.
pub fn count_words_upto(s: &str, limit: usize) -> usize {
    let b = s.as_bytes();
    let mut words = 0usize;
    let mut in_word = false;
    let mut i = 0;
    while i < b.len() && words < limit {
        if let Some(x) = chunk_at(b, i) {
            // No control characters and no lead byte but 0xC3: only spaces separate words
            // here (every other byte is part of a word, a multi-byte letter included).
            if any_below_space(x) == 0 && leads_but_latin1(x) == 0 {
                let in_words = !bytes_equal(x, b' ') & HIGH;
                let before = (in_words << 8) | if in_word { 0x80 } else { 0 };
                words += (in_words & !before).count_ones() as usize;
                in_word = in_words >> 63 != 0;
                i += 8;
                continue;
            }
        }
        let (space, len) = space_at(b, i);
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += len;
    }
    words.min(limit)
}

/// Whether the character at byte `i` of `b` is whitespace (`char::is_whitespace`), and how
/// many bytes to step: the whole character when it is whitespace, else one byte (the rest
/// of a character is never a lead byte of whitespace, so reading on byte by byte is safe).
fn space_at(b: &[u8], i: usize) -> (bool, usize) {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => (true, 1),
        // U+0085, U+00A0
        0xC2 if matches!(at(1), 0x85 | 0xA0) => (true, 2),
        // U+1680
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => (true, 3),
        // U+2000..U+200A, U+2028, U+2029, U+202F
        0xE2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) => (true, 3),
        // U+205F
        0xE2 if at(1) == 0x81 && at(2) == 0x9F => (true, 3),
        // U+3000
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => (true, 3),
        _ => (false, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_at_is_char_is_whitespace() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.to_string();
            let (space, len) = space_at(s.as_bytes(), 0);
            assert_eq!(space, c.is_whitespace(), "{c:?}");
            if space {
                assert_eq!(len, s.len(), "{c:?}");
            }
        }
    }

    #[test]
    fn count_words_is_split_whitespace() {
        let alphabet = [
            "a", "Z", " ", "  ", "\t", "\r\n", "\u{b}", "\u{1}", "æ", "Ø", "å", "–", "«", "\u{a0}",
            "\u{85}", "\u{2003}", "\u{3000}", "\u{202f}", "\u{1680}", "ﬁ", "€", "😀",
        ];
        let mut random = crate::test_random::Random::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let s = random.text(60, &alphabet, &['e', 'n', ' ', 's', 't', 'ø']);
            assert_eq!(count_words(&s), s.split_whitespace().count(), "{s:?}");
            for limit in [0, 1, 6, 17] {
                assert_eq!(
                    count_words_upto(&s, limit),
                    s.split_whitespace().take(limit).count(),
                    "{s:?} {limit}"
                );
            }
        }
    }
}
