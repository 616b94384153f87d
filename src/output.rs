//! Writing results: to stdout, or to a file through a temporary name and a rename, so a
//! reader never sees half a file and an interrupted run leaves the old file intact.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Registered with `interrupt`, so that Ctrl-C removes it rather than leaving it behind.
    let mut tmp = crate::interrupt::create_temp(|| {
        let tmp = tempfile::Builder::new()
            .prefix(".byrde-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let p = tmp.path().to_path_buf();
        Ok((tmp, p))
    })?;
    let tmp_path = tmp.path().to_path_buf();
    let written = tmp
        .write_all(bytes)
        .and_then(|_| test_hook_pause_before_rename())
        .and_then(|_| tmp.as_file().sync_all());
    crate::interrupt::finish_temp(&tmp_path, || {
        written?;
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
