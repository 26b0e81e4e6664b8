//! `dossier config`: the settings in force and where each came from (flags, environment,
//! git config `dossier.*`, the store's dossier.yaml, defaults). Works outside a store too,
//! showing the personal settings.

use std::io::Write;

use super::emit;
use crate::cli::ConfigArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::render;
use crate::settings;
use crate::store::{self, Store};

pub fn run(ctx: &Context, args: ConfigArgs, out: &mut dyn Write) -> Result<i32> {
    // A store that is there but cannot be opened is worth an error: its settings are
    // part of the answer.
    let opened = match store::locate(ctx.store_dir.as_deref(), &ctx.cwd) {
        Ok(root) => Some(Store::open(&root)?),
        Err(_) => None,
    };
    let store_settings = opened.as_ref().map(|s| &s.settings);
    let list = vec![
        settings::store(ctx.store_dir.as_deref(), opened.as_ref().map(Store::root)),
        ctx.color.clone(),
        ctx.pager.clone(),
        settings::default_language(&ctx.personal, store_settings),
        settings::match_threshold(store_settings),
        settings::diff_view(false, false, &ctx.personal).1,
        settings::editor(),
    ];
    emit(
        out,
        &render::settings::settings(&ctx.style, args.format, &list),
    )?;
    Ok(exit::OK)
}
