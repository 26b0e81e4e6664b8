//! `dossier textconv FILE`: a record as lines for git's diff (git's `textconv`).

use std::io::Write;

use crate::cli::TextconvArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::render::textconv;
use crate::store::codec;

pub fn run(ctx: &Context, args: TextconvArgs, out: &mut dyn Write) -> Result<i32> {
    let path = ctx.cwd.join(&args.file);
    let bytes = crate::fsio::read_regular(&path, crate::store::MAX_SOURCE_BYTES)
        .map_err(|e| Error::io("read", &path, e))?;
    // git names a temp file: what it is, the bytes say.
    let text = if let Ok(d) = codec::decode_statement(&bytes, &args.file) {
        Some(textconv::statement(&d.record))
    } else {
        codec::decode_initiative(&bytes, &args.file)
            .ok()
            .map(|d| textconv::initiative(&d.record))
    };
    match text {
        Some(t) => out.write_all(t.as_bytes()),
        None => out.write_all(&bytes),
    }
    .map_err(Error::output)?;
    Ok(exit::OK)
}
