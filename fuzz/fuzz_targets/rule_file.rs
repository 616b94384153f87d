//! Rule-file text → a compiled rule set (TOML parsing, regex compilation and size limits,
//! the empty-match check), then its examples and a scan of a sentence with it.
#![no_main]

use byrde::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = [("fuzz.toml".to_string(), text.to_string())];
    if let Ok(set) = RuleSet::from_sources(&files) {
        let _ = set.test_examples();
        let _ = set.cue_hits("Direktoratet skal rapportere om måloppnåelsen innen 1. mars 2026.");
        let _ = set.label_for("Styringsparametere");
    }
});
