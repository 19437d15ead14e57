//! Integration tests of the booklet format against the bundled Roubaix booklet.

mod support;

mod bad_input;
mod check;
mod import;
mod round_trip;
