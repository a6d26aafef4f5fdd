//! Reading `--data` (JSON inline, `@file`, or `-` for stdin).

use std::io::Read;

use serde_json::Value;
use tokensmith::Error;

/// Parses `--data`: inline JSON, `@path` to read a file, `-` to read stdin.
pub(crate) fn json_data(arg: &str) -> Result<Value, Error> {
    let invalid = |reason: String| Error::InvalidInput { field: "--data".into(), reason };
    let text = if arg == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| invalid(format!("cannot read stdin ({e})")))?;
        text
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| invalid(format!("cannot read {path} ({e})")))?
    } else {
        arg.to_owned()
    };
    serde_json::from_str(&text).map_err(|e| invalid(format!("not JSON ({e})")))
}

/// All of stdin, for bodies that are verified byte for byte.
pub(crate) fn stdin_bytes() -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| Error::InvalidInput { field: "stdin".into(), reason: format!("cannot read it ({e})") })?;
    Ok(body)
}
