// slac allocates many small strings (syntax trees, YAML output); mimalloc
// serves them markedly faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_huge_pages();
    slac::cli::run()
}

/// Transparent huge pages back mimalloc's arenas with 2 MiB pages that a
/// short-lived compiler half fills: about a third of `slac build`'s peak
/// memory, at no measurable gain in speed (BENCHMARKS.md). Turned off for
/// this process before anything is allocated; harmless where unsupported.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integer arguments only and
    // changes this process's own memory policy.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
