//! byrde patch: a hand-written decoder for the common part of PDF content streams.
//!
//! lopdf's parser (nom, with an `alt` over every object kind for every token) was a third
//! of the time byrde spent reading a PDF. This decoder handles what content streams are
//! made of — numbers, names, literal and hexadecimal strings, arrays and dictionaries of
//! those, and operators — and gives exactly the `Content` lopdf gives for them. On
//! anything else (comments, inline images, references, `#` in names, numbers out of range,
//! deep nesting, a stream that does not end cleanly) it returns `None`, and the caller
//! uses lopdf's parser for the whole stream.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object, StringFormat};

/// Deeper arrays and dictionaries are left to lopdf.
const MAX_DEPTH: usize = 20;

/// Content-stream space as lopdf's `content_space` reads it.
fn is_content_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whitespace as lopdf's `space` reads it inside arrays and dictionaries (comments are
/// not handled here).
fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0C)
}

fn is_delimiter(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_operator_char(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
}

struct Decoder<'a> {
    s: &'a [u8],
    i: usize,
}

/// Decode a content stream, or `None` when it holds anything this decoder leaves to lopdf.
pub fn decode(data: &[u8]) -> Option<Content<Vec<Operation>>> {
    let mut d = Decoder { s: data, i: 0 };
    let mut operations = Vec::new();
    let mut operands = Vec::new();
    d.skip(is_content_space);
    while let Some(c) = d.peek() {
        if is_operator_char(c) {
            if operands.is_empty() && d.s[d.i..].starts_with(b"BI") {
                return None; // inline image
            }
            let start = d.i;
            while d.peek().is_some_and(is_operator_char) {
                d.i += 1;
            }
            let op = &d.s[start..d.i];
            if op.starts_with(b"null") || op.starts_with(b"true") || op.starts_with(b"false") {
                return None; // lopdf reads these as operands
            }
            operations.push(Operation {
                operator: std::str::from_utf8(op).ok()?.to_string(),
                operands: std::mem::take(&mut operands),
            });
        } else {
            operands.push(d.operand()?);
        }
        d.skip(is_content_space);
    }
    if !operands.is_empty() {
        return None; // operands without an operator at the end
    }
    Some(Content { operations })
}

