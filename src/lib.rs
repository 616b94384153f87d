//! byrde measures the steering burden in Norwegian government steering documents.
//!
//! One pass, six stages, each a plain function from one owned value to the next:
//!
//! ```text
//! file ─▶ ingest ─▶ layout ─▶ segment ─▶ classify ─▶ measure ─▶ report
//! ```
//!
//! `meta` reads kind, issuer, recipient and year between segment and classify;
//! `corpus` runs the pipeline over many files; `eval` compares with hand coding.

pub mod analysis;
pub mod bytescan;
pub mod check;
pub mod classify;
pub mod corpus;
pub mod diff;
pub mod eval;
pub mod ingest;
pub mod interrupt;
pub mod isolate;
pub mod layout;
pub mod limits;
pub mod measure;
pub mod merge;
pub mod meta;
pub mod output;
pub mod report;
pub mod rules;
#[cfg(test)]
mod sample_corpus;
pub mod segment;
pub mod stream;
#[cfg(test)]
mod test_random;
pub mod trend;

/// Version of the JSON, JSONL and CSV output shapes. Bump on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;
