//! `keyline`: check, run, render, explain, impact, rules, import and audit for Keyline scenarios
//! (SPEC §5), and `lesson` for the course's authors.
//!
//! `main` only turns what [`try_main`] returns into an exit code: every command returns a
//! [`Status`] (0, 1 or 2, SPEC §5) or an [`Error`], and every write is checked, so a reader
//! that goes away (`keyline run big.kl | head`) is noticed and ends the command.

mod args;
mod commands;
mod error;
mod input;
mod markdown;
mod output;

use args::{Cli, Command, LessonCommand};
use clap::Parser;
use commands::Status;
use error::Error;
use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
    match try_main() {
        Ok(status) => status.into(),
        // The reader of standard output went away (`keyline run big.kl | head`): it has all it
        // wanted, so stop quietly and successfully, as a C tool killed by SIGPIPE would. Rust
        // ignores SIGPIPE, so the signal arrives as this error instead.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            // If standard error cannot be written either, there is nowhere left to say so:
            // the exit code still tells.
            let _ = e.report(&mut io::stderr().lock());
            Status::Invalid.into()
        }
    }
}

/// Parses the arguments and runs the command.
fn try_main() -> Result<Status, Error> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version are printed to standard output and succeed; a usage error goes
        // to standard error with exit 2.
        Err(e) => {
            e.print()?;
            return Ok(if e.use_stderr() {
                Status::Invalid
            } else {
                Status::Success
            });
        }
    };
    match cli.command {
        Command::Check { files } => commands::check(&files),
        Command::Run {
            file,
            json,
            markdown,
        } => commands::run(&file, json, markdown),
        Command::Render {
            file,
            html: _,
            svg,
            fragment,
            stylesheet,
            view,
            app_url,
        } => commands::render(&commands::RenderArgs {
            file,
            svg,
            fragment,
            stylesheet,
            view: view.map(Into::into).unwrap_or_default(),
            app_url,
        }),
        Command::Explain { file, resource } => commands::explain(&file, &resource),
        Command::Impact { file, key, action } => {
            commands::impact(&file, &key, action.map(Into::into))
        }
        Command::Audit { file, json } => commands::audit(&file, json),
        Command::Import { files, today } => commands::import(&files, today),
        Command::Rules { id } => commands::rules(id.as_deref()),
        Command::Lesson(LessonCommand::List { dir, json }) => {
            commands::lesson::list(dir.as_deref(), json)
        }
        Command::Lesson(LessonCommand::Check { dir }) => commands::lesson::check(dir.as_deref()),
        Command::Lesson(LessonCommand::Solution { id, dir }) => {
            commands::lesson::solution(&id, dir.as_deref())
        }
    }
}
