//! Text bytes analysed in parts (`byrde::stream`, the path of text files over 8 MiB) must
//! give exactly what the whole-document pipeline gives: the same JSON (items, excluded
//! items, summary, metadata, warnings, pages), or the same error. The part size comes
//! from the input's first byte, so that one letter is cut in many places.
#![no_main]

use byrde::rules::RuleSet;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

static RULES: OnceLock<RuleSet> = OnceLock::new();
static FILE: OnceLock<PathBuf> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&first, text)) = data.split_first() else {
        return;
    };
    // Never the PDF path: the streamed path is for text only.
    if text.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return;
    }
    let rules = RULES.get_or_init(|| RuleSet::defaults().expect("default rules compile"));
    // The streamed path reads a file (four times); one per fuzzing process.
    let path = FILE
        .get_or_init(|| std::env::temp_dir().join(format!("byrde-fuzz-{}.md", std::process::id())));
    std::fs::write(path, text).expect("the temporary file can be written");
    let part_bytes = 1 + usize::from(first) * 16;
    let whole = byrde::analysis::analyse_path(path, rules);
    let parts = byrde::stream::analyse_text(path, rules, part_bytes, usize::MAX);
    let json = |a: &byrde::analysis::Analysis| serde_json::to_string(a).expect("JSON");
    match (whole, parts) {
        (Ok(w), Ok(Some(p))) => assert_eq!(json(&w), json(&p), "parts of {part_bytes} bytes"),
        (Err(w), Err(p)) => assert_eq!(w.error, p.to_string()),
        (w, p) => panic!(
            "whole: {:?}, in parts: {:?}",
            w.map(|a| json(&a)),
            p.map(|a| a.map(|a| json(&a)))
        ),
    }
});
