// slac allocates many small strings (syntax trees, YAML output); mimalloc
// serves them markedly faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    slac::cli::run()
}
