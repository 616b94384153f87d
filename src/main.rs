//! The `byrde` binary: parse flags, run the library, map outcomes to exit codes.

mod cli;

use anyhow::Context;
use byrde::analysis::{Analysis, Failure};
use byrde::eval::{self, Source};
use byrde::ingest;
use byrde::output::emit;
use byrde::report::Report;
use byrde::rules::{RuleKind, RuleSet};
use clap::Parser;
use cli::{AnalyseArgs, Cli, Command, EvalArgs, RulesArg, RulesCommand};
use std::process::ExitCode;

/// Exit codes, as documented in `--help`.
const OK: u8 = 0;
const FOUND_MORE: u8 = 1;
const INPUT_ERROR: u8 = 2;

fn main() -> ExitCode {
    ingest::install_quiet_panic_hook();
    let cli = Cli::parse();
    if let Command::ReadPdf { limits, path } = &cli.command {
        // The PDF worker (src/isolate.rs): no interrupt handler, its parent owns cleanup.
        return match byrde::isolate::worker_main(path, &limits.limits()) {
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

fn load_rules(arg: &RulesArg) -> anyhow::Result<RuleSet> {
    Ok(match &arg.rules {
        Some(dir) => RuleSet::with_dir(dir)?,
        None => RuleSet::defaults().context("the built-in rules are broken")?,
    })
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
    let mut failures = collected.failures;
    let isolation = byrde::isolate::Isolation::current_exe(a.limits.limits())
        .context("cannot find the byrde executable to read PDFs with")?;
    let results = byrde::isolate::analyse_all(&collected.files, &rules, a.jobs, &isolation);
    let mut documents: Vec<Analysis> = Vec::new();
    for r in results {
        match r {
            Ok(d) => documents.push(d),
            Err(f) => failures.push(f),
        }
    }
    let report = Report {
        documents: &documents,
        failures: &failures,
        items: a.items,
        csv_delimiter: a.csv_delimiter,
    };
    let text = report.render(a.format);
    emit(a.output.as_deref(), &text).with_context(|| match &a.output {
        Some(p) => format!("cannot write {}", p.display()),
        None => "cannot write to stdout".into(),
    })?;
    // Failures go to stderr too, so they are seen when stdout is a file or a pipe.
    report_failures(
        &failures,
        &documents,
        a.output.is_some() || a.format != byrde::report::Format::Table,
    );
    // Documented in the README, "Limits and failure behaviour".
    let incomplete = documents.iter().any(|d| d.incomplete);
    Ok(if (failures.is_empty() && !incomplete) || a.keep_going {
        OK
    } else {
        INPUT_ERROR
    })
}

fn report_failures(failures: &[Failure], documents: &[Analysis], also_warnings: bool) {
    for f in failures {
        eprintln!("byrde: error: {f}");
    }
    if also_warnings {
        for d in documents {
            for w in &d.warnings {
                eprintln!("byrde: warning: {}: {w}", d.file.display());
            }
        }
    }
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
    let evals: Vec<eval::DocEval> = files
        .iter()
        .flat_map(|f| eval::evaluate_file(f, &sources, &rules))
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
