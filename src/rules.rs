//! Rules are data: `rules/*.toml`, one file per category plus `attributes.toml`.
//!
//! The default set is compiled into the binary (`include_str!`) so byrde works with no files
//! beside it; `--rules DIR` adds files and replaces rules with the same id. Every rule has an
//! id, a doc and examples that must and must not match; `byrde rules test` and `cargo test`
//! run them. A bad rule file is an error naming the file, the rule id and the fault.
//!
//! Three kinds of rule:
//! - `label`: a heading that names a category ("Styringsparametere"); what stands under it
//!   is of that category (label wins, coding manual edge case 2);
//! - `cue`: wording that marks a block ("skal rapportere ... i årsrapporten");
//! - `attribute`: wording that sets an attribute (frist, frequency, modality, quantitative,
//!   trust-reform flags) or that the engine needs to read structure (oppdrag IDs,
//!   lead-ins to sub-task lists).

mod scan;

use rayon::prelude::*;
use regex::Regex;
use scan::Scanner;
pub use scan::{Hits, Scan};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The default rule files, embedded at build time.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    ("mal.toml", include_str!("../rules/mal.toml")),
    (
        "styringsparameter.toml",
        include_str!("../rules/styringsparameter.toml"),
    ),
    (
        "resultatkrav.toml",
        include_str!("../rules/resultatkrav.toml"),
    ),
    ("oppdrag.toml", include_str!("../rules/oppdrag.toml")),
    (
        "rapporteringskrav.toml",
        include_str!("../rules/rapporteringskrav.toml"),
    ),
    (
        "fellesforing.toml",
        include_str!("../rules/fellesforing.toml"),
    ),
    ("foring.toml", include_str!("../rules/foring.toml")),
    (
        "styringsprinsipp.toml",
        include_str!("../rules/styringsprinsipp.toml"),
    ),
    ("nokkeltall.toml", include_str!("../rules/nokkeltall.toml")),
    ("fullmakt.toml", include_str!("../rules/fullmakt.toml")),
    ("tildeling.toml", include_str!("../rules/tildeling.toml")),
    ("attributes.toml", include_str!("../rules/attributes.toml")),
];

/// Counted categories, in report order.
pub const CATEGORIES: &[&str] = &[
    "mal",
    "styringsparameter",
    "resultatkrav",
    "oppdrag",
    "rapporteringskrav",
    "fellesforing",
    "foring",
    "styringsprinsipp",
];

/// Recognised so they are not mistaken for requirements, never counted as one.
pub const EXCLUDED: &[&str] = &["nokkeltall", "fullmakt", "tildeling"];

/// Attributes an `attribute` rule may set.
pub const ATTRIBUTES: &[&str] = &[
    "frist",
    "frist-unspecified",
    "frequency",
    "modality",
    "quantitative",
    "flag",
    "oppdrag-id",
    "task-lead-in",
    "aspect-lead-in",
    "single-delivery",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    Label,
    Cue,
    Attribute,
}

/// How a label heading claims what stands under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LabelMode {
    /// Each list item, table row (and, if `takes` says so, paragraph) below is an item.
    #[default]
    Items,
    /// The heading itself is one item ("Hovedmål 1: Flere i arbeid").
    Heading,
    /// The heading is one item and its whole section belongs to it (an oppdrag with an ID).
    Entry,
    /// The pattern matches a table's header row (cells joined by " | "); each row below is
    /// an item ("Frist | Beskrivelse" makes a reporting calendar wherever it stands).
    Table,
}

/// Block types a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum BlockType {
    Heading,
    Paragraph,
    ListItem,
    TableRow,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default, rename = "match")]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    kind: RuleKind,
    doc: String,
    #[serde(default)]
    pattern: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    skip: Vec<String>,
    #[serde(default)]
    marker: Option<String>,
    #[serde(default)]
    inside: Option<String>,
    #[serde(default)]
    not_inside: Option<String>,
    #[serde(default)]
    mode: LabelMode,
    #[serde(default)]
    takes: Option<Vec<BlockType>>,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    attribute: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    examples: Examples,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    category: Option<String>,
    doc: String,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
}

/// A rule's pattern: compiled when loaded, or (the built-in rules) when first used.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: std::sync::OnceLock<Option<Regex>>,
}

impl Pattern {
    fn compiled(regex: Regex) -> Pattern {
        Pattern {
            source: regex.as_str().to_string(),
            regex: std::sync::OnceLock::from(Some(regex)),
        }
    }

    fn lazy(source: String) -> Pattern {
        Pattern {
            source,
            regex: std::sync::OnceLock::new(),
        }
    }

