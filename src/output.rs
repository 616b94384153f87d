//! Writing results: to stdout, or to a file through a temporary name and a rename, so a
//! reader never sees half a file and an interrupted run leaves the old file intact.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = temp_beside(path)?;
    let written = tmp
        .write_all(bytes)
        .and_then(|_| test_hook_pause_before_rename());
    put_in_place(tmp, written, path)
}

/// A temporary file in `path`'s folder (so the rename cannot cross file systems),
/// registered with `interrupt` so that Ctrl-C removes it rather than leaving it behind.
fn temp_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    crate::interrupt::create_temp(|| {
        let tmp = tempfile::Builder::new()
            .prefix(".byrde-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let p = tmp.path().to_path_buf();
        Ok((tmp, p))
    })
}

/// Sync `tmp` and rename it onto `path` if writing it went well (`written`), else remove
/// it; either way without an interrupt in the middle.
fn put_in_place(
    tmp: tempfile::NamedTempFile,
    written: std::io::Result<()>,
    path: &Path,
) -> std::io::Result<()> {
    let tmp_path = tmp.path().to_path_buf();
    crate::interrupt::finish_temp(&tmp_path, || {
        written?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })
}

/// Test hook: `BYRDE_TEST_PAUSE_BEFORE_RENAME=SECS` waits with the temporary file written
/// but not yet renamed, so that a test can interrupt byrde in exactly that window
/// (tests/interrupt.rs). Unset in normal use.
fn test_hook_pause_before_rename() -> std::io::Result<()> {
    if let Some(secs) = std::env::var("BYRDE_TEST_PAUSE_BEFORE_RENAME")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_secs(secs));
    }
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
            Some(path) => Sink::File {
                tmp: std::io::BufWriter::new(temp_beside(path)?),
                path: path.to_path_buf(),
            },
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
            Sink::File { tmp, path } => match tmp.into_inner() {
                Ok(tmp) => put_in_place(tmp, Ok(()), &path),
                Err(e) => {
                    let (error, tmp) = e.into_parts();
                    put_in_place(tmp.into_parts().0, Err(error), &path)
                }
            },
        }
    }
}
