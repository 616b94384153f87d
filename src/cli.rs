//! Command-line interface: every flag is defined once here; `--help` is generated from it.

use byrde::eval::Source;
use byrde::report::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "byrde",
    version,
    about = "Count goals, oppdrag and reporting demands in Norwegian steering letters",
    long_about = "byrde reads tildelingsbrev, MD-brev and oppdragsdokument (PDF, text, Markdown), \
finds goals, styringsparametere, resultatkrav, oppdrag and rapporteringskrav with rule files, \
counts them, and traces every count to the sentence it came from.\n\n\
Exit codes: 0 ok, 1 a check found more burden, 2 usage or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct RulesArg {
    /// Folder of extra rule files (*.toml); a rule with an existing id replaces the default.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// `-o FILE`, for every command that writes a report.
#[derive(Args, Debug)]
pub struct OutputArg {
    /// Write the output to FILE (atomically: a temporary file renamed into place).
    #[arg(id = "output", short = 'o', long = "output", value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `--jobs N`, for every command that analyses many documents.
#[derive(Args, Debug)]
pub struct JobsArg {
    /// Documents analysed at once, and the threads each long PDF's pages are read on (0: one
    /// per core).
    #[arg(id = "jobs", long = "jobs", short = 'j', default_value_t = 0)]
    pub n: usize,
}

/// `--csv-delimiter`, for every command with a CSV format.
#[derive(Args, Debug)]
pub struct CsvArg {
    /// Field separator for --format csv, e.g. ';' for Norwegian spreadsheets.
    #[arg(id = "csv_delimiter", long = "csv-delimiter", default_value = ",",
        value_parser = parse_delimiter)]
    pub delimiter: u8,
}

/// `--lang`, for every command with HTML pages.
#[derive(Args, Debug)]
pub struct LangArg {
    /// Language of the labels of HTML pages.
    #[arg(id = "lang", long = "lang", value_enum, default_value = "nb")]
    pub lang: byrde::report::lang::Lang,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Analyse documents: a summary per document and a total.
    Analyse(AnalyseArgs),
    /// What changed from one letter (or one year, a folder) to the next, item by item.
    Diff(DiffArgs),
    /// Every series of a corpus, year by year.
    Trend(TrendArgs),
    /// A CI gate: exit 1 when letters break a budget or demand more than a saved run.
    Check(CheckArgs),
    /// Combine the JSONL results of separate runs (`analyse --format jsonl`, one per
    /// machine, share or year) into the report one run over all the documents would give.
    Merge(MergeArgs),
    /// Compare found items with hand-coded *.expected.json files.
    Eval(EvalArgs),
    /// Show how a document was read: every block with its kind, page, line and heading
    /// trail. For writing rules and reporting a wrong count.
    Blocks {
        /// The document.
        path: PathBuf,
    },
    /// List, show and test the rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Internal: read one PDF in a child process and print its pages as JSON (see
    /// src/isolate.rs). Started by `analyse`; not for direct use.
    #[command(name = "__read-pdf", hide = true)]
    ReadPdf {
        #[command(flatten)]
        limits: LimitArgs,
        /// Threads for a long document's pages (0 = one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        path: PathBuf,
    },
}

/// Per-document limits (see the README, "Limits and failure behaviour").
#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Seconds one document may take (reading and analysis) before it is stopped and reported
    /// as timed out.
    #[arg(long, value_name = "SECS", default_value_t = byrde::limits::DEFAULT_TIMEOUT_SECS,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Memory (MiB) one document may use; 0 for no limit. A PDF's reader gets it as its
    /// address space; a text file whose analysis would need more (about 10 bytes per byte)
    /// is refused before it is read.
    #[arg(long, value_name = "MIB", default_value_t = byrde::limits::DEFAULT_MAX_MEMORY_MIB)]
    pub max_memory: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> byrde::limits::Limits {
        byrde::limits::Limits {
            timeout: std::time::Duration::from_secs(self.timeout),
            max_memory_mib: self.max_memory,
        }
    }
}

#[derive(Args, Debug)]
pub struct AnalyseArgs {
    /// Files or folders (searched recursively for .pdf, .txt, .md).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub jobs: JobsArg,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// How the report of a batch is written (`analyse`, `merge`).
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// List every item with file, page, line, heading trail, rule and text.
    #[arg(long)]
    pub items: bool,
    /// Output format. `jsonl` writes a line per document as soon as it is done.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputArg,
    #[command(flatten)]
    pub csv: CsvArg,
    #[command(flatten)]
    pub lang: LangArg,
    /// Exit 0 even when some files could not be read or were read incompletely (they are
    /// still reported on stderr and in `failures`).
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// JSONL files written by `byrde analyse --format jsonl` (with `--items` if the merged
    /// report is to list items). A document in more than one file counts once.
    #[arg(required = true, value_name = "PART.jsonl")]
    pub parts: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The earlier letter, or a folder with one year's letters (main letter + supplerende).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later letter, or a folder.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: byrde::report::diff::Format,
    #[command(flatten)]
    pub output: OutputArg,
    /// Exit with 1 when the new side demands more: styringskrav up, or any of --fail-on up.
    #[arg(long)]
    pub exit_code: bool,
    /// Categories or figures that must not rise, with --exit-code (e.g. oppdrag,rapporteringskrav,reporting_events).
    #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
    pub fail_on: Vec<String>,
    /// List kept items too, not only what changed.
    #[arg(long)]
    pub all: bool,
    /// When to colour the table.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub rules: RulesArg,
}

#[derive(Args, Debug)]
pub struct TrendArgs {
    /// Corpus folders (searched recursively).
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: byrde::report::trend::Format,
    #[command(flatten)]
    pub output: OutputArg,
    #[command(flatten)]
    pub csv: CsvArg,
    #[command(flatten)]
    pub jobs: JobsArg,
    #[command(flatten)]
    pub lang: LangArg,
    /// With --format html: also write a highlighted page for every letter into DIR and link
    /// each year to its letters.
    #[arg(long, value_name = "DIR")]
    pub pages: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RulesArg,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Letters or corpus folders to check (folders are searched recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Budget file with limits per document and per series (see byrde-budget.toml).
    #[arg(long, value_name = "FILE", required_unless_present = "baseline")]
    pub budget: Option<PathBuf>,
    /// A saved `byrde analyse --format json --items` run: no document may demand more than
    /// its saved version (styringskrav, plus --fail-on and the budget's no_increase).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: more categories or figures that must not rise.
    #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
    pub fail_on: Vec<String>,
    /// Check every year of each series, not only the newest.
    #[arg(long)]
    pub all_years: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: byrde::report::check::Format,
    #[command(flatten)]
    pub output: OutputArg,
    #[command(flatten)]
    pub jobs: JobsArg,
    #[command(flatten)]
    pub rules: RulesArg,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Folder with *.expected.json files beside their documents.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Which renderings to analyse (default: both, where a PDF exists).
    #[arg(long, value_enum)]
    pub from: Option<Source>,
    /// List every missed and extra item.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Exit with 1 unless every count of every document is exact.
    #[arg(long)]
    pub strict: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub rules: RulesArg,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// One line per rule: id, kind, category and doc.
    List(RulesArg),
    /// A rule in full: doc, patterns, context, examples.
    Show {
        id: String,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Run every rule's examples (the defaults, or only the files in DIR).
    Test {
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s.as_bytes() {
        [b] if b.is_ascii() && *b != b'"' && *b != b'\n' => Ok(*b),
        _ if s == "\\t" || s == "tab" => Ok(b'\t'),
        _ => Err("must be one ASCII character, such as ',' or ';' or 'tab'".into()),
    }
}
