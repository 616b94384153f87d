//! A large text file is analysed in parts (src/stream.rs) with the result of the
//! whole-document pipeline: checked here with parts of a few hundred bytes, so that the
//! sample letters are cut in many places.

use byrde::analysis::analyse_path;
use byrde::rules::RuleSet;
use byrde::stream::analyse_text_in_parts;
use std::path::Path;

#[path = "../src/sample_corpus.rs"]
mod sample_corpus;
use sample_corpus::markdown_letter_paths as sample_letters;

/// The JSON of both analyses (items, excluded items, summary, metadata, warnings, pages),
/// and the parts the streamed one took.
fn both(path: &Path, rules: &RuleSet, part_bytes: usize) -> (String, String, usize) {
    let whole = analyse_path(path, rules).expect("analyses");
    let (parts, n) = analyse_text_in_parts(path, rules, part_bytes, usize::MAX)
        .expect("analyses in parts")
        .expect("text");
    let json = |a| serde_json::to_string_pretty(a).expect("JSON");
    (json(&whole), json(&parts), n)
}

#[test]
fn every_sample_letter_in_small_parts_gives_the_whole_result() {
    let rules = RuleSet::defaults().expect("default rules");
    for path in sample_letters() {
        let mut cuts = 0;
        for part_bytes in [1, 400, 3000] {
            let (whole, parts, n) = both(&path, &rules, part_bytes);
            assert_eq!(
                whole,
                parts,
                "{} in parts of {part_bytes} bytes",
                path.display()
            );
            cuts += n - 1;
        }
        assert!(cuts > 0, "{} was never cut", path.display());
    }
}

#[test]
fn the_sample_letters_in_one_file_give_the_whole_result() {
    // One long text: repeats across parts are counted once, with every location.
    let rules = RuleSet::defaults().expect("default rules");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::new();
    for path in sample_letters() {
        text += &std::fs::read_to_string(path).expect("letter");
        text += "\n\n";
    }
    // Twice, with a form feed between (a second page numbering run).
    let text = format!("{text}\u{c}{text}");
    let path = dir.path().join("2026-samlet.md");
    std::fs::write(&path, &text).expect("write");
    for part_bytes in [1, 2000, 50_000] {
        let (whole, parts, n) = both(&path, &rules, part_bytes);
        assert!(n > 2, "parts of {part_bytes} bytes: only {n} parts");
        assert_eq!(whole, parts, "parts of {part_bytes} bytes");
        assert!(whole.contains("\"also_at\""), "repeats were merged");
    }
}

#[test]
fn other_encodings_and_plain_text_in_parts_give_the_whole_result() {
    let rules = RuleSet::defaults().expect("default rules");
    let dir = tempfile::tempdir().expect("tempdir");
    let letter = std::fs::read_to_string(&sample_letters()[0]).expect("letter");
    // Plain text (no Markdown headings), Windows-1252, UTF-16 with a byte-order mark.
    let plain: String = letter
        .lines()
        .map(|l| l.trim_start_matches('#').trim_start().replace('|', " "))
        .collect::<Vec<_>>()
        .join("\n");
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&letter);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(letter.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for (name, bytes) in [
        ("plain.txt", plain.as_bytes()),
        ("cp1252.md", &cp1252[..]),
        ("utf16.md", &utf16[..]),
        ("named.pdf", letter.as_bytes()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let (whole, parts, n) = both(&path, &rules, 500);
        assert!(n > 1, "{name}: not cut");
        assert_eq!(whole, parts, "{name}");
    }
}

#[test]
fn a_part_never_ends_inside_an_oppdrag_section() {
    // Sub-headings inside an oppdrag: its section (deliveries, deloppdrag, frist) runs over
    // them, so no part may end before them; the chapters around it may.
    let letter = "# Oppdragsdokument 2026 for Helse Nord RHF\n\n\
        ## 1. Digital samhandling\n\n\
        Helse Nord RHF skal delta i arbeidet med digital samhandling.\n\n\
        ### TB2026-83 Ventetidsarbeid\n\n\
        Helse Nord RHF skal utvikle indikatorer for ventetid.\n\n\
        #### Beskrivelse av oppdraget\n\n\
        Helse Nord RHF skal:\n\n\
        - utarbeide en plan for kortere ventetider\n\
        - vurdere nye tiltak for pasientene\n\n\
        #### 1. Ny indikator\n\n\
        Leveres innen 1. mars 2026.\n\n\
        #### 2. Flere indikatorer\n\n\
        Leveres innen 1. juni 2026.\n\n\
        ## 2. Forvaltning og drift\n\n\
        Helse Nord RHF skal rapportere om ventetider i årsrapporten.\n\n\
        ### Styringsparametere\n\n\
        - Gjennomsnittlig ventetid skal reduseres.\n";
    let rules = RuleSet::defaults().expect("default rules");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("2026-oppdragsdokument.md");
    std::fs::write(&path, letter).expect("write");
    let (whole, parts, n) = both(&path, &rules, 1);
    assert_eq!(whole, parts);
    assert!(whole.contains("\"deloppdrag\": 4"), "{whole}");
    // Cut before "1. Digital samhandling", "TB2026-83 Ventetidsarbeid", "2. Forvaltning og
    // drift" and "Styringsparametere"; never inside the oppdrag.
    assert_eq!(n, 5);
}