    /// The pattern as written, with `{DATE}` expanded.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex; `None` only if a built-in pattern does not compile, which the
    /// tests rule out.
    pub fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| {
                regex::RegexBuilder::new(&self.source)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex().is_some_and(|r| r.is_match(text))
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    /// The category an item gets (empty for attribute rules).
    pub category: String,
    pub doc: String,
    pub patterns: Vec<Pattern>,
    pub unless: Vec<Pattern>,
    /// For label rules: blocks under the heading that are not items (meetings in a
    /// reporting calendar, a lead-in sentence).
    pub skip: Vec<Pattern>,
    /// For cue rules: the list marker the block must have ("a)", "1.").
    pub marker: Option<Pattern>,
    pub inside: Option<Pattern>,
    pub not_inside: Option<Pattern>,
    pub mode: LabelMode,
    pub takes: Vec<BlockType>,
    pub priority: i32,
    pub level: Option<String>,
    pub attribute: Option<String>,
    pub value: Option<String>,
    pub examples: Examples,
    /// The file the rule came from, for error messages and `rules show`.
    pub source: String,
}

impl Rule {
    /// Whether the rule's own wording fires on `text` (patterns match, no `unless` does).
    /// Context (`inside`, block type) is checked by the engine.
    pub fn matches(&self, text: &str) -> bool {
        self.patterns.iter().any(|p| p.is_match(text))
            && !self.unless.iter().any(|u| u.is_match(text))
    }

