//! `byrde trend` as one self-contained HTML page: per series a bar chart drawn as inline
//! SVG (bars per year per category) and the same figures as a table, so the numbers can
//! be read without the chart (and by screen readers).

use super::{heading, year_text};
use crate::report::html::{category_colour, esc, page_end, page_start};
use crate::report::COLUMNS;
use crate::trend::Series;
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

pub fn render(series: &[Series]) -> String {
    let mut out = page_start("byrde trend", "en");
    let _ = writeln!(out, "<h1>Steering burden, year by year</h1>");
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} series. Bars: items per category and year.</p>",
        series.len()
    );
    for s in series {
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<p class=\"meta\">{}</p>",
            esc(&s.name),
            esc(&heading(s))
        );
        out.push_str(&chart(s));
        let _ = write!(out, "<table>\n<tr><th>year</th><th>documents</th>");
        for (k, _) in COLUMNS {
            let _ = write!(out, "<th>{}</th>", esc(k));
        }
        let _ = writeln!(out, "<th>styringskrav</th><th>ka_total</th></tr>");
        for y in &s.years {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"text\">{}</td>",
                esc(&year_text(y.year)),
                esc(&y.label())
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

fn chart(s: &Series) -> String {
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
    let width = LEFT + group * s.years.len() as f64 + 10.0;
    let legend_y = TOP + HEIGHT + 34.0;
    let total_height = legend_y + 20.0;
    let mut svg = String::new();
    let title = format!("{}: items per category and year", s.name);
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
                c
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
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{c}</text>",
            legend_y - 9.0,
            category_colour(c),
            lx + 13.0,
            legend_y
        );
        lx += 13.0 + 7.0 * c.len() as f64 + 12.0;
    }
    svg.push_str("</svg>\n");
    svg
}
