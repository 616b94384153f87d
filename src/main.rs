//! The `byrde` binary: parse flags, run the library, map outcomes to exit codes.

mod cli;

use anyhow::Context;
use byrde::analysis::{Analysis, Failure};
use byrde::eval::{self, Source};
use byrde::ingest;
use byrde::output::{emit, Sink};
use byrde::report::{json, Format, Report};
use byrde::rules::{RuleKind, RuleSet};
use clap::Parser;
use cli::{
    AnalyseArgs, CheckArgs, Cli, ColorChoice, Command, DiffArgs, EvalArgs, MergeArgs, ReportArgs,
    RulesArg, RulesCommand, TrendArgs,
};
use std::process::ExitCode;
use std::sync::Arc;

/// Exit codes, as documented in `--help`.
const OK: u8 = 0;
const FOUND_MORE: u8 = 1;
const INPUT_ERROR: u8 = 2;

fn main() -> ExitCode {
    byrde::limits::steady_malloc_thresholds();
    ingest::install_quiet_panic_hook();
    let cli = Cli::parse();
    if let Command::ReadPdf {
        limits,
        threads,
        path,
    } = &cli.command
    {
        // The PDF worker (src/isolate.rs): no interrupt handler, its parent owns cleanup.
        return match byrde::isolate::worker_main(path, &limits.limits(), *threads) {
            Ok(()) => ExitCode::from(OK),
            Err(_) => ExitCode::from(INPUT_ERROR),
        };
    }
    if let Err(e) = byrde::interrupt::install() {
        eprintln!(
            "byrde: warning: cannot handle Ctrl-C ({e}): an interrupt may leave a temporary file"
        );
    }
    let result = match cli.command {
        Command::ReadPdf { .. } => Ok(OK),
        Command::Analyse(a) => analyse(a),
        Command::Diff(d) => run_diff(d),
        Command::Trend(t) => run_trend(t),
        Command::Check(c) => run_check(c),
        Command::Merge(m) => merge(m),
        Command::Eval(e) => run_eval(e),
        Command::Rules { command } => rules(command),
        Command::Blocks { path } => blocks(&path),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("byrde: error: {e:#}");
            ExitCode::from(INPUT_ERROR)
        }
    }
}

/// The rules, shared by every thread and command step (built-in patterns compile when
/// first needed, once for the whole run).
fn load_rules(arg: &RulesArg) -> anyhow::Result<Arc<RuleSet>> {
    Ok(Arc::new(match &arg.rules {
        Some(dir) => RuleSet::with_dir(dir)?,
        None => RuleSet::defaults().context("the built-in rules are broken")?,
    }))
}

/// Every document analysed with each PDF in a worker process and a time budget per
/// document (src/isolate.rs); `diff`, `trend` and `check` use the default limits.
fn analyse_all(
    files: &[std::path::PathBuf],
    rules: &Arc<RuleSet>,
    jobs: usize,
    limits: byrde::limits::Limits,
) -> anyhow::Result<Vec<Result<Analysis, Failure>>> {
    let isolation = byrde::isolate::Isolation::current_exe(limits)
        .context("cannot find the byrde executable to read PDFs with")?;
    Ok(byrde::isolate::analyse_all(files, rules, jobs, &isolation))
}

fn analyse(a: AnalyseArgs) -> anyhow::Result<u8> {
    let rules = load_rules(&a.rules)?;
    let collected = byrde::corpus::collect_paths(&a.paths);
    if !collected.twins.is_empty() {
        eprintln!(
            "byrde: note: {} text file(s) not read: the same letter is there as PDF (e.g. {} → {})",
            collected.twins.len(),
            collected.twins[0].0.display(),
            collected.twins[0].1.display()
        );
    }
    let mut isolation = byrde::isolate::Isolation::current_exe(a.limits.limits())
        .context("cannot find the byrde executable to read PDFs with")?;
    if a.report.format == Format::Html {
        // The letter page shows the letter's text: a large text file is read whole.
        isolation = isolation.keeping_blocks();
    }
    if a.report.format == Format::Jsonl {
        return analyse_streaming(&a, &rules, &isolation, collected);
    }
    let r = &a.report;
    // What the report shows: items only with --items or on the letter pages, the letter's
    // text only on the letter pages. The rest is dropped as each document is done, so a
    // batch holds its counts, not its text.
    let keep_items = r.items || r.format == Format::Html;
    let keep_text = r.format == Format::Html;
    let mut failures = collected.failures;
    let mut documents: Vec<Analysis> = Vec::new();
    byrde::isolate::analyse_each(&collected.files, &rules, a.jobs.n, &isolation, |result| {
        match result {
            Ok(mut d) => {
                if !keep_items {
                    d.items = Vec::new();
                    d.excluded_items = Vec::new();
                }
                if !keep_text {
                    d.blocks = Vec::new();
                }
                documents.push(d)
            }
            Err(f) => failures.push(f),
        }
        true
    });
    write_report(r, &documents, &failures)
}