    /// Whether a block whose heading trail is `trail` is in this rule's context.
    pub fn in_context(&self, trail: &str) -> bool {
        self.inside.as_ref().is_none_or(|r| r.is_match(trail))
            && !self.not_inside.as_ref().is_some_and(|r| r.is_match(trail))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: not a valid rule file: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: rule {id}: {message}")]
    Rule {
        file: String,
        id: String,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// All rules, with every pattern of every rule in one automaton (see [`scan`]), so that a
/// block is scanned once whatever the number of rules: the scan tells which few exact
/// patterns are worth running on the block or on a piece of it.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Every rule's patterns; `pattern_ids[r][k]` is the scanner's number for pattern `k`
    /// of rule `r`.
    scanner: Scanner,
    pattern_ids: Vec<Vec<usize>>,
    /// The scanner's number for each `unless` pattern of each rule, after all patterns:
    /// a veto whose wording the scan did not find is not run.
    unless_ids: Vec<Vec<usize>>,
    /// Indices of the cue rules and of the label rules, in rule order.
    cue_rules: Vec<usize>,
    label_rules: Vec<usize>,
    /// Each attribute name with the indices of its rules, in rule order (the item builder
    /// asks for a few names many times per block).
    attribute_rules: Vec<(String, Vec<usize>)>,
}

/// What `{DATE}` in a rule pattern stands for: "1.6.2026", "15. mars (2026)", "juni 2026",
/// "utgangen av mars". `crate::classify::parse_deadline` reads what it matches.
pub const DATE_PATTERN: &str = r"(?P<date>[0-9]{1,2}\.\s?[0-9]{1,2}\.\s?(?:20[0-9][0-9]|[0-9][0-9])?|[0-9]{1,2}\.\s*(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)(?:\s+20[0-9][0-9])?|(?:utgangen av\s+|slutten av\s+)?(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)(?:\s+20[0-9][0-9])?)";

const REGEX_SIZE_LIMIT: usize = 4 << 20;
impl RuleSet {
    /// The embedded default rules.
    pub fn defaults() -> Result<RuleSet, RuleError> {
        Self::from_layers(&[(default_files(), Compile::WhenNeeded)])
    }

    /// The defaults plus every `*.toml` in `dir`; a rule in `dir` with a default's id
    /// replaces that default.
    pub fn with_dir(dir: &Path) -> Result<RuleSet, RuleError> {
        Self::from_layers(&[
            (default_files(), Compile::WhenNeeded),
            (read_dir(dir)?, Compile::AtLoad),
        ])
    }

    /// Only the files in `dir` (for `byrde rules test DIR`).
    pub fn only_dir(dir: &Path) -> Result<RuleSet, RuleError> {
        Self::from_sources(&read_dir(dir)?)
    }

    /// Compile rule files given as (name, text). An id may be defined once: two rules with
    /// one id, in one file or in two, are an error.
    pub fn from_sources(files: &[(String, String)]) -> Result<RuleSet, RuleError> {
        Self::from_layers(&[(files.to_vec(), Compile::AtLoad)])
    }

    /// Compile layers of rule files (the defaults, then the user's folder). Within a layer an
    /// id may be defined once; a later layer replaces an earlier layer's rule with its id.
    fn from_layers(layers: &[(Vec<(String, String)>, Compile)]) -> Result<RuleSet, RuleError> {
        let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
        let mut rules: Vec<Rule> = Vec::new();
        for (files, when) in layers {
            Self::add_layer(files, *when, &mut by_id, &mut rules)?;
        }
        Self::build(rules)
    }

    fn add_layer(
        files: &[(String, String)],
        when: Compile,
        by_id: &mut BTreeMap<String, usize>,
        rules: &mut Vec<Rule>,
    ) -> Result<(), RuleError> {
        // The file of each id defined in this layer, to tell a duplicate from a replacement.
        let mut defined_here: BTreeMap<String, String> = BTreeMap::new();
        for (name, text) in files {
            let parsed: RuleFile = toml::from_str(text).map_err(|e| RuleError::Parse {
                file: name.clone(),
                message: e.to_string().trim().replace('\n', " "),
            })?;
            if parsed.rules.is_empty() {
                return Err(RuleError::File {
                    file: name.clone(),
                    message: "no [[rule]] entries".into(),
                });
            }
            let _ = &parsed.doc;
            for spec in &parsed.rules {
                if let Some(first) = defined_here.get(&spec.id) {
                    let message = if first == name {
                        "duplicate rule id in this file".to_string()
                    } else {
                        format!("duplicate rule id: already defined in {first}")
                    };
                    return Err(RuleError::Rule {
                        file: name.clone(),
                        id: spec.id.clone(),
                        message,
                    });
                }
                defined_here.insert(spec.id.clone(), name.clone());
            }
            // Compiling the regexes is most of the start-up time: on every core.
            let lazy = when == Compile::WhenNeeded;
            let compiled: Vec<Result<Rule, RuleError>> = parsed
                .rules
                .into_par_iter()
                .map(|spec| compile(name, parsed.category.as_deref(), spec, lazy))
                .collect();
            for rule in compiled {
                let rule = rule?;
                match by_id.get(&rule.id) {
                    Some(&i) => rules[i] = rule,
                    None => {
                        by_id.insert(rule.id.clone(), rules.len());
                        rules.push(rule);
                    }
                }
            }
        }
        Ok(())
    }

    fn build(rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        let mut sources = Vec::new();
        let mut pattern_ids = Vec::with_capacity(rules.len());
        for r in &rules {
            let mut ids = Vec::with_capacity(r.patterns.len());
            for p in &r.patterns {
                ids.push(sources.len());
                sources.push(p.as_str());
            }
            pattern_ids.push(ids);
        }
        let mut unless_ids = Vec::with_capacity(rules.len());
        for r in &rules {
            let mut ids = Vec::with_capacity(r.unless.len());
            for u in &r.unless {
                ids.push(sources.len());
                sources.push(u.as_str());
            }
            unless_ids.push(ids);
        }
        let of_kind = |k: RuleKind| -> Vec<usize> {
            (0..rules.len()).filter(|&i| rules[i].kind == k).collect()
        };
        let scanner = Scanner::new(&sources);
        Ok(RuleSet {
            scanner,
            pattern_ids,
            unless_ids,
            cue_rules: of_kind(RuleKind::Cue),
            label_rules: of_kind(RuleKind::Label),
            attribute_rules: by_attribute(&rules),
            rules,
        })
    }

    /// Scan a text once for every pattern of every rule.
    pub fn scan(&self, text: &str) -> Scan {
        self.scanner.scan(text)
    }

    /// `scan`, keeping where the automaton found what, for [`RuleSet::piece_scan`] and
    /// [`RuleSet::joined_scan`].
    pub fn scan_hits(&self, text: &str) -> (Scan, Hits) {
        self.scanner.scan_hits(text)
    }

    /// The scan of `text[start..end]` from the hits of `text`, without another pass; the
    /// same as `scan` of the piece.
    pub fn piece_scan(&self, text: &str, hits: &Hits, start: usize, end: usize) -> Scan {
        self.scanner
            .piece_scan(hits, start, end)
            .unwrap_or_else(|| self.scan(&text[start..end]))
    }

    /// The scan of texts joined by newlines, from the hits of each (`None` only if a
    /// pattern's literal holds a newline).
    pub fn joined_scan<'a>(&self, parts: impl Iterator<Item = &'a Hits>) -> Option<Scan> {
        self.scanner.joined_scan(parts)
    }

    /// The patterns of rule `i` that the scan says may match, with their scanner ids.
    fn candidates<'a>(
        &'a self,
        scan: &'a Scan,
        i: usize,
    ) -> impl Iterator<Item = (usize, &'a Pattern)> + 'a {
        self.rules[i]
            .patterns
            .iter()
            .zip(&self.pattern_ids[i])
            .filter(|(_, &id)| scan.has(id))
            .map(|(p, &id)| (id, p))
    }

    /// Whether rule `i` fires on `text` (a pattern matches, no `unless` does), where `scan`
    /// is the scan of `text` or of a text that contains it. Same answer as `Rule::matches`.
    fn fires(&self, scan: &Scan, i: usize, text: &str) -> bool {
        self.candidates(scan, i)
            .any(|(id, p)| self.scanner.is_match(id, || p.regex(), text))
            && !self.rules[i]
                .unless
                .iter()
                .zip(&self.unless_ids[i])
                .any(|(u, &id)| scan.has(id) && self.scanner.is_match(id, || u.regex(), text))
    }

    /// Whether the scan found wording of any cue rule.
    pub fn may_cue(&self, scan: &Scan) -> bool {
        !scan.is_empty()
            && self
                .cue_rules
                .iter()
                .any(|&i| self.pattern_ids[i].iter().any(|&id| scan.has(id)))
    }

    /// The cue rules worth trying on the pieces (sentences) of a text: the candidates of
    /// its scan that `eligible` keeps, in rule order.
    pub fn cue_candidates(&self, scan: &Scan, eligible: impl Fn(&Rule) -> bool) -> Vec<usize> {
        if scan.is_empty() {
            return Vec::new();
        }
        self.cue_rules
            .iter()
            .copied()
            .filter(|&i| {
                self.pattern_ids[i].iter().any(|&id| scan.has(id)) && eligible(&self.rules[i])
            })
            .collect()
    }

    /// Of the cue rules `among` (from `cue_candidates`), those that fire on `piece`, where
    /// `scan` is the scan of `piece` or of a text that contains it, in rule order.
    pub fn cue_hits_among(&self, scan: &Scan, among: &[usize], piece: &str) -> Vec<usize> {
        among
            .iter()
            .copied()
            .filter(|&i| self.fires(scan, i, piece))
            .collect()
    }

    /// Indices of cue rules that fire on `text` (one scan), `unless` applied.
    pub fn cue_hits(&self, text: &str) -> Vec<usize> {
        self.cue_hits_in(&self.scan(text), text)
    }

    /// Indices of cue rules that fire on `text`, a piece of the text `scan` scanned.
    pub fn cue_hits_in(&self, scan: &Scan, text: &str) -> Vec<usize> {
        if scan.is_empty() {
            return Vec::new();
        }
        self.cue_rules
            .iter()
            .copied()
            .filter(|&i| self.fires(scan, i, text))
            .collect()
    }

    /// The label rule a heading text matches, highest priority first.
    pub fn label_for(&self, heading: &str) -> Option<&Rule> {
        self.label_in(&self.scan(heading), heading)
    }

    /// `label_for` on a piece of the text `scan` scanned.
    pub fn label_in(&self, scan: &Scan, heading: &str) -> Option<&Rule> {
        self.labels_matching(scan, heading, |m| m != LabelMode::Table)
    }

    /// The table label rule a header row ("Frist | Beskrivelse") matches.
    pub fn table_label_for(&self, header: &str) -> Option<&Rule> {
        self.labels_matching(&self.scan(header), header, |m| m == LabelMode::Table)
    }

    fn labels_matching(
        &self,
        scan: &Scan,
        text: &str,
        mode: impl Fn(LabelMode) -> bool,
    ) -> Option<&Rule> {
        if scan.is_empty() {
            return None;
        }
        self.label_rules
            .iter()
            .filter(|&&i| mode(self.rules[i].mode) && self.fires(scan, i, text))
            .map(|&i| &self.rules[i])
            .max_by_key(|r| r.priority)
    }

    /// Attribute rules for one attribute name that fire on `text`, a piece of the text
    /// `scan` scanned, in rule order.
    pub fn attributes_in<'a>(
        &'a self,
        scan: &'a Scan,
        name: &'a str,
        text: &'a str,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        self.attribute_indices(name)
            .filter(move |&i| self.fires(scan, i, text))
            .map(|i| &self.rules[i])
    }

