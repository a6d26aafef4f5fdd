//! `tokensmith-mock`: the mock vendor server as a process, for the test fixtures of the other languages, the
//! benchmarks and the shell. It prints its base URL as the first line of stdout, a note on stderr, and serves
//! until it is killed.
//!
//! The argument parsing is hand-rolled on purpose: one option does not justify a dependency.

use std::process::ExitCode;

use tokensmith_mock::MockServer;

const USAGE: &str = "\
Usage: tokensmith-mock [--addr ADDR]

Serves a loopback stand-in for the Akool OpenAPI and the AceData Cloud platform API (docs/mock.md).
Prints its base URL (e.g. http://127.0.0.1:41234) as the first line of stdout, then serves until killed.

Options:
      --addr ADDR  The address to listen on [default: 127.0.0.1:0]
  -h, --help       Print this help
  -V, --version    Print the version";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Invocation {
    Serve { addr: String },
    Help,
    Version,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Invocation, String> {
    let mut addr = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Invocation::Help),
            "-V" | "--version" => return Ok(Invocation::Version),
            "--addr" => addr = Some(args.next().ok_or("--addr needs a value, e.g. --addr 127.0.0.1:0")?),
            _ => match arg.strip_prefix("--addr=") {
                Some(value) => addr = Some(value.to_owned()),
                None => return Err(format!("unexpected argument {arg:?}")),
            },
        }
    }
    Ok(Invocation::Serve { addr: addr.unwrap_or_else(|| "127.0.0.1:0".to_owned()) })
}

fn main() -> ExitCode {
    let addr = match parse(std::env::args().skip(1)) {
        Ok(Invocation::Serve { addr }) => addr,
        Ok(Invocation::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Invocation::Version) => {
            println!("tokensmith-mock {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("tokensmith-mock: error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = match MockServer::start_on(&addr) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("tokensmith-mock: error: cannot listen on {addr:?} ({e})");
            return ExitCode::from(2);
        }
    };
    // Stdout is line-buffered: the base URL reaches a reading fixture as soon as this line is printed.
    println!("{}", server.base_url());
    eprintln!("tokensmith-mock: serving Akool and AceData on {} (demo credentials: docs/mock.md)", server.base_url());
    server.wait();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::{parse, Invocation};

    fn parsed(args: &[&str]) -> Result<Invocation, String> {
        parse(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn addr_defaults_to_an_ephemeral_loopback_port_and_takes_both_spellings() {
        assert_eq!(parsed(&[]), Ok(Invocation::Serve { addr: "127.0.0.1:0".into() }));
        assert_eq!(parsed(&["--addr", "127.0.0.1:8080"]), Ok(Invocation::Serve { addr: "127.0.0.1:8080".into() }));
        assert_eq!(parsed(&["--addr=[::1]:0"]), Ok(Invocation::Serve { addr: "[::1]:0".into() }));
    }

    #[test]
    fn help_version_and_mistakes() {
        assert_eq!(parsed(&["--help"]), Ok(Invocation::Help));
        assert_eq!(parsed(&["--addr", "x", "-h"]), Ok(Invocation::Help));
        assert_eq!(parsed(&["-V"]), Ok(Invocation::Version));
        assert!(parsed(&["--addr"]).unwrap_err().contains("needs a value"));
        assert!(parsed(&["mock"]).unwrap_err().contains("\"mock\""));
    }
}