/// `--format jsonl`: a line per document written as soon as it (and every document before
/// it) is done, so memory does not grow with the batch; failure lines follow at the end.
fn analyse_streaming(
    a: &AnalyseArgs,
    rules: &Arc<RuleSet>,
    isolation: &byrde::isolate::Isolation,
    collected: byrde::corpus::Collected,
) -> anyhow::Result<u8> {
    let cannot_write = || match &a.report.output.file {
        Some(p) => format!("cannot write {}", p.display()),
        None => "cannot write to stdout".into(),
    };
    let mut sink = Sink::open(a.report.output.file.as_deref()).with_context(cannot_write)?;
    let mut failures = collected.failures;
    let mut incomplete = false;
    let mut write_error = None;
    byrde::isolate::analyse_each(&collected.files, rules, a.jobs.n, isolation, |r| match r {
        Ok(d) => {
            print_warnings(&d);
            incomplete |= d.incomplete;
            let mut go_on = true;
            let written = json::write_document_line(&d, a.report.items, &mut |piece| {
                go_on = sink.write(piece)?;
                Ok(go_on)
            })
            .map(|_| go_on);
            match written {
                Ok(go_on) => go_on,
                Err(e) => {
                    write_error = Some(e);
                    false
                }
            }
        }
        Err(f) => {
            failures.push(f);
            true
        }
    });
    if let Some(e) = write_error {
        return Err(e).with_context(cannot_write);
    }
    for f in &failures {
        eprintln!("byrde: error: {f}");
        sink.write(&(json::failure_line(f) + "\n"))
            .with_context(cannot_write)?;
    }
    sink.finish().with_context(cannot_write)?;
    Ok(exit_status(&a.report, &failures, incomplete))
}

/// Render a report, write it, and say on stderr what failed (and, unless the table on the
/// terminal shows them, the warnings).
fn write_report(
    r: &ReportArgs,
    documents: &[Analysis],
    failures: &[Failure],
) -> anyhow::Result<u8> {
    let report = Report {
        documents,
        failures,
        items: r.items,
        csv_delimiter: r.csv.delimiter,
        lang: r.lang.lang,
    };
    let cannot_write = || match &r.output.file {
        Some(p) => format!("cannot write {}", p.display()),
        None => "cannot write to stdout".into(),
    };
    if r.format == Format::Json && r.items {
        // Written a piece at a time: a large text's items are never all in one string.
        let mut sink = Sink::open(r.output.file.as_deref()).with_context(cannot_write)?;
        json::write(&report, &mut |piece| sink.write(piece)).with_context(cannot_write)?;
        sink.finish().with_context(cannot_write)?;
    } else {
        let text = report.render(r.format);
        emit(r.output.file.as_deref(), &text).with_context(cannot_write)?;
    }
    // Failures go to stderr too, so they are seen when stdout is a file or a pipe.
    report_failures(
        failures,
        documents,
        r.output.file.is_some() || r.format != Format::Table,
    );
    let incomplete = documents.iter().any(|d| d.incomplete);
    Ok(exit_status(r, failures, incomplete))
}

/// Documented in the README, "Limits and failure behaviour": 2 when a file failed or was
/// read incompletely, unless --keep-going.
fn exit_status(r: &ReportArgs, failures: &[Failure], incomplete: bool) -> u8 {
    if (failures.is_empty() && !incomplete) || r.keep_going {
        OK
    } else {
        INPUT_ERROR
    }
}

/// `byrde merge PART.jsonl...`: the report of one run over all the parts' documents.
fn merge(m: MergeArgs) -> anyhow::Result<u8> {
    if m.report.format == Format::Html {
        anyhow::bail!(
            "--format html shows the letters' text, which JSONL parts do not hold: run `byrde analyse --format html` on the letters"
        );
    }
    let merged = byrde::merge::read_parts(&m.parts, m.report.items)?;
    for d in &merged.duplicates {
        eprintln!(
            "byrde: warning: {} is in more than one part: the last one counts",
            d.display()
        );
    }
    write_report(&m.report, &merged.documents, &merged.failures)
}

fn report_failures(failures: &[Failure], documents: &[Analysis], also_warnings: bool) {
    for f in failures {
        eprintln!("byrde: error: {f}");
    }
    if also_warnings {
        documents.iter().for_each(print_warnings);
    }
}