    /// Every match of the patterns of the attribute rules for one name in `text`, a piece
    /// of the text `scan` scanned, in rule and pattern order, and within a pattern in the
    /// order `captures_iter` gives them (for rules whose matches are read: dates, oppdrag
    /// IDs). `unless` is not applied.
    pub fn attribute_captures(
        &self,
        scan: &Scan,
        name: &str,
        text: &str,
        mut f: impl FnMut(&regex::Captures),
    ) {
        for i in self.attribute_indices(name) {
            for (id, p) in self.candidates(scan, i) {
                if let Some(p) = p.regex() {
                    self.scanner.captures_each(id, p, text, &mut f);
                }
            }
        }
    }

    fn attribute_indices<'a>(&'a self, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.attribute_rules
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[][..], |(_, ids)| ids.as_slice())
            .iter()
            .copied()
    }

    /// Attribute rules for one attribute name.
    pub fn attribute<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.attribute_indices(name).map(|i| &self.rules[i])
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Run every rule's examples. Returns one message per failing example.
    pub fn test_examples(&self) -> Vec<String> {
        let mut failures = Vec::new();
        for r in &self.rules {
            if r.examples.must_match.is_empty() {
                failures.push(format!("{}: {}: has no `match` example", r.source, r.id));
            }
            for ex in &r.examples.must_match {
                if !r.matches(ex) {
                    failures.push(format!("{}: {}: should match: {ex:?}", r.source, r.id));
                }
            }
            for ex in &r.examples.no_match {
                if r.matches(ex) {
                    failures.push(format!("{}: {}: should not match: {ex:?}", r.source, r.id));
                }
            }
        }
        failures
    }
}

