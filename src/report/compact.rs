//! `--format compact`: `path:line:col: severity rule message`, one line each.

use std::io::{self, Write};

use super::Report;
use crate::escape;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        let path = escape::path(&file.path);
        for l in &file.findings {
            let f = &l.finding;
            writeln!(
                out,
                "{path}:{}:{}: {} {} {}",
                l.start.line,
                l.start.column,
                f.severity,
                escape::text(&f.rule),
                escape::text(&one_line(&f.message))
            )?;
        }
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
