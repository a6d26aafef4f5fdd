//! `tokensmith akool ...`: replaces the getToken and authenticated-request cURL snippets.

use clap::Subcommand;
use serde_json::{json, Map, Value};
use tokensmith::{blocking::AkoolClient, Method};

use crate::input;
use crate::shared::{options, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum AkoolCommand {
    /// Print the bearer token (needs AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET).
    Token,
    /// Print the auth header(s) to send with any HTTP client, as a JSON object.
    Headers,
    /// Make an authenticated request and print the answer's `data`.
    Request {
        /// GET, POST, PUT, PATCH or DELETE.
        method: String,
        /// The path, e.g. /api/open/v3/faceswap/quota/info (a query string is kept).
        path: String,
        /// The JSON body: inline, @FILE, or - for stdin.
        #[arg(long)]
        data: Option<String>,
    },
    /// Akool's webhooks (needs AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET).
    #[command(subcommand)]
    Webhook(WebhookCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum WebhookCommand {
    /// Read a webhook body on stdin, check its signature, decrypt it and print the payload.
    Verify {
        /// Also require the payload's `_id` to be this job's (recommended: the signature alone proves little).
        #[arg(long)]
        expect_id: Option<String>,
        /// Reject timestamps further than this many seconds from now.
        #[arg(long)]
        tolerance_seconds: Option<u64>,
    },
}

pub(crate) fn run(command: AkoolCommand) -> tokensmith::Result<()> {
    let akool = AkoolClient::from_env_with(options())?;
    match command {
        AkoolCommand::Token => print_json(&json!({"token": akool.token()?.expose()})),
        AkoolCommand::Headers => {
            let headers: Map<String, Value> =
                akool.auth_headers()?.into_iter().map(|h| (h.name.to_owned(), h.value.expose().into())).collect();
            print_json(&Value::Object(headers));
        }
        AkoolCommand::Webhook(WebhookCommand::Verify { expect_id, tolerance_seconds }) => {
            let mut verifier = akool.webhook_verifier()?;
            if let Some(seconds) = tolerance_seconds {
                verifier = verifier.with_tolerance(std::time::Duration::from_secs(seconds));
            }
            let body = input::stdin_bytes()?;
            let event = match expect_id {
                Some(id) => verifier.verify_expecting_id(&body, &id)?,
                None => verifier.verify(&body)?,
            };
            print_json(&serde_json::to_value(&event).expect("a webhook event is JSON"));
        }
        AkoolCommand::Request { method, path, data } => {
            let method: Method = method.parse()?;
            let body = data.as_deref().map(input::json_data).transpose()?;
            print_json(&akool.request(method, &path, body.as_ref())?);
        }
    }
    Ok(())
}
