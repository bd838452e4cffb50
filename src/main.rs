use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::keep_big_blocks_apart();
    womlint::cli::main()
}

/// Process-wide allocator settings: the binary's business, not the library's (a program that
/// links womlint keeps its own).
mod allocator {
    /// Makes glibc serve every block of 128 KiB or more (a file's text, a big document's
    /// blocks, a parse tree) with its own mapping, returned to the system when freed.
    ///
    /// glibc starts there, but raises the threshold to the size of each such block freed (up
    /// to 32 MiB), so after the first big file every later one is carved out of the workers'
    /// heaps, which the small blocks that outlive it (findings, regex caches) pin in place:
    /// over the large benchmark corpus that was 10 MiB of peak memory in pages freed but
    /// never returned. Setting the threshold once, before any thread starts, fixes it.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    pub fn keep_big_blocks_apart() {
        const MMAP_THRESHOLD: libc::c_int = 128 * 1024;
        // SAFETY: `mallopt` only changes a setting of the allocator, and is called here before
        // any other thread exists. A refusal (0) leaves glibc's default, which is only slower
        // to give memory back.
        #[allow(unsafe_code)]
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        }
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    pub fn keep_big_blocks_apart() {}
}
