//! What one invocation needs, built once: where we are, how output looks, and the store
//! (opened on demand, since `init` runs without one).

use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::render::Style;
use crate::store::{self, Store};

pub struct Context {
    pub cwd: PathBuf,
    pub store_dir: Option<PathBuf>,
    pub style: Style,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Context> {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::new("could not read the current folder").cause(e))?;
        Ok(Context {
            cwd,
            store_dir: global.store.clone(),
            style: Style::detect(global.color),
        })
    }

    /// Finds and opens the store.
    pub fn store(&self) -> Result<Store> {
        let root = store::locate(self.store_dir.as_deref(), &self.cwd)?;
        Store::open(&root)
    }
}
