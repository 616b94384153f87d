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

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Analyse documents: a summary per document and a total.
    Analyse(AnalyseArgs),
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
    /// Memory (MiB of address space) the reader of one PDF may use; 0 for no limit.
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
    /// List every item with file, page, line, heading trail, rule and text.
    #[arg(long)]
    pub items: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write the output to FILE (atomically: a temporary file renamed into place).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Field separator for --format csv, e.g. ';' for Norwegian spreadsheets.
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    pub csv_delimiter: u8,
    /// Documents analysed at once (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Exit 0 even when some files could not be read or were read incompletely (they are
    /// still reported on stderr and in `failures`).
    #[arg(long)]
    pub keep_going: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
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
