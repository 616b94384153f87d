//! Rule-file text → a compiled rule set (TOML parsing, regex compilation and size limits,
//! the empty-match check), then its examples and a scan of a sentence with it. The cue
//! rules that fire on a few texts (through the scan, the loose forms and their shortcuts)
//! must be those whose patterns match as plain regexes: any other answer is a crash.
#![no_main]

use byrde::rules::{RuleKind, RuleSet};
use libfuzzer_sys::fuzz_target;

/// Texts with letters outside ASCII at word edges, capitals the scan folds and ones it
/// leaves to the automaton, and the rule's own examples' kind of wording.
const TEXTS: &[&str] = &[
    "Direktoratet skal rapportere om måloppnåelsen innen 1. mars 2026.",
    "ÅRSRAPPORTEN skal sendes innen 15. mars; Skalø og øskal er ikke ord.",
    "Tertialrapport per 30. april – «bør» vurderes, jf. kap. 701, post 21.",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = [("fuzz.toml".to_string(), text.to_string())];
    if let Ok(set) = RuleSet::from_sources(&files) {
        let _ = set.test_examples();
        let _ = set.cue_hits("Direktoratet skal rapportere om måloppnåelsen innen 1. mars 2026.");
        let _ = set.label_for("Styringsparametere");
        for text in TEXTS {
            let want: Vec<usize> = (0..set.rules.len())
                .filter(|&i| set.rules[i].kind == RuleKind::Cue && set.rules[i].matches(text))
                .collect();
            assert_eq!(set.cue_hits(text), want, "{text:?}");
        }
    }
});
