//! Integration tests of the booklet format against the bundled Roubaix booklet.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

mod support;

mod bad_input;
mod check;
mod import;
mod readability;
mod round_trip;
