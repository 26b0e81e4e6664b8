//! One integration-test binary, a module per area. Each test drives the built binary in
//! a hermetic environment (see `common`).

mod analysis;
mod comfort;
mod common;
mod diff;
mod hardening;
mod hostile_remote;
mod races;
mod scale;
mod store;
mod sync;