/// When a layer's patterns are compiled: the embedded defaults when first needed (most runs
/// need few of them, and compiling all was most of byrde's start-up); a user's file at once,
/// so that a bad pattern is reported when the rules are loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compile {
    WhenNeeded,
    AtLoad,
}

/// The attribute rules grouped by attribute name, names in order of first appearance.
fn by_attribute(rules: &[Rule]) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let Some(name) = r
            .attribute
            .as_deref()
            .filter(|_| r.kind == RuleKind::Attribute)
        else {
            continue;
        };
        match out.iter_mut().find(|(n, _)| n == name) {
            Some((_, ids)) => ids.push(i),
            None => out.push((name.to_string(), vec![i])),
        }
    }
    out
}

fn default_files() -> Vec<(String, String)> {
    DEFAULT_FILES
        .iter()
        .map(|(n, t)| (format!("rules/{n}"), t.to_string()))
        .collect()
}

fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, RuleError> {
    let entries = std::fs::read_dir(dir).map_err(|e| RuleError::Io {
        file: dir.display().to_string(),
        source: e,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.display().to_string();
            let text = std::fs::read_to_string(&p).map_err(|e| RuleError::Io {
                file: name.clone(),
                source: e,
            })?;
            if text.trim().is_empty() {
                return Err(RuleError::File {
                    file: name,
                    message: "empty rule file".into(),
                });
            }
            Ok((name, text))
        })
        .collect()
}