/// A document's warnings on stderr, one line each, named by its file.
fn print_warnings(d: &Analysis) {
    for w in &d.warnings {
        eprintln!("byrde: warning: {}: {w}", d.file.display());
    }
}

/// Analyse the documents at `path` (a file, or a folder read recursively) for one side of
/// a diff; any document that cannot be read is an error, since the comparison would be wrong.
fn diff_side(path: &std::path::Path, rules: &Arc<RuleSet>) -> anyhow::Result<Vec<Analysis>> {
    let collected = byrde::corpus::collect_paths(&[path.to_path_buf()]);
    if let Some(f) = collected.failures.first() {
        anyhow::bail!("{f}");
    }
    if collected.files.is_empty() {
        anyhow::bail!("{}: no documents (.pdf, .txt, .md) found", path.display());
    }
    analyse_all(&collected.files, rules, 0, Default::default())?
        .into_iter()
        .map(|r| r.map_err(|f| anyhow::anyhow!("{f}")))
        .collect()
}

fn run_diff(a: DiffArgs) -> anyhow::Result<u8> {
    let known = byrde::measure::figure_names();
    for f in &a.fail_on {
        if !known.contains(&f.as_str()) {
            anyhow::bail!(
                "--fail-on: unknown name {f:?} (one of: {})",
                known.join(", ")
            );
        }
    }
    let rules = load_rules(&a.rules)?;
    // Both sides at once; errors and warnings are reported old side first all the same.
    let (old, new) = rayon::join(|| diff_side(&a.old, &rules), || diff_side(&a.new, &rules));
    let old = old?;
    old.iter().for_each(print_warnings);
    let new = new?;
    new.iter().for_each(print_warnings);
    let d = byrde::diff::diff(
        byrde::diff::Side::from_analyses(old),
        byrde::diff::Side::from_analyses(new),
    );
    let color = match a.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            use std::io::IsTerminal;
            a.output.file.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let opts = byrde::report::diff::Options { color, all: a.all };
    let text = byrde::report::diff::render(&d, a.format, &opts);
    emit(a.output.file.as_deref(), &text).context("cannot write the output")?;
    Ok(if a.exit_code && d.demands_more(&a.fail_on) {
        FOUND_MORE
    } else {
        OK
    })
}

fn run_trend(t: TrendArgs) -> anyhow::Result<u8> {
    let rules = load_rules(&t.rules)?;
    let collected = byrde::corpus::collect_paths(&t.dirs);
    let mut failures = collected.failures;
    let mut docs = Vec::new();
    for r in analyse_all(&collected.files, &rules, t.jobs.n, Default::default())? {
        match r {
            Ok(d) => docs.push(d),
            Err(f) => failures.push(f),
        }
    }
    let root = t.dirs.first().cloned().unwrap_or_default();
    let series = byrde::trend::trend(&docs, &root)?;
    let mut html = byrde::report::trend::HtmlOptions {
        lang: t.lang.lang,
        ..Default::default()
    };
    if let Some(dir) = &t.pages {
        html.pages =
            write_letter_pages(dir, &series, &docs, t.lang.lang, t.output.file.as_deref())?;
    }
    let text = byrde::report::trend::render(&series, t.format, t.csv.delimiter, &html);
    emit(t.output.file.as_deref(), &text).context("cannot write the output")?;
    for f in &failures {
        eprintln!("byrde: error: {f}");
    }
    Ok(if failures.is_empty() { OK } else { INPUT_ERROR })
}

