//! `byrde analyse --format html`: the letter itself, in its sections, with every item
//! highlighted in its category's colour and tagged with its category's name (readable
//! without colour), a counts table at the top, a legend, and a list of every item to jump
//! to. One self-contained page: no scripts, no network, fine as an e-mail attachment, and
//! it prints (the print style sheet drops the navigation).

use super::html::{category_colour, esc, page_end};
use super::lang::Lang;
use crate::analysis::Analysis;
use crate::classify::Item;
use crate::rules::CATEGORIES;
use crate::segment::{Block, BlockKind};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Borders that tell the categories apart in black and white too.
fn border(category: &str) -> &'static str {
    match category {
        "mal" => "solid",
        "styringsparameter" => "dashed",
        "resultatkrav" => "double",
        "oppdrag" => "solid",
        "rapporteringskrav" => "dotted",
        "fellesforing" => "dashed",
        "foring" => "dotted",
        "styringsprinsipp" => "double",
        _ => "solid",
    }
}

fn style() -> String {
    let mut css = String::from(
        r#"body { font-family: Georgia, "Times New Roman", serif; margin: 0; color: #1a1a1a; line-height: 1.5; }
header, section.top { max-width: 72rem; margin: 0 auto; padding: 0 1rem; font-family: system-ui, sans-serif; }
h1 { font-size: 1.5rem; margin-top: 1.5rem; }
.meta { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; vertical-align: top; }
table.counts td.n { text-align: right; font-variant-numeric: tabular-nums; }
.layout { display: flex; gap: 1.5rem; max-width: 72rem; margin: 1rem auto; padding: 0 1rem; }
nav { flex: 0 0 22rem; font-family: system-ui, sans-serif; font-size: 0.85rem; position: sticky; top: 0; max-height: 100vh; overflow: auto; }
nav ol { padding-left: 1.6rem; } nav li { margin-bottom: 0.35rem; }
article { flex: 1; min-width: 0; }
article h2, article h3, article h4, article h5, article h6 { font-family: system-ui, sans-serif; } article h6 { font-size: 0.9rem; }
mark.item { background: transparent; border-width: 2px; padding: 0 0.15rem; border-radius: 3px; }
tr.item > td { border-width: 2px; }
mark.repeat { background: transparent; border: 1px dashed #888; }
.tag { font: bold 0.65rem system-ui, sans-serif; letter-spacing: 0.03em; padding: 0 0.25rem; margin-right: 0.3rem; border-radius: 2px; color: #fff; vertical-align: 0.1rem; }
sup a { text-decoration: none; font-family: system-ui, sans-serif; }
.closing { color: #777; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; }
@media print { nav { display: none; } .layout { display: block; max-width: none; } body { font-size: 10.5pt; } mark.item, tr.item > td { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#,
    );
    for c in CATEGORIES {
        let colour = category_colour(c);
        let _ = writeln!(
            css,
            "mark.c-{c}, tr.c-{c} > td {{ border: 2px {} {colour}; background: {colour}22; }} .c-{c} .tag, .tag.c-{c} {{ background: {colour}; }}",
            border(c)
        );
    }
    // Light categories need dark tag text.
    css.push_str(".c-styringsprinsipp .tag, .tag.c-styringsprinsipp, .c-styringsparameter .tag, .tag.c-styringsparameter { color: #000; }\n");
    css
}

/// Attributes of an item for its hover text and its entry in the list.
fn attributes(it: &Item, lang: Lang) -> Vec<String> {
    let mut a = Vec::new();
    if let Some(id) = &it.id {
        a.push(id.clone());
    }
    if let Some(f) = &it.frist {
        a.push(format!("{} {f}", lang.word("frist")));
    }
    if let Some(f) = &it.frequency {
        a.push(format!("{} {f}", lang.word("frequency")));
    }
    if it.quantitative {
        a.push(lang.word("quantitative").to_string());
    }
    if it.deloppdrag > 0 {
        a.push(format!("{} {}", it.deloppdrag, lang.word("deloppdrag")));
    }
    a.extend(it.flags.iter().cloned());
    a.push(format!("{} {}", lang.word("rule"), it.rule));
    a
}

/// Render one or more analysed letters as one page.
pub fn render(docs: &[Analysis], lang: Lang) -> String {
    let title = match docs {
        [d] => letter_title(d),
        _ => format!(
            "byrde: {} {}",
            docs.len(),
            lang.word("documents").to_lowercase()
        ),
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(&title),
        style()
    );
    for (n, d) in docs.iter().enumerate() {
        letter(&mut out, d, n, lang);
    }
    out.push_str(page_end());
    out
}

fn letter_title(d: &Analysis) -> String {
    d.blocks
        .iter()
        .find(|b| matches!(b.kind, BlockKind::Heading { rank: 0, .. }))
        .map(|b| b.text.clone())
        .unwrap_or_else(|| super::display_path(&d.file))
}

fn letter(out: &mut String, d: &Analysis, n: usize, lang: Lang) {
    let id = |i: usize| format!("d{n}-i{}", i + 1);
    let m = &d.meta;
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", esc(&letter_title(d)));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}: {} {} · {}: {} · {}: {} · {} · {} {}</p>",
        lang.word("kind"),
        esc(m.kind.as_str()),
        m.year.map_or(String::new(), |y| y.to_string()),
        lang.word("issuer"),
        esc(m.issuer.as_deref().unwrap_or("–")),
        lang.word("recipient"),
        esc(m.recipient.as_deref().unwrap_or("–")),
        esc(&super::display_path(&d.file)),
        d.pages,
        lang.word("pages")
    );
    if d.incomplete {
        let _ = writeln!(
            out,
            "<p class=\"meta\"><b>{}</b></p>",
            lang.word("incomplete")
        );
    }
    for w in &d.warnings {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{}: {}</p>",
            lang.word("warnings"),
            esc(w)
        );
    }
    let _ = writeln!(out, "</header>");

    // Counts and legend.
    let s = &d.summary;
    let _ = writeln!(
        out,
        "<section class=\"top\">\n<h2>{}</h2>\n<table class=\"counts\">",
        lang.word("counts")
    );
    for c in CATEGORIES {
        let _ = writeln!(
            out,
            "<tr><td><span class=\"tag c-{c}\">{}</span>{}</td><td class=\"n\" data-count=\"{c}\">{}</td></tr>",
            lang.tag(c),
            lang.category(c),
            s.count(c)
        );
    }
    let share = s
        .quantitative_share
        .map_or("–".to_string(), |q| format!("{:.0} %", q * 100.0));
    for (key, value) in [
        ("styringskrav", s.styringskrav.to_string()),
        ("ka_total", s.ka_total.to_string()),
        ("deloppdrag", s.deloppdrag.to_string()),
        ("frist", s.frist.to_string()),
        ("quantitative_share", share),
        ("reporting_events", lang.number(s.reporting_events)),
        ("per_1000_words", lang.number(s.per_1000_words)),
        ("medvirkning", s.medvirkning.to_string()),
        ("individuelt", s.individuelt.to_string()),
    ] {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\" data-count=\"{key}\">{}</td></tr>",
            lang.category(key),
            esc(&value)
        );
    }
    let _ = writeln!(
        out,
        "</table>\n<h2>{}</h2>\n<ul class=\"legend\">",
        lang.word("legend")
    );
    for c in CATEGORIES {
        let _ = writeln!(
            out,
            "<li><mark class=\"c-{c}\"><span class=\"tag\">{}</span>{}</mark></li>",
            lang.tag(c),
            lang.category(c)
        );
    }
    let _ = writeln!(
        out,
        "<li><mark class=\"repeat\">…</mark> {}</li>\n</ul>\n</section>",
        lang.word("repeat")
    );

    // The list of items, by category.
    let _ = writeln!(
        out,
        "<div class=\"layout\">\n<nav aria-label=\"{}\">\n<h2>{}</h2>",
        lang.word("items"),
        lang.word("items")
    );
    for c in CATEGORIES {
        let of: Vec<(usize, &Item)> = d
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.category == *c)
            .collect();
        if of.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h3>{} ({})</h3>\n<ol>", lang.category(c), of.len());
        for (i, it) in of {
            let _ = writeln!(
                out,
                "<li id=\"n-{}\"><a href=\"#{}\">{}</a> <span class=\"meta\">({} {}; {})</span></li>",
                id(i),
                id(i),
                esc(&super::shorten(it.title.as_deref().unwrap_or(&it.text), 110)),
                lang.word("page"),
                it.page,
                esc(&attributes(it, lang).join("; "))
            );
        }
        let _ = writeln!(out, "</ol>");
    }
    let _ = writeln!(out, "</nav>\n<article>\n<h2>{}</h2>", lang.word("letter"));

    // The letter, block by block.
    let mut by_block: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, it) in d.items.iter().enumerate() {
        by_block.entry(it.block).or_default().push(i);
    }
    let mut repeats: BTreeMap<(u32, u32), &str> = BTreeMap::new();
    for it in &d.items {
        for l in &it.also_at {
            repeats.insert((l.page, l.line), it.category.as_str());
        }
    }
    let mut open: Option<&'static str> = None; // "ul" or "table"
    for (j, b) in d.blocks.iter().enumerate() {
        let wants = match b.kind {
            BlockKind::ListItem { .. } => Some("ul"),
            BlockKind::TableRow { .. } => Some("table"),
            _ => None,
        };
        if open != wants {
            if let Some(tag) = open {
                let _ = writeln!(out, "</{tag}>");
            }
            if let Some(tag) = wants {
                let _ = writeln!(out, "<{tag}>");
            }
            open = wants;
        }
        let items: Vec<(usize, &Item)> = by_block
            .get(&j)
            .map(|v| v.iter().map(|&i| (i, &d.items[i])).collect())
            .unwrap_or_default();
        let repeat = repeats
            .get(&(b.page, b.line))
            .copied()
            .filter(|_| items.is_empty());
        block(out, b, &items, repeat, &id, lang);
    }
    if let Some(tag) = open {
        let _ = writeln!(out, "</{tag}>");
    }
    let _ = writeln!(out, "</article>\n</div>");
}

