//! The one process-wide allocator setting `check` makes, over a tree only.

/// Makes glibc serve every block of 128 KiB or more (a file's text, a big document's block
/// list, the Markdown parser's tree) with a mapping of its own, given back to the system when
/// freed.
///
/// glibc starts there, but raises the threshold to the size of each such block freed (up to
/// 32 MiB), so after the first big file every later one is carved out of the workers' heaps,
/// where the small blocks that outlive it (findings, regex caches) pin it: over the large
/// benchmark corpus that was 10 MiB of peak memory in pages freed but never given back. The
/// price is a page fault per page of each such block, which a run over one file, whose big
/// blocks are mostly the rule set's compilation, pays without gaining anything: that is why
/// only a run over a tree, with more than one worker, makes the setting.
///
/// Call it before the workers start: glibc's `mallopt` is not safe to call while other
/// threads allocate.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(super) fn map_big_blocks_apart() {
    const MMAP_THRESHOLD: libc::c_int = 128 * 1024;
    // SAFETY: `mallopt` only changes a setting of the allocator, and the caller runs it while
    // this is the only thread. A refusal (0) leaves glibc's default, which gives memory back
    // later, not wrongly.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(super) fn map_big_blocks_apart() {}
