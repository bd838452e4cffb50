//! `check --diff`: what a fix would change, as a unified diff.

use similar::TextDiff;

/// The unified diff from `old` to `new` for the file `path`, three lines of context, or an
/// empty string when they are the same. Line ends are kept as they are (a CRLF file shows
/// `\r` at the end of its lines, which `patch` and `git apply` expect).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(path, path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_names_the_file_and_shows_the_changed_line() {
        let diff = unified_diff("a.md", "one\n#sp two\nthree\n", "one\n#ad two\nthree\n");
        assert_eq!(diff, "--- a.md\n+++ a.md\n@@ -1,3 +1,3 @@\n one\n-#sp two\n+#ad two\n three\n");
        assert!(unified_diff("a.md", "same", "same").is_empty());
    }
}