fn run_check(c: CheckArgs) -> anyhow::Result<u8> {
    for f in &c.fail_on {
        if !byrde::check::is_figure(f) {
            anyhow::bail!(
                "--fail-on: unknown name {f:?} (one of: {})",
                byrde::measure::figure_names().join(", ")
            );
        }
    }
    let budget = c
        .budget
        .as_deref()
        .map(byrde::check::Budget::load)
        .transpose()?;
    let baseline = c
        .baseline
        .as_deref()
        .map(byrde::check::load_baseline)
        .transpose()?;
    let rules = load_rules(&c.rules)?;
    let collected = byrde::corpus::collect_paths(&c.paths);
    let mut failures = collected.failures;
    let mut docs = Vec::new();
    for r in analyse_all(&collected.files, &rules, c.jobs.n, Default::default())? {
        match r {
            Ok(d) => docs.push(d),
            Err(f) => failures.push(f),
        }
    }
    let mut outcome = byrde::check::Outcome {
        checked: Vec::new(),
        violations: Vec::new(),
    };
    if let Some(b) = &budget {
        let root = c.paths.first().cloned().unwrap_or_default();
        let o = byrde::check::check_budget(&docs, &root, b, c.all_years)?;
        outcome.checked.extend(o.checked);
        outcome.violations.extend(o.violations);
    }
    if let Some(saved) = &baseline {
        let mut keys = vec!["styringskrav".to_string()];
        keys.extend(c.fail_on.iter().cloned());
        if let Some(b) = &budget {
            keys.extend(b.document.no_increase.iter().cloned());
        }
        keys.sort();
        keys.dedup();
        let o = byrde::check::check_baseline(&docs, saved, &keys);
        outcome.checked.extend(o.checked);
        outcome.violations.extend(o.violations);
    }
    outcome.checked.sort();
    outcome.checked.dedup();
    let text = byrde::report::check::render(&outcome, c.format);
    emit(c.output.file.as_deref(), &text).context("cannot write the output")?;
    for f in &failures {
        eprintln!("byrde: error: {f}");
    }
    Ok(if !failures.is_empty() {
        INPUT_ERROR
    } else if outcome.violations.is_empty() {
        OK
    } else {
        FOUND_MORE
    })
}

/// Write a highlighted page for every letter of the series into `dir`, named
/// `<series>-<file stem>.html`, and return the link to each from the trend page.
fn write_letter_pages(
    dir: &std::path::Path,
    series: &[byrde::trend::Series],
    docs: &[Analysis],
    lang: byrde::report::lang::Lang,
    trend_page: Option<&std::path::Path>,
) -> anyhow::Result<std::collections::BTreeMap<std::path::PathBuf, String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let from = trend_page
        .and_then(|p| p.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut links = std::collections::BTreeMap::new();
    for s in series {
        for y in &s.years {
            for d in &y.documents {
                let Some(a) = docs.iter().find(|a| a.file == d.file) else {
                    continue;
                };
                let stem = d
                    .file
                    .file_stem()
                    .map(|x| x.to_string_lossy().to_string())
                    .unwrap_or_default();
                let name: String = format!("{}-{stem}.html", s.name)
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() || "-_.".contains(c) {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let path = dir.join(&name);
                let page = byrde::report::letter::render(std::slice::from_ref(a), lang);
                byrde::output::write_atomic(&path, page.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))?;
                links.insert(d.file.clone(), relative(from, &path));
            }
        }
    }
    Ok(links)
}

