//! `dossier diff`

use std::io::Write;

use crate::cli::DiffArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: DiffArgs, _out: &mut dyn Write) -> Result<i32> {
    Err(Error::new("diff is not available yet"))
}
