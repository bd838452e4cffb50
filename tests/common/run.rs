//! Running the womlint binary from a test, as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// The binary, run in `dir`, without colour or the terminal's width or CI's settings.
pub fn command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_womlint"));
    command.current_dir(dir).env("NO_COLOR", "1").env_remove("COLUMNS").env_remove("CI");
    command
}

/// Runs `womlint ARGS` in `dir`.
pub fn womlint(dir: &Path, args: &[&str]) -> Run {
    command(dir).args(args).output().expect("womlint runs").into()
}
