//! `tokensmith`: the vendors' cURL snippets as one command. Secrets come from the environment only (flags leak
//! into shell history and `ps`); results are JSON on stdout; errors are one line on stderr with a non-zero exit.

mod acedata;
mod akool;
/// `tokensmith demo` exists only with the cargo feature `demo` (off by default), the one thing that pulls in
/// `tokensmith-mock`: the binary users install talks to the real vendors and should not link a test server, tokio
/// and hyper for a walkthrough. Run the demo with `cargo run -q -p tokensmith-cli --features demo -- demo`; the
/// mock server as a process is the `tokensmith-mock` binary.
#[cfg(feature = "demo")]
mod demo;
mod input;
mod shared;
#[cfg(feature = "demo")]
mod trace_tree;

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use tokensmith::logging::{LevelFilter, LogRecord};
use tokensmith::{Error, ErrorKind};

#[derive(Debug, Parser)]
#[command(name = "tokensmith", version, about = "Akool and AceData Cloud authentication from the shell")]
#[command(after_help = "Secrets are read from the environment: AKOOL_API_KEY, or AKOOL_CLIENT_ID and \
AKOOL_CLIENT_SECRET; ACEDATA_PLATFORM_TOKEN. AKOOL_BASE_URL and ACEDATA_PLATFORM_BASE_URL override the hosts.\n\
Exit codes: 0 success, 1 API or network failure, 2 bad input or configuration, 3 authentication refused, \
4 webhook rejected.")]
struct Cli {
    /// Log what the client does on stderr: -v requests' retries and token renewals, -vv every request, -vvv all.
    /// Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Walk through both Akool methods and a credential's lifecycle against the built-in mock (no network).
    #[cfg(feature = "demo")]
    Demo {
        /// Print each call's spans (attempts, retries, the token fetch) as a tree, as OpenTelemetry records them.
        #[arg(long)]
        trace: bool,
    },
    /// Akool OpenAPI: tokens, headers and authenticated requests.
    #[command(subcommand)]
    Akool(akool::AkoolCommand),
    /// AceData Cloud platform.
    #[command(subcommand)]
    Acedata(acedata::AceDataCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    log_to_stderr(cli.verbose);
    let result = match cli.command {
        #[cfg(feature = "demo")]
        Command::Demo { trace } => demo::run(trace),
        Command::Akool(command) => akool::run(command),
        Command::Acedata(command) => acedata::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tokensmith: error: {error}");
            ExitCode::from(exit_code(&error))
        }
    }
}

fn exit_code(error: &Error) -> u8 {
    match error.kind() {
        ErrorKind::InvalidInput | ErrorKind::MissingConfig | ErrorKind::Unsupported => 2,
        ErrorKind::Authentication | ErrorKind::AccountBanned => 3,
        ErrorKind::WebhookRejected => 4,
        _ => 1,
    }
}

/// Sends the core's records to stderr, one line each, at the level `-v`s ask for (none by default).
fn log_to_stderr(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => LevelFilter::Info,
        2 => LevelFilter::Debug,
        _ => LevelFilter::Trace,
    };
    let sink =
        |record: LogRecord| eprintln!("tokensmith: {}: {}", record.level.as_str().to_lowercase(), record.message);
    tokensmith::logging::set_sink(Some(Arc::new(sink)), level);
}
