//! What one invocation needs, built once: where we are, how output looks, and the store
//! (opened on demand, since `init` runs without one).

use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::render::Style;
use crate::settings::{self, Personal, Setting};
use crate::store::{self, Store};

pub struct Context {
    pub cwd: PathBuf,
    pub store_dir: Option<PathBuf>,
    pub style: Style,
    /// Personal settings from git config (`dossier.*`), read once.
    pub personal: Personal,
    /// The colour and pager settings in force, with where they came from.
    pub color: Setting,
    pub pager: Setting,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Context> {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::new("could not read the current folder").cause(e))?;
        let near = store::locate(global.store.as_deref(), &cwd).unwrap_or_else(|_| cwd.clone());
        let personal = Personal::load(Some(&near));
        let (choice, color) = settings::color(global.color, &personal);
        let pager = settings::pager(global.no_pager, &personal);
        Ok(Context {
            cwd,
            store_dir: global.store.clone(),
            style: Style {
                wide: global.wide,
                ..Style::detect(choice)
            },
            personal,
            color,
            pager,
        })
    }

    /// Finds and opens the store.
    pub fn store(&self) -> Result<Store> {
        let root = store::locate(self.store_dir.as_deref(), &self.cwd)?;
        Store::open(&root)
    }
}
