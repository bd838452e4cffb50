//! Fuzz targets for womlint (see README.md beside this crate).

#![allow(clippy::expect_used)]

mod harness;

pub use harness::{check, check_text_as, document, expand, settings};
