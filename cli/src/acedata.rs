//! `tokensmith acedata credentials|applications ...`: replaces the credential cURL snippets.

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use tokensmith::blocking::AceDataPlatform;
use tokensmith::{
    Application, ApplicationFilter, Change, Credential, CredentialChanges, CredentialFilter, NewCredential,
};

use crate::shared::{options, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum AceDataCommand {
    /// API credentials of your applications.
    #[command(subcommand)]
    Credentials(CredentialsCommand),
    /// Your applications: their ids are what a credential is created for.
    #[command(subcommand)]
    Applications(ApplicationsCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum ApplicationsCommand {
    /// List your applications.
    List {
        /// Page size.
        #[arg(long)]
        limit: Option<u32>,
        /// How many to skip.
        #[arg(long)]
        offset: Option<u32>,
    },
    /// Show one application.
    Get {
        /// The application's id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CredentialsCommand {
    /// Create a credential (prints it, token included).
    Create(CreateArgs),
    /// List credentials.
    List(ListArgs),
    /// Show one credential.
    Get {
        /// The credential's id.
        id: String,
    },
    /// Change a credential's name, limit or expiry.
    Update(UpdateArgs),
    /// Issue a new token for a credential; the old one stops working at once.
    Rotate {
        /// The credential's id.
        id: String,
    },
    /// Delete a credential; it stops working at once.
    Delete {
        /// The credential's id.
        id: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The application's id (a UUID).
    #[arg(long)]
    application_id: String,
    /// Bind the credential to this domain.
    #[arg(long)]
    host: Option<String>,
    /// A usage limit.
    #[arg(long)]
    limited_amount: Option<f64>,
    /// Expiry, RFC 3339 (e.g. 2030-01-01T00:00:00Z).
    #[arg(long)]
    expired_at: Option<String>,
    /// A name to tell it apart in the console.
    #[arg(long)]
    name: Option<String>,
    /// An API id (a UUID) the credential may call; repeat for several.
    #[arg(long = "allowed-api-id")]
    allowed_api_ids: Vec<String>,
    /// Your own data to keep with it, a JSON object.
    #[arg(long)]
    metadata: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only this application's credentials.
    #[arg(long)]
    application_id: Option<String>,
    /// Only credentials bound to this host.
    #[arg(long)]
    host: Option<String>,
    /// Page size (with --all, the size of each page fetched).
    #[arg(long)]
    limit: Option<u32>,
    /// How many to skip.
    #[arg(long, conflicts_with = "all")]
    offset: Option<u32>,
    /// Every matching credential, fetching page after page.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    /// The credential's id.
    id: String,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    /// A new usage limit.
    #[arg(long, conflicts_with = "no_limit")]
    limited_amount: Option<f64>,
    /// Remove the usage limit.
    #[arg(long)]
    no_limit: bool,
    /// A new expiry, RFC 3339.
    #[arg(long, conflicts_with = "no_expiry")]
    expired_at: Option<String>,
    /// Remove the expiry.
    #[arg(long)]
    no_expiry: bool,
}

pub(crate) fn run(command: AceDataCommand) -> tokensmith::Result<()> {
    let platform = AceDataPlatform::from_env_with(options())?;
    match command {
        AceDataCommand::Credentials(command) => credentials(&platform, command),
        AceDataCommand::Applications(command) => applications(&platform, command),
    }
}

fn applications(platform: &AceDataPlatform, command: ApplicationsCommand) -> tokensmith::Result<()> {
    match command {
        ApplicationsCommand::List { limit, offset } => {
            let page = platform.list_applications(&ApplicationFilter { limit, offset })?;
            let items: Vec<Value> = page.items.iter().map(application_json).collect();
            print_json(&json!({"count": page.count, "items": items}));
        }
        ApplicationsCommand::Get { id } => print_json(&application_json(&platform.get_application(&id)?)),
    }
    Ok(())
}

fn credentials(platform: &AceDataPlatform, command: CredentialsCommand) -> tokensmith::Result<()> {
    match command {
        CredentialsCommand::Create(args) => {
            let new = NewCredential {
                application_id: args.application_id,
                host: args.host,
                limited_amount: args.limited_amount,
                expired_at: args.expired_at,
                name: args.name,
                allowed_api_ids: (!args.allowed_api_ids.is_empty()).then_some(args.allowed_api_ids),
                metadata: NewCredential::metadata_from_json(args.metadata.as_deref())?,
            };
            print_json(&credential_json(&platform.create_credential(&new)?));
        }
        CredentialsCommand::List(args) => {
            let filter = CredentialFilter {
                application_id: args.application_id,
                host: args.host,
                limit: args.limit,
                offset: args.offset,
            };
            let (count, items) = if args.all {
                let all = platform.iter_credentials(&filter).collect::<tokensmith::Result<Vec<_>>>()?;
                (all.len() as u64, all)
            } else {
                let page = platform.list_credentials(&filter)?;
                (page.count, page.items)
            };
            let items: Vec<Value> = items.iter().map(credential_json).collect();
            print_json(&json!({"count": count, "items": items}));
        }
        CredentialsCommand::Get { id } => print_json(&credential_json(&platform.get_credential(&id)?)),
        CredentialsCommand::Update(args) => {
            let changes = CredentialChanges {
                name: args.name,
                limited_amount: Change::from_parts("--limited-amount", args.limited_amount, args.no_limit)?,
                expired_at: Change::from_parts("--expired-at", args.expired_at, args.no_expiry)?,
                allowed_api_ids: None,
            };
            print_json(&credential_json(&platform.update_credential(&args.id, &changes)?));
        }
        CredentialsCommand::Rotate { id } => print_json(&credential_json(&platform.rotate_credential(&id)?)),
        CredentialsCommand::Delete { id } => {
            platform.delete_credential(&id)?;
            print_json(&json!({"deleted": id}));
        }
    }
    Ok(())
}

/// A credential as the platform documents it. The token and password are printed: that is what the user asked
/// for, on stdout, where the cURL snippet printed them too.
pub(crate) fn credential_json(c: &Credential) -> Value {
    json!({
        "id": c.id,
        "user_id": c.user_id,
        "application_id": c.application_id,
        "type": c.kind.as_str(),
        "token": c.token.as_ref().map(|s| s.expose()),
        "username": c.username,
        "password": c.password.as_ref().map(|s| s.expose()),
        "host": c.host,
        "limited_amount": c.limited_amount,
        "used_amount": c.used_amount,
        "expired_at": c.expired_at,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "name": c.name,
    })
}

/// An application as the platform documents it (it holds no secret).
fn application_json(a: &Application) -> Value {
    json!({
        "id": a.id,
        "user_id": a.user_id,
        "service_id": a.service_id,
        "type": a.kind,
        "scope": a.scope,
        "remaining_amount": a.remaining_amount,
        "used_amount": a.used_amount,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    })
}
