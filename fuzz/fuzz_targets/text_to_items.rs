//! Text bytes → items: decoding, layout, segmentation, metadata, classification with the
//! default rules, the summary, and every report format.
#![no_main]

use byrde::report::{Format, Report};
use byrde::rules::RuleSet;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static RULES: OnceLock<RuleSet> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let rules = RULES.get_or_init(|| RuleSet::defaults().expect("default rules compile"));
    // Never the PDF path: that is the other target.
    if data.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return;
    }
    let Ok(analysis) = byrde::analysis::analyse_bytes(Path::new("fuzz.md"), data, rules) else {
        return;
    };
    let documents = [analysis];
    for format in [
        Format::Table,
        Format::Json,
        Format::Jsonl,
        Format::Csv,
        Format::Md,
        Format::Html,
    ] {
        let report = Report {
            documents: &documents,
            failures: &[],
            items: true,
            csv_delimiter: b';',
            lang: Default::default(),
        };
        let _ = report.render(format);
    }
});
