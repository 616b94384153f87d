//! CSV for spreadsheets: one row per document (or per item with `--items`).
//! `--csv-delimiter ';'` suits Norwegian spreadsheets, where the comma is the decimal sign.

use super::{display_path, Report, COLUMNS};
use crate::SCHEMA_VERSION;

fn field(s: &str, delim: char) -> String {
    if s.contains(delim) || s.contains('"') || s.contains('\n') || s.contains('\r') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn line(fields: &[String], delim: char) -> String {
    let mut s = fields
        .iter()
        .map(|f| field(f, delim))
        .collect::<Vec<_>>()
        .join(&delim.to_string());
    s.push('\n');
    s
}

pub fn render(r: &Report) -> String {
    let d = r.csv_delimiter as char;
    let mut out = String::new();
    if r.items {
        out += &line(
            &[
                "schema_version",
                "file",
                "page",
                "line",
                "category",
                "rule",
                "level",
                "id",
                "frist",
                "frequency",
                "quantitative",
                "deloppdrag",
                "flags",
                "heading",
                "text",
            ]
            .map(String::from),
            d,
        );
        for doc in r.documents {
            for it in &doc.items {
                out += &line(
                    &[
                        SCHEMA_VERSION.to_string(),
                        display_path(&doc.file),
                        it.page.to_string(),
                        it.line.to_string(),
                        it.category.clone(),
                        it.rule.clone(),
                        it.level.clone().unwrap_or_default(),
                        it.id.clone().unwrap_or_default(),
                        it.frist.clone().unwrap_or_default(),
                        it.frequency.clone().unwrap_or_default(),
                        it.quantitative.to_string(),
                        it.deloppdrag.to_string(),
                        it.flags.join(" "),
                        it.heading.clone(),
                        it.text.clone(),
                    ],
                    d,
                );
            }
        }
        return out;
    }
    let mut header: Vec<String> = [
        "schema_version",
        "file",
        "kind",
        "number",
        "year",
        "issuer",
        "recipient",
        "language",
    ]
    .map(String::from)
    .to_vec();
    header.extend(COLUMNS.iter().map(|(k, _)| k.to_string()));
    header.extend(
        [
            "styringskrav",
            "ka_total",
            "deloppdrag",
            "frist",
            "quantitative_share",
            "reporting_events",
            "words",
            "per_1000_words",
            "medvirkning",
            "individuelt",
            "incomplete",
        ]
        .map(String::from),
    );
    out += &line(&header, d);
    for doc in r.documents {
        let s = &doc.summary;
        let m = &doc.meta;
        let mut row = vec![
            SCHEMA_VERSION.to_string(),
            display_path(&doc.file),
            m.kind.as_str().to_string(),
            m.number.map(|n| n.to_string()).unwrap_or_default(),
            m.year.map(|y| y.to_string()).unwrap_or_default(),
            m.issuer.clone().unwrap_or_default(),
            m.recipient.clone().unwrap_or_default(),
            m.language.clone(),
        ];
        row.extend(COLUMNS.iter().map(|(k, _)| s.count(k).to_string()));
        row.extend([
            s.styringskrav.to_string(),
            s.ka_total.to_string(),
            s.deloppdrag.to_string(),
            s.frist.to_string(),
            s.quantitative_share
                .map(|q| q.to_string())
                .unwrap_or_default(),
            s.reporting_events.to_string(),
            s.words.to_string(),
            s.per_1000_words.to_string(),
            s.medvirkning.to_string(),
            s.individuelt.to_string(),
            doc.incomplete.to_string(),
        ]);
        out += &line(&row, d);
    }
    out
}