/// One highlighted item: its tag, its text, and a footnote mark linking to the list.
fn mark(it: &Item, i: usize, text: &str, id: &dyn Fn(usize) -> String, lang: Lang) -> String {
    format!(
        "<mark class=\"item c-{c}\" id=\"{}\" data-item=\"{}\" data-category=\"{c}\" title=\"{}\"><span class=\"tag\">{}</span>{}</mark><sup><a href=\"#n-{}\">{}</a></sup>",
        id(i),
        i + 1,
        esc(&format!("{} · {}", lang.category(&it.category), attributes(it, lang).join(" · "))),
        lang.tag(&it.category),
        esc(text),
        id(i),
        i + 1,
        c = it.category
    )
}

/// Byte ranges of the block's text that each item covers: a cue item from its sentence to
/// the next item, a label item the whole block.
fn ranges(text: &str, items: &[(usize, &Item)]) -> Vec<(usize, usize, usize)> {
    let mut r: Vec<(usize, usize, usize)> = items
        .iter()
        .map(|&(i, it)| {
            let start = if it.text.len() < text.len() && text.ends_with(&it.text) {
                text.len() - it.text.len()
            } else {
                0
            };
            (start, text.len(), i)
        })
        .collect();
    r.sort();
    for k in 0..r.len().saturating_sub(1) {
        r[k].1 = r[k].1.min(r[k + 1].0.max(r[k].0));
    }
    r
}

