//! What every HTML page shares: escaping and the style sheet. Pages are self-contained
//! (no scripts, no external references) so they work from a file and as an e-mail
//! attachment.

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Colours of the categories, chosen to stay apart for colour-blind readers (Okabe–Ito).
pub fn category_colour(category: &str) -> &'static str {
    match category {
        "mal" => "#0072B2",
        "styringsparameter" => "#56B4E9",
        "resultatkrav" => "#009E73",
        "oppdrag" => "#E69F00",
        "rapporteringskrav" => "#D55E00",
        "fellesforing" => "#999999",
        "foring" => "#CC79A7",
        "styringsprinsipp" => "#F0E442",
        _ => "#666666",
    }
}

/// Open a page: doctype, title, inline style.
pub fn page_start(title: &str, lang: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
    )
}

pub fn page_end() -> &'static str {
    "</body>\n</html>\n"
}

const STYLE: &str = r#"body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
th { font-size: 0.8rem; max-width: 8rem; overflow-wrap: anywhere; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
td.text, th.text { text-align: left; }
.removed { background: #fde2e1; } .added { background: #dff5e1; } .reworded { background: #fff4cc; }
del { background: #f8c9c6; text-decoration: line-through; } ins { background: #bfe8c4; text-decoration: none; }
.meta { color: #555; font-size: 0.9rem; }
.up { color: #a40000; } .down { color: #1b6e20; }
svg text { font-family: inherit; font-size: 11px; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
"#;
