use std::process::ExitCode;

fn main() -> ExitCode {
    womlint::cli::main()
}