/// `to` as a link from a page in folder `from` (both made absolute first).
fn relative(from: &std::path::Path, to: &std::path::Path) -> String {
    let abs = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(from), abs(to));
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let shared = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - shared];
    parts.extend(
        t[shared..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    parts.join("/")
}

fn run_eval(e: EvalArgs) -> anyhow::Result<u8> {
    let rules = load_rules(&e.rules)?;
    let files = eval::find_expected(&e.dir);
    if files.is_empty() {
        anyhow::bail!("{}: no *.expected.json files found", e.dir.display());
    }
    let sources: Vec<Source> = match e.from {
        Some(s) => vec![s],
        None => vec![Source::Text, Source::Pdf],
    };
    let isolation = byrde::isolate::Isolation::current_exe(e.limits.limits())
        .context("cannot find the byrde executable to read PDFs with")?;
    let analyse = |p: &std::path::Path| byrde::isolate::analyse_isolated(p, &rules, &isolation);
    let evals: Vec<eval::DocEval> = files
        .iter()
        .flat_map(|f| eval::evaluate_file(f, &sources, &analyse))
        .collect();
    let text = if e.json {
        let totals: Vec<serde_json::Value> = eval::totals(&evals)
            .into_iter()
            .map(|((src, cat), s)| {
                serde_json::json!({"source": src, "category": cat, "expected": s.expected,
                    "found": s.found, "matched": s.matched,
                    "precision": s.precision(), "recall": s.recall()})
            })
            .collect();
        let v = serde_json::json!({"schema_version": byrde::SCHEMA_VERSION, "totals": totals, "documents": evals});
        serde_json::to_string_pretty(&v)? + "\n"
    } else {
        eval::render_table(&evals, e.verbose)
    };
    emit(None, &text)?;
    if evals.iter().any(|d| d.error.is_some()) {
        return Ok(INPUT_ERROR);
    }
    Ok(if e.strict && !evals.iter().all(|d| d.exact()) {
        FOUND_MORE
    } else {
        OK
    })
}

fn blocks(path: &std::path::Path) -> anyhow::Result<u8> {
    // The PDF worker, as in `analyse`, so that a PDF that hangs or crashes cannot take
    // `blocks` down with it.
    let isolation = byrde::isolate::Isolation::current_exe(Default::default())
        .context("cannot find the byrde executable to read PDFs with")?;
    let raw = byrde::isolate::read_isolated(path, &isolation)
        .with_context(|| path.display().to_string())?;
    let doc = byrde::segment::segment(byrde::layout::layout(&raw));
    let meta = byrde::meta::detect(&doc, path);
    let mut out = format!(
        "{}: {} {} pages, kind {}, year {}, issuer {}, recipient {}, language {}\n",
        path.display(),
        raw.format.name(),
        raw.pages.len(),
        meta.kind.as_str(),
        meta.year.map_or("-".into(), |y| y.to_string()),
        meta.issuer.as_deref().unwrap_or("-"),
        meta.recipient.as_deref().unwrap_or("-"),
        meta.language
    );
    for w in &raw.warnings {
        out += &format!("warning: {w}\n");
    }
    for b in &doc.blocks {
        use byrde::segment::BlockKind;
        let kind = match &b.kind {
            BlockKind::Heading { rank, entry, .. } => {
                format!("h{rank}{}", if *entry { "*" } else { "" })
            }
            BlockKind::ListItem { marker, .. } => format!("li {marker}"),
            BlockKind::Paragraph => "p".into(),
            BlockKind::TableRow { cells } => format!("row{}", cells.len()),
        };
        let indent = "  ".repeat(b.trail.len());
        let closing = if b.closing { " (after signature)" } else { "" };
        out += &format!(
            "{:>3}:{:<4} {:<7}{indent}{}{closing}\n",
            b.page, b.line, kind, b.text
        );
    }
    emit(None, &out)?;
    Ok(OK)
}

fn rules(cmd: RulesCommand) -> anyhow::Result<u8> {
    match cmd {
        RulesCommand::List(arg) => {
            let set = load_rules(&arg)?;
            let mut out = String::new();
            for r in &set.rules {
                let what = match r.kind {
                    RuleKind::Attribute => r.attribute.clone().unwrap_or_default(),
                    _ => r.category.clone(),
                };
                let doc = r.doc.lines().next().unwrap_or("");
                out += &format!(
                    "{:<40} {:<9} {:<18} {}\n",
                    r.id,
                    format!("{:?}", r.kind).to_lowercase(),
                    what,
                    doc
                );
            }
            emit(None, &out)?;
            Ok(OK)
        }
        RulesCommand::Show { id, rules } => {
            let set = load_rules(&rules)?;
            let Some(r) = set.get(&id) else {
                anyhow::bail!("no rule with id {id:?} (see `byrde rules list`)");
            };
            let mut out = format!("{}\n  kind: {:?}\n  file: {}\n", r.id, r.kind, r.source);
            if !r.category.is_empty() {
                out += &format!("  category: {}\n", r.category);
            }
            if let Some(a) = &r.attribute {
                out += &format!(
                    "  attribute: {a}{}\n",
                    r.value
                        .as_deref()
                        .map(|v| format!(" = {v}"))
                        .unwrap_or_default()
                );
            }
            if r.kind == RuleKind::Label {
                out += &format!("  mode: {:?}\n", r.mode);
            }
            out += &format!("  priority: {}\n\n{}\n\n", r.priority, r.doc);
            for p in &r.patterns {
                out += &format!("  pattern: {}\n", p.as_str());
            }
            for p in &r.unless {
                out += &format!("  unless:  {}\n", p.as_str());
            }
            if let Some(p) = &r.inside {
                out += &format!("  inside:  {}\n", p.as_str());
            }
            if let Some(p) = &r.not_inside {
                out += &format!("  not inside: {}\n", p.as_str());
            }
            for ex in &r.examples.must_match {
                out += &format!("  matches:        {ex}\n");
            }
            for ex in &r.examples.no_match {
                out += &format!("  does not match: {ex}\n");
            }
            emit(None, &out)?;
            Ok(OK)
        }
        RulesCommand::Test { dir } => {
            let set = match &dir {
                Some(d) => RuleSet::only_dir(d)?,
                None => RuleSet::defaults()?,
            };
            let failures = set.test_examples();
            let examples: usize = set
                .rules
                .iter()
                .map(|r| r.examples.must_match.len() + r.examples.no_match.len())
                .sum();
            for f in &failures {
                eprintln!("FAIL {f}");
            }
            emit(
                None,
                &format!(
                    "{} rules, {} examples: {} passed, {} failed\n",
                    set.rules.len(),
                    examples,
                    examples.saturating_sub(failures.len()),
                    failures.len()
                ),
            )?;
            Ok(if failures.is_empty() { OK } else { FOUND_MORE })
        }
    }
}
