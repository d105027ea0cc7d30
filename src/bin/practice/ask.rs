//! Asking for what is missing. At a terminal `practice` asks, with a select
//! list where the answer is one of a few words and `$VISUAL`/`$EDITOR` for
//! long text; without one, or with `--no-input`, it refuses in one line that
//! names the flag to pass. Every prompt says what the answer is for.

use std::fmt::Display;
use std::io::IsTerminal as _;

use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Editor, FuzzySelect, Input, Select};
use practice::action::{Change, Landed};
use practice::identity::Actor;
use practice::register::Register;
use practice::{Error, Result};

/// Whether and how to ask.
pub struct Ask {
    interactive: bool,
    theme: Box<dyn Theme>,
}

fn missing(what: &str, flag: &str) -> Error {
    Error::Missing {
        what: what.into(),
        flag: flag.into(),
    }
}

/// A prompt that failed (the terminal went away, say) is a refusal too.
fn failed(e: dialoguer::Error) -> Error {
    Error::bad(format!(
        "cannot ask at this terminal ({e}); pass the value as a flag"
    ))
}

impl Ask {
    pub fn new(no_input: bool) -> Ask {
        Ask {
            interactive: !no_input
                && std::io::stdin().is_terminal()
                && std::io::stderr().is_terminal(),
            // Colour for people at a terminal, never with NO_COLOR set.
            theme: if std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
                Box::new(ColorfulTheme::default())
            } else {
                Box::new(SimpleTheme)
            },
        }
    }

    pub fn interactive(&self) -> bool {
        self.interactive
    }

    /// `given`, or one of `choices` picked from a list.
    pub fn choose<T: Display + Clone>(
        &self,
        given: Option<T>,
        what: &str,
        flag: &str,
        choices: &[T],
    ) -> Result<T> {
        if let Some(v) = given {
            return Ok(v);
        }
        if !self.interactive {
            return Err(missing(what, flag));
        }
        let i = Select::with_theme(self.theme.as_ref())
            .with_prompt(format!("Choose {what} ({flag})"))
            .items(choices)
            .default(0)
            .interact()
            .map_err(failed)?;
        Ok(choices[i].clone())
    }

    /// `given`, or one of many `choices` found by typing part of it; the
    /// last item lets the person type something not on the list.
    pub fn find(
        &self,
        given: Option<String>,
        what: &str,
        flag: &str,
        choices: &[&str],
    ) -> Result<String> {
        if let Some(v) = given {
            return Ok(v);
        }
        if !self.interactive {
            return Err(missing(what, flag));
        }
        let mut items: Vec<&str> = choices.to_vec();
        items.push("(another organisation: type its name)");
        let i = FuzzySelect::with_theme(self.theme.as_ref())
            .with_prompt(format!("Type to find {what} ({flag})"))
            .items(&items)
            .default(0)
            .interact()
            .map_err(failed)?;
        if i + 1 == items.len() {
            self.text(None, what, flag)
        } else {
            Ok(items[i].to_string())
        }
    }

    /// `given`, or a line typed in.
    pub fn text(&self, given: Option<String>, what: &str, flag: &str) -> Result<String> {
        if let Some(v) = given {
            return Ok(v);
        }
        if !self.interactive {
            return Err(missing(what, flag));
        }
        Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(format!("{} ({flag})", capitalise(what)))
            .interact_text()
            .map_err(failed)
    }

    /// `given`, or text written in the person's editor, starting from
    /// `template`. Lines starting with `#` are guidance and are dropped.
    pub fn long_text(
        &self,
        given: Option<String>,
        what: &str,
        flag: &str,
        template: &str,
    ) -> Result<String> {
        if let Some(v) = given {
            return Ok(v);
        }
        let text = self.edit(
            what,
            flag,
            &format!("# Write {what} below. Lines starting with # are dropped.\n{template}"),
        )?;
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        Ok(kept.join("\n").trim().to_string())
    }

    /// A whole file written in the person's editor, starting from `template`.
    pub fn edit(&self, what: &str, flag: &str, template: &str) -> Result<String> {
        if !self.interactive {
            return Err(missing(what, flag));
        }
        eprintln!("Opening your editor for {what} ({flag}); save and close it to go on.");
        Editor::new()
            .require_save(true)
            .extension(".yaml")
            .edit(template)
            .map_err(|e| {
                Error::bad(format!(
                    "cannot open your editor ({e}); set $EDITOR or pass {flag}"
                ))
            })?
            .ok_or_else(|| {
                Error::bad(format!(
                    "the editor was closed without saving; nothing was changed (or pass {flag})"
                ))
            })
    }

    /// Ask before an act that the whole College will see. `--yes`, or no
    /// terminal to ask at (a script), goes ahead.
    pub fn confirm(&self, yes: bool, question: &str) -> Result<()> {
        if yes || !self.interactive {
            return Ok(());
        }
        let go = Confirm::with_theme(self.theme.as_ref())
            .with_prompt(format!("{question}?"))
            .default(false)
            .interact()
            .map_err(failed)?;
        if go {
            Ok(())
        } else {
            Err(Error::bad(
                "not confirmed; nothing was changed (pass --yes to skip the question)",
            ))
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Text someone typed for an action (in their editor, or at the prompts),
/// kept in the repository's `.git/practice-unsaved/` if the action then
/// fails, with a line saying where: typing is never lost.
pub struct Typed<'r> {
    register: &'r Register,
    /// The kept file's name, after a stamp that keeps it apart from others.
    name: String,
    text: Option<String>,
    /// More text typed for the same action, each with a name of its own.
    more: Vec<(String, String)>,
}

impl<'r> Typed<'r> {
    pub fn new(register: &'r Register, name: impl Into<String>) -> Typed<'r> {
        Typed {
            register,
            name: name.into(),
            text: None,
            more: Vec::new(),
        }
    }

    /// Remember `text` as typed for this action.
    pub fn typed(&mut self, text: String) {
        self.text = Some(text);
    }

    /// Remember `text`, typed for the same action, kept under `name`.
    pub fn typed_also(&mut self, name: impl Into<String>, text: String) {
        self.more.push((name.into(), text));
    }

    /// Read what was typed as a register file (named `label` in errors),
    /// keeping the text when it does not read.
    pub fn parse<T: serde::de::DeserializeOwned + serde::Serialize>(
        &mut self,
        label: &str,
        text: String,
    ) -> Result<T> {
        let parsed = practice::model::parse(label, text.as_bytes());
        self.typed(text);
        parsed.map_err(|e| self.keep(e))
    }

    /// Carry out the action, keeping what was typed if it fails.
    pub fn act(
        &self,
        actor: &Actor,
        plan: impl Fn(&practice::register::State) -> Result<Change>,
    ) -> Result<Landed> {
        self.register.act(actor, plan).map_err(|e| self.keep(e))
    }

    /// `err`, saying where the typed text is kept, if anything was typed.
    fn keep(&self, err: Error) -> Error {
        let texts: Vec<(&str, &str)> = self
            .text
            .iter()
            .map(|t| (self.name.as_str(), t.as_str()))
            .chain(self.more.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .collect();
        if texts.is_empty() {
            return err;
        }
        let dir = self.register.repo().path().join("practice-unsaved");
        // Never over an earlier kept text: each gets a name of its own.
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let mut kept = Vec::new();
        for (name, text) in texts {
            let path = dir.join(format!("{stamp}-{name}"));
            match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, text)) {
                Ok(()) => kept.push(path.display().to_string()),
                Err(_) => return err,
            }
        }
        Error::bad(format!(
            "{}; what you wrote is kept in {}",
            err.to_string().trim_end_matches(['.', ' ']),
            kept.join(" and ")
        ))
    }
}
