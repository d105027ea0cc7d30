use std::path::PathBuf;

use practice::{Error, Result, model, ops};

use crate::Context;

/// Attach an evidence file to an activity (its submitter or an editor,
/// while it is open): a PDF, an image, a spreadsheet or plain text, up to
/// 20 MiB, kept under submissions/ID/evidence/ and listed with its size and
/// type. Only an editor makes one --public: the website then links it.
///
/// Example: practice attach evr-dorset-police evaluation.pdf --name evaluation-2025.pdf
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// The file to attach
    file: PathBuf,
    /// The name to keep it under [default: the file's own name]
    #[arg(long)]
    name: Option<String>,
    /// Link it from the published entry's page (editors)
    #[arg(long)]
    public: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Error::bad(format!("{} names no file; give one", args.file.display()))
            })?,
    };
    // Measured before it is read: a file far too large is never loaded.
    let size = std::fs::metadata(&args.file)
        .map_err(|e| Error::io(&args.file, e))?
        .len();
    if size > model::MAX_EVIDENCE_BYTES {
        return Err(Error::bad(format!(
            "{} is {} MiB; the register takes files up to 20 MiB (link a larger one from the activity's evidence instead)",
            args.file.display(),
            size >> 20
        )));
    }
    let content = std::fs::read(&args.file).map_err(|e| Error::io(&args.file, e))?;
    let landed = register.act(&actor, |state| {
        ops::attach(state, &actor, &args.id, &name, &content, args.public)
    })?;
    super::report(&landed);
    Ok(())
}
