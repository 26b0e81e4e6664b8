//! One integration-test binary, a module per area. Each test drives the built binary in
//! a hermetic environment (see `common`).

mod comfort;
mod common;
mod store;
mod sync;
