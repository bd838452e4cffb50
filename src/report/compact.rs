//! `--format compact`: `path:line:col: severity rule message`, one line each.

use std::io::{self, Write};

use super::Report;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (path, l) in report.findings() {
        let f = &l.finding;
        writeln!(
            out,
            "{path}:{}:{}: {} {} {}",
            l.start.line,
            l.start.column,
            f.severity,
            f.rule,
            one_line(&f.message)
        )?;
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
