//! Aligned text for people: one line per document, a total, then warnings and failures.
//! With `--items`, every item follows its document with file, page, line, rule and text.

use super::{display_path, shorten, Report, COLUMNS};
use crate::analysis::Analysis;
use crate::measure::Summary;
use std::fmt::Write;

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let name_width = r
        .documents
        .iter()
        .map(|d| display_path(&d.file).chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 60);
    let mut header = format!("{:<name_width$}  {:<16} {:>4}", "document", "kind", "year");
    for (_, label) in COLUMNS {
        let _ = write!(header, " {:>5}", label);
    }
    let _ = write!(header, " {:>5} {:>5} {:>6}", "krav", "ka", "rapp/år");
    let _ = writeln!(out, "{header}");
    for d in r.documents {
        let kind = match d.meta.number {
            Some(n) => format!("{} {}", d.meta.kind.as_str(), n),
            None => d.meta.kind.as_str().to_string(),
        };
        let year = d.meta.year.map_or("-".to_string(), |y| y.to_string());
        let mut name = display_path(&d.file);
        if name.chars().count() > name_width {
            let skip = name.chars().count() - name_width + 1;
            name = format!("…{}", name.chars().skip(skip).collect::<String>());
        }
        let _ = writeln!(
            out,
            "{}",
            row(
                &format!("{name:<name_width$}  {kind:<16} {year:>4}"),
                &d.summary
            )
        );
        if r.items {
            items(&mut out, d);
        }
    }
    if r.documents.len() > 1 {
        let total = r.total();
        let label = format!("total ({} documents)", r.documents.len());
        let _ = writeln!(
            out,
            "{}",
            row(&format!("{label:<w$}", w = name_width + 22), &total)
        );
    }
    if let Some(d) = r.documents.first().filter(|_| r.documents.len() == 1) {
        let s = &d.summary;
        let share = s
            .quantitative_share
            .map_or("-".into(), |q| format!("{:.0} %", q * 100.0));
        let _ = writeln!(
            out,
            "\n{}: {} styringskrav ({} per 1,000 words), {} deloppdrag, {} with frist, quantitative share {}, medvirkning {}, individuelt {}",
            display_path(&d.file),
            s.styringskrav,
            s.per_1000_words,
            s.deloppdrag,
            s.frist,
            share,
            s.medvirkning,
            s.individuelt
        );
    }
    for d in r.documents {
        for w in &d.warnings {
            let _ = writeln!(out, "warning: {}: {w}", display_path(&d.file));
        }
        if d.incomplete {
            let _ = writeln!(
                out,
                "warning: {}: counts are incomplete (pages failed)",
                display_path(&d.file)
            );
        }
    }
    for f in r.failures {
        let _ = writeln!(out, "error: {}: {}", display_path(&f.file), f.error);
    }
    out
}

fn row(prefix: &str, s: &Summary) -> String {
    let mut line = prefix.to_string();
    for (key, _) in COLUMNS {
        let _ = write!(line, " {:>5}", s.count(key));
    }
    let _ = write!(
        line,
        " {:>5} {:>5} {:>6}",
        s.styringskrav, s.ka_total, s.reporting_events
    );
    line
}

fn items(out: &mut String, d: &Analysis) {
    let file = display_path(&d.file);
    for it in &d.items {
        let mut attrs = Vec::new();
        if let Some(l) = &it.level {
            attrs.push(format!("level {l}"));
        }
        if let Some(id) = &it.id {
            attrs.push(id.clone());
        }
        if let Some(f) = &it.frist {
            attrs.push(format!("frist {f}"));
        }
        if let Some(f) = &it.frequency {
            attrs.push(f.clone());
        }
        if it.quantitative {
            attrs.push("quantitative".into());
        }
        if it.deloppdrag > 0 {
            attrs.push(format!("{} deloppdrag", it.deloppdrag));
        }
        attrs.extend(it.flags.iter().cloned());
        if let Some(g) = &it.content_guess {
            attrs.push(format!("wording says {g}"));
        }
        let _ = writeln!(
            out,
            "  {file}:{}:{}  {:<17} {}{}",
            it.page,
            it.line,
            it.category,
            it.rule,
            if attrs.is_empty() {
                String::new()
            } else {
                format!("  [{}]", attrs.join(", "))
            }
        );
        if !it.heading.is_empty() {
            let _ = writeln!(out, "      § {}", it.heading);
        }
        let _ = writeln!(out, "      {}", shorten(&it.text, 160));
    }
}
