//! Errors of the HTTP stack as one line of text.

/// The error and its causes on one line ("client error (Connect): tcp connect error: connection refused"). URLs
/// carry no secrets: secrets travel only in headers and bodies.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
