//! One integration-test binary, a module per area. Each test drives the built binary in
//! a hermetic environment (see `common`).

mod analysis;
mod comfort;
mod common;
mod diff;
mod fit;
mod hardening;
mod scale;
mod store;
mod sync;
