//! What every command shares: its clients' options and how it prints an answer.

use tokensmith::ClientOptions;

/// The options every command's clients use: defaults, tagged so the vendor can tell the CLI's calls apart.
pub(crate) fn options() -> ClientOptions {
    ClientOptions::default().with_user_agent_suffix("cli")
}

/// Prints a JSON value on stdout.
pub(crate) fn print_json(value: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
}