fn block(
    out: &mut String,
    b: &Block,
    items: &[(usize, &Item)],
    repeat: Option<&str>,
    id: &dyn Fn(usize) -> String,
    lang: Lang,
) {
    let closing = if b.closing { " class=\"closing\"" } else { "" };
    let body = |text: &str| -> String {
        if let Some(c) = repeat {
            return format!(
                "<mark class=\"repeat c-{c}\" title=\"{}\">{}</mark>",
                lang.word("repeat"),
                esc(text)
            );
        }
        let mut s = String::new();
        let mut at = 0;
        for (start, end, i) in ranges(text, items) {
            s.push_str(&esc(&text[at..start.max(at)]));
            s.push_str(&mark(
                items.iter().find(|x| x.0 == i).expect("item").1,
                i,
                &text[start.max(at)..end],
                id,
                lang,
            ));
            at = end;
        }
        s.push_str(&esc(&text[at.min(text.len())..]));
        s
    };
    match &b.kind {
        BlockKind::Heading { rank, .. } => {
            let level = 3 + (*rank).min(3);
            let _ = writeln!(out, "<h{level}{closing}>{}</h{level}>", body(&b.text));
        }
        BlockKind::Paragraph => {
            let _ = writeln!(out, "<p{closing}>{}</p>", body(&b.text));
        }
        BlockKind::ListItem { marker, .. } => {
            let shown = if marker == "•" {
                String::new()
            } else {
                format!("{} ", esc(marker))
            };
            let _ = writeln!(out, "<li{closing}>{shown}{}</li>", body(&b.text));
        }
        BlockKind::TableRow { cells } => {
            // Items from one cell are marked in that cell; an item that is the whole row
            // marks the row.
            let whole: Vec<&(usize, &Item)> =
                items.iter().filter(|(_, it)| !it.from_cell).collect();
            let row_attr = match whole.first() {
                Some((i, it)) => format!(
                    " class=\"item c-{c}\" id=\"{}\" data-item=\"{}\" data-category=\"{c}\" title=\"{}\"",
                    id(*i),
                    i + 1,
                    esc(&attributes(it, lang).join(" · ")),
                    c = it.category
                ),
                None => String::new(),
            };
            let _ = write!(out, "<tr{row_attr}>");
            for (k, cell) in cells.iter().enumerate() {
                let mut html = esc(cell);
                if k == 0 {
                    if let Some((i, it)) = whole.first() {
                        html = format!(
                            "<span class=\"tag c-{}\">{}</span>{html}<sup><a href=\"#n-{}\">{}</a></sup>",
                            it.category,
                            lang.tag(&it.category),
                            id(*i),
                            i + 1
                        );
                    } else if let Some(c) = repeat {
                        html = format!(
                            "<mark class=\"repeat c-{c}\" title=\"{}\">{html}</mark>",
                            lang.word("repeat")
                        );
                    }
                }
                if let Some((i, it)) = items
                    .iter()
                    .find(|(_, it)| it.from_cell && it.text == *cell)
                {
                    html = mark(it, *i, cell, id, lang);
                }
                let _ = write!(out, "<td>{html}</td>");
            }
            let _ = writeln!(out, "</tr>");
        }
    }
}
