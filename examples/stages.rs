//! Per-stage throughput of the pipeline, in MB of text per second on one core:
//! `cargo run --release --example stages -- [--seconds S] FILE_OR_DIR...`.
//!
//! Every file is read into memory first; then each stage runs on all documents in turn,
//! repeated until `--seconds` (default 2) have passed, and its MB/s is the text size (the
//! UTF-8 bytes of the text lines ingest produced) divided by the time the stage took.
//! `scripts/bench.sh` runs this for goal 2 of the performance issue; `cargo bench` has the
//! same stages under criterion. `--only STAGE` times one stage; `--passes N` runs each
//! timed stage exactly N times, for instruction counts that compare across builds:
//! `scripts/instructions.sh` prints one pass's count per stage.

use byrde::classify::classify;
use byrde::ingest::{self, RawDoc};
use byrde::measure::measure;
use byrde::rules::RuleSet;
use byrde::{layout, meta, segment};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    // The allocator as the `byrde` binary sets it.
    byrde::limits::steady_malloc_thresholds();
    // One core: PDF pages and rule compilation would otherwise spread over rayon's threads,
    // whose time this thread's CPU clock does not see.
    match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(run),
        Err(e) => eprintln!("stages: no thread pool: {e}"),
    }
}

fn run() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut seconds = 2.0f64;
    // `--only STAGE` times one stage (for profiling it alone with perf or callgrind).
    let mut only: Option<String> = None;
    // `--passes N`: each timed stage runs exactly N times, not for a time, so that
    // instruction counts (callgrind) of two builds compare: the difference between runs
    // with 2 and 6 passes, over 4, is one pass.
    let mut passes: Option<u32> = None;
    if let Some(i) = args.iter().position(|a| a == "--passes") {
        passes = args.get(i + 1).and_then(|s| s.parse().ok());
        args.drain(i..(i + 2).min(args.len()));
    }
    if let Some(i) = args.iter().position(|a| a == "--only") {
        only = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
    }
    if let Some(i) = args.iter().position(|a| a == "--seconds") {
        seconds = args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(seconds);
        args.drain(i..(i + 2).min(args.len()));
    }
    if args.is_empty() {
        eprintln!("usage: stages [--seconds S | --passes N] [--only STAGE] FILE_OR_DIR...");
        std::process::exit(2);
    }
    let collected =
        byrde::corpus::collect_paths(&args.iter().map(PathBuf::from).collect::<Vec<_>>());
    let files: Vec<(PathBuf, Vec<u8>)> = collected
        .files
        .iter()
        .filter_map(|f| std::fs::read(f).ok().map(|b| (f.clone(), b)))
        .collect();
    let rules = RuleSet::defaults().expect("default rules");
    let full = Duration::from_secs_f64(seconds / 8.0);
    let runs_for = |stage: &str| {
        let timed = only.as_ref().is_none_or(|o| o == stage);
        match (timed, passes) {
            (false, _) => Runs::Times(1),
            (true, Some(n)) => Runs::Times(n),
            (true, None) if only.is_some() => Runs::For(Duration::from_secs_f64(seconds)),
            (true, None) => Runs::For(full),
        }
    };

    // Ingest: bytes in memory → raw documents.
    let raws: Vec<RawDoc> = files
        .iter()
        .filter_map(|(p, b)| ingest::read_bytes(p, b).ok())
        .collect();
    let text_bytes: usize = raws.iter().map(text_len).sum();
    let input_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mb = text_bytes as f64 / 1e6;
    println!(
        "{} documents, {:.2} MB of files, {:.2} MB of text ({text_bytes} bytes)",
        raws.len(),
        input_bytes as f64 / 1e6,
        mb
    );
    let t_ingest = repeat(runs_for("ingest"), || {
        for (p, b) in &files {
            let _ = std::hint::black_box(ingest::read_bytes(Path::new(p), b));
        }
    });
    let paras: Vec<_> = raws.iter().map(layout::layout).collect();
    let t_layout = repeat(runs_for("layout"), || {
        for r in &raws {
            std::hint::black_box(layout::layout(r));
        }
    });
    let docs: Vec<_> = paras.iter().cloned().map(segment::segment).collect();
    let t_segment = repeat(runs_for("segment"), || {
        for p in &paras {
            std::hint::black_box(segment::segment(p.clone()));
        }
    });
    let metas: Vec<_> = docs
        .iter()
        .zip(&raws)
        .map(|(d, r)| meta::detect(d, &r.path))
        .collect();
    let t_meta = repeat(runs_for("meta"), || {
        for (d, r) in docs.iter().zip(&raws) {
            std::hint::black_box(meta::detect(d, &r.path));
        }
    });
    let classified: Vec<_> = docs
        .iter()
        .zip(&metas)
        .map(|(d, m)| classify(d, m, &rules))
        .collect();
    let t_classify = repeat(runs_for("classify"), || {
        for (d, m) in docs.iter().zip(&metas) {
            std::hint::black_box(classify(d, m, &rules));
        }
    });
    // The rule scan alone, which classify starts with: one automaton pass over every
    // block for the literals of all rules, the part of classify that reads every byte.
    let t_scan = repeat(runs_for("scan"), || {
        for d in &docs {
            for b in &d.blocks {
                std::hint::black_box(rules.scan_hits(&b.text));
            }
        }
    });
    let t_measure = repeat(runs_for("measure"), || {
        for (c, d) in classified.iter().zip(&docs) {
            std::hint::black_box(measure(&c.items, &c.excluded, d.word_count()));
        }
    });
    // Wall time (on one core here).
    let t_rules = {
        let start = Instant::now();
        let mut n = 0u32;
        while runs_for("rules").more(n, start) {
            std::hint::black_box(RuleSet::defaults().expect("default rules"));
            n += 1;
        }
        start.elapsed().as_secs_f64() / n as f64
    };

    let row = |name: &str, t: f64| {
        println!(
            "  {name:<22} {:>9.1} MB/s {:>10.0} docs/s",
            mb / t,
            raws.len() as f64 / t
        );
    };
    println!("per stage (one core):");
    row("ingest", t_ingest);
    println!(
        "  {:<22} {:>9.1} MB/s of files read",
        "",
        input_bytes as f64 / 1e6 / t_ingest
    );
    row("layout", t_layout);
    row("segment", t_segment);
    row("meta", t_meta);
    row("classify", t_classify);
    row("measure", t_measure);
    row("  rule scan (classify)", t_scan);
    let after_ingest = t_layout + t_segment + t_meta + t_classify + t_measure;
    row("text → items", after_ingest);
    row("ingest → items", t_ingest + after_ingest);
    println!(
        "  rules compiled once per run: {:.1} ms (wall time)",
        t_rules * 1000.0
    );
    // Where a pass's time goes, beside what 100 MB/s (goal 2) allows for all of it.
    let ms = |t: f64| format!("{:>7.2} ms", t * 1e3);
    println!("one pass of text → items ({:.0} KB of text):", mb * 1e3);
    println!(
        "  layout, segment, meta, measure    {}",
        ms(t_layout + t_segment + t_meta + t_measure)
    );
    println!("  classify: the rule scan           {}", ms(t_scan));
    println!(
        "  classify: the rest                {}  (checking candidates, building items, deduplication)",
        ms((t_classify - t_scan).max(0.0))
    );
    println!("  all of it at 100 MB/s             {}", ms(mb / 100.0));
    println!(
        "text → items: {:.1} MB/s per core (layout, segment, meta, classify, measure)",
        mb / after_ingest
    );
}

/// CPU seconds per call of `f`: the mean over as many calls as fit in `budget` (at least
/// one). CPU time of this thread, not wall time, so that other work on the machine does
/// not count against the stage.
fn repeat(runs: Runs, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let cpu = thread_cpu_seconds();
    let mut n = 0u32;
    while runs.more(n, start) {
        f();
        n += 1;
    }
    (thread_cpu_seconds() - cpu) / n as f64
}

/// How long a stage is timed: for a time, or a number of passes.
#[derive(Clone, Copy)]
enum Runs {
    For(Duration),
    Times(u32),
}

impl Runs {
    /// Whether another pass is due after `n` passes begun at `start` (always at least one).
    fn more(self, n: u32, start: Instant) -> bool {
        match self {
            Runs::For(budget) => n == 0 || start.elapsed() < budget,
            Runs::Times(times) => n < times.max(1),
        }
    }
}

/// CPU time used by the calling thread.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of the OS.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// UTF-8 bytes of a document's text lines, with one newline per line.
fn text_len(r: &RawDoc) -> usize {
    r.pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.len() + 1)
        .sum()
}
