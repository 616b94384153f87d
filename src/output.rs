//! Writing results: to stdout, or to a file through a temporary name and a rename, so a
//! reader never sees half a file and an interrupted run leaves the old file intact.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".byrde-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write to `-o FILE` when given, else to stdout.
pub fn emit(out: Option<&Path>, text: &str) -> std::io::Result<()> {
    match out {
        Some(p) => write_atomic(p, text.as_bytes()),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                // A closed pipe (`byrde ... | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r,
            }
        }
    }
}

/// Output written piece by piece (`--format jsonl` streams a line per document): to
/// stdout, flushed after every piece so a reader sees each line when it is done, or to a
/// temporary file renamed into place by `finish`, so `-o FILE` stays atomic.
pub enum Sink {
    Stdout {
        out: std::io::Stdout,
        /// The reader went away (`byrde ... | head`): write nothing more, and that is fine.
        closed: bool,
    },
    File {
        tmp: std::io::BufWriter<tempfile::NamedTempFile>,
        path: std::path::PathBuf,
    },
}

impl Sink {
    pub fn open(out: Option<&Path>) -> std::io::Result<Sink> {
        Ok(match out {
            None => Sink::Stdout {
                out: std::io::stdout(),
                closed: false,
            },
            Some(path) => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let tmp = tempfile::Builder::new()
                    .prefix(".byrde-")
                    .suffix(".tmp")
                    .tempfile_in(dir)?;
                Sink::File {
                    tmp: std::io::BufWriter::new(tmp),
                    path: path.to_path_buf(),
                }
            }
        })
    }

    /// Write one piece. Returns false once stdout is closed (stop producing).
    pub fn write(&mut self, text: &str) -> std::io::Result<bool> {
        match self {
            Sink::Stdout { out, closed } => {
                if *closed {
                    return Ok(false);
                }
                let mut lock = out.lock();
                match lock.write_all(text.as_bytes()).and_then(|_| lock.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        *closed = true;
                        Ok(false)
                    }
                    Err(e) => Err(e),
                    Ok(()) => Ok(true),
                }
            }
            Sink::File { tmp, .. } => tmp.write_all(text.as_bytes()).map(|_| true),
        }
    }

    /// Put the file in place (a no-op for stdout).
    pub fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Stdout { .. } => Ok(()),
            Sink::File { tmp, path } => {
                let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_all()?;
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}
