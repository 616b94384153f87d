//! Resource limits for one document, and how the PDF worker process applies them to itself.
//!
//! The limits are enforced by the operating system, not by polling inside the extractor,
//! because the code they guard (pdf-extract and lopdf) cannot be interrupted from outside:
//!
//! - **time**: the parent kills the worker after `--timeout` (see `crate::isolate`); as a
//!   backstop for a worker whose parent died without killing it, the worker also sets a
//!   CPU-time limit (`RLIMIT_CPU`) a little above the budget times its threads and asks
//!   Linux to kill it when its parent goes (`PR_SET_PDEATHSIG`);
//! - **memory**: the worker caps its own address space (`RLIMIT_AS`) at `--max-memory`, so a
//!   decompression bomb (a few kilobytes of nested Flate streams that inflate to gigabytes)
//!   makes an allocation fail and the worker abort, which the parent reports as
//!   "ran out of memory". A cap on the address space rather than on resident memory is what
//!   Linux enforces at allocation time; the worker's address space is its heap, the mapped
//!   binary and a stack per thread (threads read a long document's pages, `--jobs` of them).
//!   glibc would also reserve 64 MiB of address space for a malloc arena per thread (up to
//!   eight per core), which on a large machine would eat the cap before any PDF did: the
//!   worker keeps to two arenas ([`few_malloc_arenas`]).
//!
//! On other systems than Linux and the BSDs only the parent's kill after `--timeout` applies.

use std::time::Duration;

/// Default time budget per document (`--timeout`).
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// Default address-space cap for the PDF worker in MiB (`--max-memory`). A 1,000-page
/// letter needs well under 200 MiB (see the README's limits section); 2 GiB leaves room for
/// PDFs with large embedded images and still stops a bomb long before the machine swaps.
pub const DEFAULT_MAX_MEMORY_MIB: u64 = 2048;
/// Seconds of CPU time the worker may use beyond the wall-clock budget before the kernel
/// stops it (only matters when the parent could not kill it).
const CPU_SLACK_SECS: u64 = 10;

/// What one document may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time for reading one PDF.
    pub timeout: Duration,
    /// Address space of the PDF worker, in MiB; 0 means no cap.
    pub max_memory_mib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_memory_mib: DEFAULT_MAX_MEMORY_MIB,
        }
    }
}

/// Apply the limits to the current process (the worker calls this first thing), which
/// runs on `threads` threads. Failing to set a limit is not fatal: the parent's timeout
/// still holds.
pub fn apply_to_self(limits: &Limits, threads: usize) {
    #[cfg(unix)]
    {
        if limits.max_memory_mib > 0 {
            set_rlimit(
                libc::RLIMIT_AS,
                limits.max_memory_mib.saturating_mul(1 << 20),
            );
        }
        // CPU time accrues on every thread at once.
        let cpu = limits
            .timeout
            .as_secs()
            .saturating_mul(threads.max(1) as u64)
            .saturating_add(CPU_SLACK_SECS);
        set_rlimit(libc::RLIMIT_CPU, cpu);
    }
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
    }
}

/// At most two malloc arenas in this process (glibc), so that the address-space cap is
/// spent on the document, not on arenas reserved for each thread. Call it before starting
/// threads: an arena is given to a thread at its first allocation.
pub fn few_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets an allocator parameter; it touches no memory of ours.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Fixed malloc thresholds (glibc): blocks under 32 MiB come from the heap, and the heap
/// gives freed memory back to the kernel only when 64 MiB of it are free at its top.
///
/// glibc's defaults start at 128 KiB for both and move up only after a large block is
/// freed, so reading a PDF (a decompression buffer per content stream, many of them
/// larger than 128 KiB) kept mapping fresh pages, which the kernel zeroes, and handing
/// them back: about a quarter of the page faults and 7 % of the CPU time of `analyse`
/// on the real PDFs (README, Performance). A worker lives for one document; what a heap
/// keeps is used again by the next allocations, and the peak memory of 2,000 letters went
/// down, not up (goal 3b). 32 MiB is the top of glibc's own moving threshold on 64-bit
/// systems (some versions refuse more). Memory a heap keeps still counts against the
/// worker's address-space cap, which matters only for caps far below the default. Call it
/// before starting threads.
pub fn steady_malloc_thresholds() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets an allocator parameter; it touches no memory of ours.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

#[cfg(unix)]
fn set_rlimit(resource: RlimitResource, value: u64) {
    let value = value as libc::rlim_t;
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit read and write only the struct passed by reference.
    unsafe {
        if libc::getrlimit(resource, &mut current) != 0 {
            return;
        }
        // Never raise a limit someone else set lower.
        let hard = current.rlim_max;
        let soft = if hard == libc::RLIM_INFINITY {
            value
        } else {
            value.min(hard)
        };
        let new = libc::rlimit {
            rlim_cur: soft,
            rlim_max: hard,
        };
        libc::setrlimit(resource, &new);
    }
}

#[cfg(all(unix, target_os = "linux", target_env = "gnu"))]
type RlimitResource = libc::__rlimit_resource_t;
#[cfg(all(unix, not(all(target_os = "linux", target_env = "gnu"))))]
type RlimitResource = libc::c_int;
