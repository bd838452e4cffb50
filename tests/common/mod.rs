//! What the integration tests share.

/// The fields every JSON diagnostic carries (the CONTRACT).
pub const DIAGNOSTIC_FIELDS: [&str; 12] = [
    "path",
    "rule",
    "principle",
    "severity",
    "message",
    "help",
    "line",
    "column",
    "end_line",
    "end_column",
    "byte_start",
    "byte_end",
];
