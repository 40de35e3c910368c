fn main() -> std::process::ExitCode {
    slac::cli::run()
}
