//! `byrde trend` as one self-contained HTML page: per series a bar chart drawn as inline
//! SVG (bars per year per category) and the same figures as a table, so the numbers can
//! be read without the chart (and by screen readers).

use super::{heading, year_text, HtmlOptions};
use crate::report::html::{category_colour, esc, page_end, page_start};
use crate::report::lang::Lang;
use crate::report::COLUMNS;
use crate::trend::{Series, Year};
use std::fmt::Write;

/// The categories drawn in the chart: the five that make up styringskrav, then føringer.
const CHARTED: &[&str] = &[
    "mal",
    "styringsparameter",
    "resultatkrav",
    "oppdrag",
    "rapporteringskrav",
    "foring",
];

pub fn render(series: &[Series], opts: &HtmlOptions) -> String {
    let lang = opts.lang;
    let mut out = page_start(lang.word("trend_title"), lang.code());
    let _ = writeln!(out, "<h1>{}</h1>", lang.word("trend_title"));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} {}</p>",
        series.len(),
        lang.word("trend_intro")
    );
    for s in series {
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<p class=\"meta\">{}</p>",
            esc(&s.name),
            esc(&heading(s))
        );
        out.push_str(&chart(s, lang));
        let _ = write!(
            out,
            "<table>\n<tr><th>{}</th><th class=\"text\">{}</th>",
            lang.word("year"),
            lang.word("documents")
        );
        for (k, _) in COLUMNS {
            let _ = write!(out, "<th>{}</th>", esc(lang.category(k)));
        }
        let _ = writeln!(
            out,
            "<th>{}</th><th>{}</th></tr>",
            esc(lang.category("styringskrav")),
            esc(lang.category("ka_total"))
        );
        for y in &s.years {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"text\">{}</td>",
                esc(&year_text(y.year)),
                documents(y, opts)
            );
            for (k, _) in COLUMNS {
                let _ = write!(out, "<td>{}</td>", y.summary.count(k));
            }
            let _ = writeln!(
                out,
                "<td>{}</td><td>{}</td></tr>",
                y.summary.styringskrav, y.summary.ka_total
            );
        }
        let _ = writeln!(out, "</table>");
    }
    out.push_str(page_end());
    out
}

/// The year's letters, each linked to its highlighted page when there is one.
fn documents(y: &Year, opts: &HtmlOptions) -> String {
    y.documents
        .iter()
        .map(|d| {
            let name = match d.number {
                Some(n) => format!("{} {n}", d.kind.as_str()),
                None => d.kind.as_str().to_string(),
            };
            match opts.pages.get(&d.file) {
                Some(href) => format!("<a href=\"{}\">{}</a>", esc(href), esc(&name)),
                None => esc(&name),
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn chart(s: &Series, lang: Lang) -> String {
    const BAR: f64 = 14.0;
    const GAP: f64 = 22.0;
    const HEIGHT: f64 = 180.0;
    const LEFT: f64 = 36.0;
    const TOP: f64 = 16.0;
    let max = s
        .years
        .iter()
        .flat_map(|y| CHARTED.iter().map(|c| y.summary.count(c)))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let group = BAR * CHARTED.len() as f64 + GAP;
    let legend_width: f64 = CHARTED
        .iter()
        .map(|c| 13.0 + 6.5 * lang.category(c).chars().count() as f64 + 12.0)
        .sum();
    let width = (LEFT + group * s.years.len() as f64 + 10.0).max(LEFT + legend_width);
    let legend_y = TOP + HEIGHT + 34.0;
    let total_height = legend_y + 20.0;
    let mut svg = String::new();
    let title = format!("{}: {}", s.name, lang.word("chart_title"));
    let _ = writeln!(
        svg,
        "<svg role=\"img\" aria-label=\"{}\" width=\"{width:.0}\" height=\"{total_height:.0}\" viewBox=\"0 0 {width:.0} {total_height:.0}\">",
        esc(&title)
    );
    let _ = writeln!(svg, "<title>{}</title>", esc(&title));
    let _ = writeln!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\"/>",
        TOP + HEIGHT,
        width - 5.0,
        TOP + HEIGHT
    );
    for (i, y) in s.years.iter().enumerate() {
        let x0 = LEFT + group * i as f64 + GAP / 2.0;
        for (j, c) in CHARTED.iter().enumerate() {
            let n = y.summary.count(c);
            let h = HEIGHT * n as f64 / max;
            let x = x0 + BAR * j as f64;
            let top = TOP + HEIGHT - h;
            let _ = writeln!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{} {}: {n}</title></rect>",
                BAR - 2.0,
                category_colour(c),
                esc(&year_text(y.year)),
                esc(lang.category(c))
            );
            if n > 0 {
                let _ = writeln!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>",
                    x + (BAR - 2.0) / 2.0,
                    top - 3.0
                );
            }
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
            x0 + BAR * CHARTED.len() as f64 / 2.0,
            TOP + HEIGHT + 16.0,
            esc(&year_text(y.year))
        );
    }
    let mut lx = LEFT;
    for c in CHARTED {
        let _ = writeln!(
            svg,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            legend_y - 9.0,
            category_colour(c),
            lx + 13.0,
            legend_y,
            esc(lang.category(c))
        );
        lx += 13.0 + 6.5 * lang.category(c).chars().count() as f64 + 12.0;
    }
    svg.push_str("</svg>\n");
    svg
}