impl Decoder<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip(&mut self, f: fn(u8) -> bool) {
        while self.peek().is_some_and(f) {
            self.i += 1;
        }
    }

    /// One operand of an operator (lopdf's `operand`: no references, and `true`, `false`
    /// and `null` are refused by the caller).
    fn operand(&mut self) -> Option<Object> {
        match self.peek()? {
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(),
            b'/' => self.name(),
            b'(' => self.literal_string(),
            b'<' if self.s.get(self.i + 1) == Some(&b'<') => self.dictionary(0),
            b'<' => self.hex_string(),
            b'[' => self.array(0),
            _ => None,
        }
    }

    /// An element of an array or a value in a dictionary (lopdf's `_direct_object`, which
    /// also reads `true`, `false`, `null` and references), and the space after it.
    fn direct_object(&mut self, depth: usize) -> Option<Object> {
        let rest = &self.s[self.i..];
        let keywords: [(&[u8], Object); 3] = [
            (b"null", Object::Null),
            (b"true", Object::Boolean(true)),
            (b"false", Object::Boolean(false)),
        ];
        let found = IntoIterator::into_iter(keywords).find(|(k, _)| rest.starts_with(k));
        let object = if let Some((k, object)) = found {
            self.i += k.len();
            if self.peek().is_some_and(|c| !is_whitespace(c) && !is_delimiter(c)) {
                return None;
            }
            object
        } else {
            match self.peek()? {
                b'0'..=b'9' => {
                    let object = self.number()?;
                    if self.reference_follows() {
                        return None;
                    }
                    object
                }
                b'+' | b'-' | b'.' => self.number()?,
                b'/' => self.name()?,
                b'(' => self.literal_string()?,
                b'<' if self.s.get(self.i + 1) == Some(&b'<') => self.dictionary(depth + 1)?,
                b'<' => self.hex_string()?,
                b'[' => self.array(depth + 1)?,
                _ => return None,
            }
        };
        self.skip(is_whitespace);
        Some(object)
    }

    /// After an unsigned integer: whether digits and then `R` follow (with or without
    /// space between), which lopdf would read as a reference.
    fn reference_follows(&self) -> bool {
        let mut k = self.i;
        while self.s.get(k).copied().is_some_and(is_whitespace) {
            k += 1;
        }
        let digits = k;
        while self.s.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
        if k == digits {
            return false;
        }
        while self.s.get(k).copied().is_some_and(is_whitespace) {
            k += 1;
        }
        self.s.get(k) == Some(&b'R')
    }

    /// lopdf tries a real (`[+-]? (digits "." digits* | "." digits)`) before an integer
    /// (`[+-]? digits`); a number ends where those characters end.
    fn number(&mut self) -> Option<Object> {
        let start = self.i;
        let mut j = self.i;
        if matches!(self.s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let digits = |from: usize| {
            let mut k = from;
            while self.s.get(k).is_some_and(u8::is_ascii_digit) {
                k += 1;
            }
            k
        };
        let int_end = digits(j);
        let real_end = if int_end > j && self.s.get(int_end) == Some(&b'.') {
            Some(digits(int_end + 1))
        } else if int_end == j && self.s.get(j) == Some(&b'.') && digits(j + 1) > j + 1 {
            Some(digits(j + 1))
        } else {
            None
        };
        if let Some(end) = real_end {
            let v: f32 = std::str::from_utf8(&self.s[start..end]).ok()?.parse().ok()?;
            self.i = end;
            return Some(Object::Real(v));
        }
        if int_end == j {
            return None;
        }
        let v: i64 = std::str::from_utf8(&self.s[start..int_end]).ok()?.parse().ok()?;
        self.i = int_end;
        Some(Object::Integer(v))
    }

    fn name(&mut self) -> Option<Object> {
        self.i += 1; // '/'
        let start = self.i;
        while let Some(c) = self.peek() {
            if c == b'#' {
                return None; // hex escapes: lopdf's rules
            }
            if is_whitespace(c) || is_delimiter(c) {
                break;
            }
            self.i += 1;
        }
        Some(Object::Name(self.s[start..self.i].to_vec()))
    }

    fn literal_string(&mut self) -> Option<Object> {
        self.i += 1; // '('
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    if depth > 50 {
                        return None;
                    }
                    out.push(c);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    out.push(c);
                }
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'0'..=b'7' => {
                            let mut v = u16::from(e - b'0');
                            let mut n = 1;
                            while n < 3 && self.peek().is_some_and(|c| (b'0'..=b'7').contains(&c)) {
                                v = v * 8 + u16::from(self.s[self.i] - b'0');
                                self.i += 1;
                                n += 1;
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.i += 1;
                            }
                        }
                        b'\n' => {}
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0C),
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        Some(Object::String(out, StringFormat::Literal))
    }

    fn hex_string(&mut self) -> Option<Object> {
        self.i += 1; // '<'
        let mut out: Vec<u8> = Vec::new();
        let mut high = true;
        loop {
            self.skip(is_whitespace);
            let c = self.peek()?;
            self.i += 1;
            if c == b'>' {
                break;
            }
            let v = (c as char).to_digit(16)? as u8;
            if high {
                out.push(v << 4);
            } else if let Some(last) = out.last_mut() {
                *last |= v;
            }
            high = !high;
        }
        Some(Object::String(out, StringFormat::Hexadecimal))
    }

    fn array(&mut self, depth: usize) -> Option<Object> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.i += 1; // '['
        self.skip(is_whitespace);
        let mut items = Vec::new();
        loop {
            if self.peek()? == b']' {
                self.i += 1;
                return Some(Object::Array(items));
            }
            items.push(self.direct_object(depth)?);
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Object> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.i += 2; // '<<'
        self.skip(is_whitespace);
        let mut dict = Dictionary::new();
        loop {
            match self.peek()? {
                b'>' if self.s.get(self.i + 1) == Some(&b'>') => {
                    self.i += 2;
                    return Some(Object::Dictionary(dict));
                }
                b'/' => {
                    let Object::Name(key) = self.name()? else {
                        return None;
                    };
                    self.skip(is_whitespace);
                    let value = self.direct_object(depth)?;
                    dict.set(key, value);
                }
                _ => return None,
            }
        }
    }
}