fn compile(
    file: &str,
    category: Option<&str>,
    spec: RuleSpec,
    lazy: bool,
) -> Result<Rule, RuleError> {
    let err = |message: String| RuleError::Rule {
        file: file.to_string(),
        id: spec.id.clone(),
        message,
    };
    // `check_empty`: a pattern that fires must not match the empty string (it would fire on
    // every block); vetoes (`unless`, `skip`) may.
    let re_checked = |p: &str, check_empty: bool| -> Result<Regex, RuleError> {
        let expanded = p.replace("{DATE}", DATE_PATTERN);
        let r = regex::RegexBuilder::new(&expanded)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| err(format!("bad regex {p:?}: {}", one_line(&e.to_string()))))?;
        if check_empty && r.is_match("") {
            return Err(err(format!("regex {p:?} matches the empty string")));
        }
        Ok(r)
    };
    if spec.doc.trim().is_empty() {
        return Err(err("missing doc".into()));
    }
    if spec.pattern.is_empty() {
        return Err(err("no pattern".into()));
    }
    let category = category.unwrap_or("").to_string();
    match spec.kind {
        RuleKind::Attribute => match spec.attribute.as_deref() {
            Some(a) if ATTRIBUTES.contains(&a) => {}
            Some(a) => return Err(err(format!("unknown attribute {a:?}"))),
            None => return Err(err("attribute rule without `attribute`".into())),
        },
        _ => {
            if !CATEGORIES.contains(&category.as_str()) && !EXCLUDED.contains(&category.as_str()) {
                return Err(err(format!(
                    "unknown category {category:?} (file needs `category = ...`)"
                )));
            }
        }
    }
    if !spec.id.starts_with(&format!("{category}."))
        && !category.is_empty()
        && !EXCLUDED
            .iter()
            .any(|e| spec.id.starts_with(&format!("{e}.")))
    {
        return Err(err(format!("id must start with \"{category}.\"")));
    }
    let takes = spec.takes.clone().unwrap_or_else(|| match spec.kind {
        RuleKind::Label => vec![BlockType::ListItem, BlockType::TableRow],
        _ => vec![
            BlockType::Paragraph,
            BlockType::ListItem,
            BlockType::TableRow,
        ],
    });
    // A built-in pattern compiles when first used (the tests check each one); a user's
    // pattern compiles now, so that a bad one fails at load with its file and rule.
    let pattern = |p: &String, check_empty: bool| -> Result<Pattern, RuleError> {
        if lazy {
            Ok(Pattern::lazy(p.replace("{DATE}", DATE_PATTERN)))
        } else {
            re_checked(p, check_empty).map(Pattern::compiled)
        }
    };
    let fires = |p: &String| pattern(p, true);
    let veto = |p: &String| pattern(p, false);
    Ok(Rule {
        patterns: spec.pattern.iter().map(fires).collect::<Result<_, _>>()?,
        unless: spec.unless.iter().map(veto).collect::<Result<_, _>>()?,
        skip: spec.skip.iter().map(veto).collect::<Result<_, _>>()?,
        marker: spec.marker.as_ref().map(fires).transpose()?,
        inside: spec.inside.as_ref().map(fires).transpose()?,
        not_inside: spec.not_inside.as_ref().map(fires).transpose()?,
        id: spec.id,
        kind: spec.kind,
        category,
        doc: spec.doc.trim().to_string(),
        mode: spec.mode,
        takes,
        priority: spec.priority,
        level: spec.level,
        attribute: spec.attribute,
        value: spec.value,
        examples: spec.examples,
        source: file.to_string(),
    })
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample_corpus::markdown_letters;

    /// Every example text of every rule, matching or not.
    fn example_texts(set: &RuleSet) -> Vec<String> {
        set.rules
            .iter()
            .flat_map(|r| r.examples.must_match.iter().chain(&r.examples.no_match))
            .cloned()
            .collect()
    }

    #[test]
    fn every_default_rule_example_holds() {
        let set = RuleSet::defaults().expect("default rules compile");
        let failures = set.test_examples();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// The scan is only a filter: every pattern that matches a text must be among its
    /// candidates. Checked on every rule example and every line of the sample corpus.
    #[test]
    fn the_scan_misses_no_matching_pattern() {
        let set = RuleSet::defaults().expect("default rules compile");
        let mut texts = example_texts(&set);
        for letter in markdown_letters() {
            texts.extend(
                letter
                    .lines()
                    .map(|l| l.trim_start_matches(['#', '-', ' ']).to_string()),
            );
        }
        assert!(texts.len() > 1000);
        for t in &texts {
            let scan = set.scan(t);
            for (i, r) in set.rules.iter().enumerate() {
                for (k, p) in r.patterns.iter().enumerate() {
                    if p.is_match(t) {
                        assert!(
                            scan.has(set.pattern_ids[i][k]),
                            "{} pattern {k} matches {t:?} but the scan missed it",
                            r.id
                        );
                    }
                }
                for (k, u) in r.unless.iter().enumerate() {
                    if u.is_match(t) {
                        assert!(
                            scan.has(set.unless_ids[i][k]),
                            "{} unless {k} matches {t:?} but the scan missed it",
                            r.id
                        );
                    }
                }
            }
        }
    }

    /// `fires` (the scan, the loose forms, the exact pattern from where the loose form
    /// matches first) gives `Rule::matches`'s answer on every example and corpus line.
    #[test]
    fn fires_is_rule_matches() {
        let set = RuleSet::defaults().expect("default rules compile");
        let mut texts = example_texts(&set);
        for letter in markdown_letters() {
            texts.extend(
                letter
                    .lines()
                    .map(|l| l.trim_start_matches(['#', '-', ' ']).to_string()),
            );
        }
        for t in &texts {
            let scan = set.scan(t);
            for (i, r) in set.rules.iter().enumerate() {
                assert_eq!(set.fires(&scan, i, t), r.matches(t), "{} on {t:?}", r.id);
            }
        }
    }

    /// The scanner's `is_match` (a loose match whose ends are word boundaries is taken as
    /// a match without the exact pattern) is the exact pattern's answer for every pattern
    /// and veto, on every example, also with letters outside ASCII glued to its words, where
    /// a boundary at an end of the loose match is or is not there.
    #[test]
    fn scanner_is_match_is_the_exact_answer_at_word_edges() {
        let set = RuleSet::defaults().expect("default rules compile");
        let mut texts = Vec::new();
        for t in example_texts(&set) {
            texts.push(format!("ø{t}"));
            texts.push(format!("{t}å"));
            texts.push(format!("É{t}ü."));
            texts.push(t.replace(' ', "ø "));
            texts.push(t.replace(' ', " æ"));
            texts.push(t.replace(' ', "_ "));
            texts.push(t);
        }
        let patterns = set.rules.iter().enumerate().flat_map(|(i, r)| {
            let ids = set.pattern_ids[i].iter().chain(&set.unless_ids[i]);
            r.patterns.iter().chain(&r.unless).zip(ids)
        });
        let mut with_edges = 0;
        for (p, &id) in patterns {
            let re = p.regex().expect("compiles");
            with_edges += usize::from(set.scanner.has_edges(id));
            for t in &texts {
                let want = re.is_match(t);
                assert_eq!(
                    set.scanner.is_match(id, || Some(re), t),
                    want,
                    "{} on {t:?}",
                    p.as_str()
                );
            }
        }
        // Most patterns have a `\b` at an end only: the test speaks of them.
        assert!(with_edges > 30, "{with_edges} patterns with edges");
    }

    /// `captures_each` gives what `captures_iter` gives, every group's span, for every
    /// pattern on every example and corpus paragraph.
    #[test]
    fn captures_each_is_captures_iter() {
        let set = RuleSet::defaults().expect("default rules compile");
        let mut texts = example_texts(&set);
        for letter in markdown_letters() {
            texts.extend(letter.split("\n\n").map(str::to_string));
        }
        let spans = |c: &regex::Captures| -> Vec<Option<(usize, usize)>> {
            c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
        };
        for (i, r) in set.rules.iter().enumerate() {
            for (k, p) in r.patterns.iter().enumerate() {
                let re = p.regex().expect("compiles");
                for t in &texts {
                    let want: Vec<_> = re.captures_iter(t).map(|c| spans(&c)).collect();
                    let mut got = Vec::new();
                    set.scanner
                        .captures_each(set.pattern_ids[i][k], re, t, |c| got.push(spans(c)));
                    assert_eq!(got, want, "{} pattern {k} on {t:?}", r.id);
                }
            }
        }
    }

    /// A piece's scan taken from its text's hits is the piece's own scan, and texts
    /// joined by newlines get the scan of the whole: checked on the sample corpus, a piece
    /// from every space of every line and a join of every two neighbouring lines.
    #[test]
    fn piece_and_joined_scans_equal_a_scan_of_their_own() {
        let set = RuleSet::defaults().expect("default rules compile");
        let n: usize = set.pattern_ids.iter().map(Vec::len).sum();
        let same = |a: &Scan, b: &Scan| (0..n).all(|i| a.has(i) == b.has(i));
        let mut lines = vec!["ÅRSRAPPORTEN ſkal Σ İstanbul".to_string()];
        for letter in markdown_letters() {
            lines.extend(letter.lines().map(str::to_string));
        }
        for pair in lines.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let (scan, hits) = set.scan_hits(a);
            assert!(same(&scan, &set.scan(a)), "{a:?}");
            for (i, _) in a.match_indices(' ') {
                assert!(same(&set.piece_scan(a, &hits, 0, i), &set.scan(&a[..i])));
                assert!(same(
                    &set.piece_scan(a, &hits, i, a.len()),
                    &set.scan(&a[i..])
                ));
            }
            let (_, hits_b) = set.scan_hits(b);
            let joined = set
                .joined_scan([&hits, &hits_b].into_iter())
                .expect("no newline");
            assert!(
                same(&joined, &set.scan(&format!("{a}\n{b}"))),
                "{a:?} {b:?}"
            );
        }
    }

    /// Texts put together at random from the words of every rule example, cut, glued and
    /// cased in ways letters are not, with letters outside ASCII, capitals the automaton
    /// folds itself and ones it does not: on each, the scan misses no matching pattern,
    /// `fires` is `Rule::matches`, `captures_each` is `captures_iter`, and a piece's scan
    /// from the hits is its own scan. A fixed seed, so a failure is there on every run.
    #[test]
    fn the_fast_paths_agree_with_the_exact_patterns_on_random_text() {
        let set = RuleSet::defaults().expect("default rules compile");
        let mut words: Vec<String> = example_texts(&set)
            .iter()
            .flat_map(|t| t.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        words.sort();
        words.dedup();
        let extra = [
            "ø",
            "Å",
            "ÆØÅ",
            "É",
            "ſ",
            "İ",
            "\u{212A}",
            "–",
            "«",
            "»",
            ".",
            ":",
            "\n",
            "_",
            "2026",
            "1.6.2026",
            "TB2026-12",
            "ASD 2026 – 3",
        ];
        words.extend(extra.iter().map(|s| s.to_string()));
        let mut random = crate::test_random::Random::new(0x9E37_79B9_7F4A_7C15);
        let mut next = |n: usize| random.below(n);
        let n: usize = set.pattern_ids.iter().map(Vec::len).sum();
        let spans = |c: &regex::Captures| -> Vec<Option<(usize, usize)>> {
            c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
        };
        for _ in 0..1500 {
            let mut t = String::new();
            for _ in 0..1 + next(14) {
                let w = &words[next(words.len())];
                let w = match next(6) {
                    0 => w.to_uppercase(),
                    1 => format!("{}{w}", extra[next(extra.len())]),
                    2 => format!("{w}{}", extra[next(extra.len())]),
                    _ => w.clone(),
                };
                t.push_str(&w);
                t.push_str([" ", " ", " ", "", "  ", ", "][next(6)]);
            }
            let (scan, hits) = set.scan_hits(&t);
            for (i, r) in set.rules.iter().enumerate() {
                assert_eq!(set.fires(&scan, i, &t), r.matches(&t), "{} on {t:?}", r.id);
                for (k, p) in r.patterns.iter().enumerate() {
                    let re = p.regex().expect("compiles");
                    let id = set.pattern_ids[i][k];
                    if re.is_match(&t) {
                        assert!(scan.has(id), "{} pattern {k}: scan missed {t:?}", r.id);
                    }
                    let want: Vec<_> = re.captures_iter(&t).map(|c| spans(&c)).collect();
                    let mut got = Vec::new();
                    set.scanner
                        .captures_each(id, re, &t, |c| got.push(spans(c)));
                    assert_eq!(got, want, "{} pattern {k} on {t:?}", r.id);
                }
            }
            let cut = t
                .char_indices()
                .map(|(i, _)| i)
                .nth(next(t.chars().count()))
                .unwrap_or(0);
            let piece = set.piece_scan(&t, &hits, cut, t.len());
            let own = set.scan(&t[cut..]);
            assert!(
                (0..n).all(|i| piece.has(i) == own.has(i)),
                "{t:?} from {cut}"
            );
        }
    }

    /// The built-in patterns compile only when first used, so the checks a rule file from
    /// the user gets when loaded are made here.
    #[test]
    fn every_built_in_pattern_compiles_and_needs_text() {
        let set = RuleSet::defaults().expect("default rules compile");
        let compiled = |r: &Rule, p: &Pattern| {
            p.regex()
                .unwrap_or_else(|| panic!("{}: {:?} does not compile", r.id, p.as_str()))
                .clone()
        };
        for r in &set.rules {
            let firing = r.patterns.iter().chain(&r.marker).chain(&r.inside);
            for p in firing.chain(&r.not_inside) {
                let re = compiled(r, p);
                assert!(
                    !re.is_match(""),
                    "{}: {:?} matches the empty string",
                    r.id,
                    p.as_str()
                );
            }
            // Vetoes may match the empty string (`^[^0-9]*$`).
            for p in r.unless.iter().chain(&r.skip) {
                compiled(r, p);
            }
        }
    }

    /// Digits in letters are ASCII, and the code that reads dates and numbers reads only
    /// those: the built-in patterns write `[0-9]` and `[^0-9]`. `\d` and `\D` read the
    /// digits of every script, which makes a pattern up to five times slower to compile,
    /// and compiling is much of a short run such as `byrde diff` of two letters.
    #[test]
    fn built_in_patterns_write_ascii_digits() {
        let set = RuleSet::defaults().expect("default rules compile");
        for r in &set.rules {
            let all = r.patterns.iter().chain(&r.unless).chain(&r.skip);
            for p in all.chain(&r.marker).chain(&r.inside).chain(&r.not_inside) {
                let src = p.as_str();
                assert!(
                    !src.contains(r"\d") && !src.contains(r"\D"),
                    "{}: {src:?} has \\d or \\D; write [0-9] or [^0-9]",
                    r.id
                );
            }
        }
    }

    #[test]
    fn bad_regex_names_file_and_rule() {
        let src = r#"
category = "foring"
doc = "x"
[[rule]]
id = "foring.broken"
kind = "cue"
doc = "broken"
pattern = ['(unclosed']
"#;
        let err = RuleSet::from_sources(&[("my.toml".into(), src.into())]).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("my.toml") && msg.contains("foring.broken") && msg.contains("bad regex"),
            "{msg}"
        );
    }

    #[test]
    fn empty_match_is_refused() {
        let src = r#"
category = "foring"
doc = "x"
[[rule]]
id = "foring.empty"
kind = "cue"
doc = "matches nothing in particular"
pattern = ['a*']
"#;
        let err = RuleSet::from_sources(&[("e.toml".into(), src.into())]).unwrap_err();
        assert!(err.to_string().contains("empty string"));
    }

    fn rule_file(id: &str, pattern: &str) -> String {
        format!(
            "category = \"foring\"\ndoc = \"x\"\n[[rule]]\nid = \"{id}\"\nkind = \"cue\"\n\
             doc = \"d\"\npattern = ['{pattern}']\n"
        )
    }

    #[test]
    fn duplicate_id_across_files_of_one_set_is_refused() {
        let files = [
            ("a.toml".to_string(), rule_file("foring.twice", "forventer")),
            (
                "b.toml".to_string(),
                rule_file("foring.twice", "forutsetter"),
            ),
        ];
        let msg = RuleSet::from_sources(&files).unwrap_err().to_string();
        assert_eq!(
            msg,
            "b.toml: rule foring.twice: duplicate rule id: already defined in a.toml"
        );
    }

    #[test]
    fn a_later_layer_replaces_a_default() {
        let defaults = vec![("d.toml".to_string(), rule_file("foring.x", "forventer"))];
        let mine = vec![("m.toml".to_string(), rule_file("foring.x", "forutsetter"))];
        let set = RuleSet::from_layers(&[(defaults, Compile::WhenNeeded), (mine, Compile::AtLoad)])
            .expect("compiles");
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].source, "m.toml");
    }

    #[test]
    fn default_rule_ids_are_unique() {
        // `defaults()` is one layer, so a duplicate id would be an error; say which.
        RuleSet::defaults().expect("no duplicate ids in rules/");
    }

    #[test]
    fn oversized_regex_is_refused() {
        // Compiles to far more than REGEX_SIZE_LIMIT.
        let src = rule_file("foring.huge", r"\w{500}\w{500}\w{500}");
        let msg = RuleSet::from_sources(&[("h.toml".into(), src)])
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("h.toml: rule foring.huge: bad regex") && msg.contains("size limit"),
            "{msg}"
        );
    }
}
