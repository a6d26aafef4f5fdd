//! `tokensmith demo`: both Akool methods and a credential's whole lifecycle, against the mock started in-process.
//! Needs no network and no real credentials; secrets are printed redacted, as the library prints them.
//! Compiled only with the cargo feature `demo` (see `mod demo` in main.rs for why).

use serde_json::json;
use tokensmith::{
    blocking::{AceDataPlatform, AkoolClient},
    AkoolCredentials, Change, CredentialChanges, CredentialFilter, Error, Method, NewCredential, Secret,
};
use tokensmith_mock::{
    MockServer, DEMO_API_KEY, DEMO_APPLICATION_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PLATFORM_TOKEN,
};

use crate::shared::options;
use crate::trace_tree::TraceTree;
use tokensmith::telemetry::operations as op;

const QUOTA: &str = "/api/open/v3/faceswap/quota/info";
const SPECIFY_IMAGE: &str = "/api/open/v3/faceswap/highquality/specifyimage";

fn step(title: &str) {
    println!("\n==> {title}");
}

fn show(label: &str, value: impl std::fmt::Display) {
    println!("    {label}: {value}");
}

/// Runs the walkthrough; with `trace`, each call's spans are printed as a tree under it.
pub(crate) fn run(trace: bool) -> tokensmith::Result<()> {
    let tree = TraceTree { on: trace };
    let mock = MockServer::start().map_err(|e| Error::Transport(format!("could not start the mock server: {e}")))?;
    let options = options().with_base_url(mock.base_url());
    println!("tokensmith demo: a mock of both vendor APIs is listening on {}", mock.base_url());

    step("Akool method 1: API key, sent as x-api-key on every request");
    let akool = AkoolClient::new(AkoolCredentials::ApiKey(Secret::new(DEMO_API_KEY)), options.clone())?;
    let data = tree.call(&akool, op::AKOOL_REQUEST, |c| c.request(Method::Get, QUOTA, None))?;
    show("GET quota/info answered with auth", &data["auth"]);
    show("client (secrets redacted)", format!("{akool:?}"));

    step("Akool method 2: client id and secret -> getToken -> Authorization: Bearer");
    let credentials = AkoolCredentials::ClientCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
    };
    let akool = AkoolClient::new(credentials, options.clone())?;
    show("token()", tree.call(&akool, op::AKOOL_TOKEN, |c| c.token())?);
    let body = json!({"sourceImage": [{"path": "https://example.com/face.png"}], "modifyImage": "https://example.com/target.png"});
    let data = tree.call(&akool, op::AKOOL_REQUEST, |c| c.request(Method::Post, SPECIFY_IMAGE, Some(&body)))?;
    show("POST specifyimage answered with auth", &data["auth"]);
    show("getToken requests so far", mock.count("POST", "/api/open/v3/getToken"));

    step("The token expires server-side: the client fetches a new one once and repeats the call once");
    mock.expire_tokens();
    let data = tree.call(&akool, op::AKOOL_REQUEST, |c| c.request(Method::Get, QUOTA, None))?;
    show("GET quota/info answered with auth", &data["auth"]);
    show("getToken requests so far", mock.count("POST", "/api/open/v3/getToken"));

    step("Business codes are errors even under HTTP 200");
    mock.push_fault(json!({"kind": "akool_code", "code": 1200})).map_err(|e| Error::Transport(e.to_string()))?;
    show("error", tree.call(&akool, op::AKOOL_REQUEST, |c| c.request(Method::Get, QUOTA, None)).unwrap_err());

    step("A 503 is retried (a read is idempotent); each attempt is its own span under --trace");
    mock.push_fault(json!({"kind": "status", "status": 503, "path": QUOTA, "retry_after": "0"}))
        .map_err(|e| Error::Transport(e.to_string()))?;
    let data = tree.call(&akool, op::AKOOL_REQUEST, |c| c.request(Method::Get, QUOTA, None))?;
    show("GET quota/info answered with auth", &data["auth"]);

    step("AceData Cloud: a credential's lifecycle with a platform token");
    let platform = AceDataPlatform::new(DEMO_PLATFORM_TOKEN, options)?;
    let new = NewCredential::new(DEMO_APPLICATION_ID).with_limited_amount(100.0);
    let created = tree.call(&platform, op::ACEDATA_CREATE_CREDENTIAL, |c| c.create_credential(&new))?;
    show(
        "created",
        format!(
            "{} ({}, token {})",
            created.id,
            created.kind.as_str(),
            created.token.as_ref().map(Secret::to_string).unwrap_or_default()
        ),
    );
    let filter = CredentialFilter { application_id: Some(DEMO_APPLICATION_ID.into()), ..Default::default() };
    let page = tree.call(&platform, op::ACEDATA_LIST_CREDENTIALS, |c| c.list_credentials(&filter))?;
    show("listed", format!("{} credential(s)", page.count));
    let changes = CredentialChanges { name: Some("demo".into()), limited_amount: Change::Clear, ..Default::default() };
    let updated =
        tree.call(&platform, op::ACEDATA_UPDATE_CREDENTIAL, |c| c.update_credential(&created.id, &changes))?;
    show("updated", format!("name {:?}, limit {:?}", updated.name.unwrap_or_default(), updated.limited_amount));
    let rotated = tree.call(&platform, op::ACEDATA_ROTATE_CREDENTIAL, |c| c.rotate_credential(&created.id))?;
    show("rotated", format!("same id: {}, new token: {}", rotated.id == created.id, rotated.token != created.token));
    tree.call(&platform, op::ACEDATA_DELETE_CREDENTIAL, |c| c.delete_credential(&created.id))?;
    let gone = tree.call(&platform, op::ACEDATA_GET_CREDENTIAL, |c| c.get_credential(&created.id)).unwrap_err();
    show("deleted; get now says", gone);

    step("Bad input is refused before any request");
    show("error", platform.create_credential(&NewCredential::new("not-a-uuid")).unwrap_err());
    show(
        "error",
        AkoolClient::new(
            AkoolCredentials::ApiKey(Secret::new("k")),
            tokensmith::ClientOptions::default().with_base_url("http://openapi.akool.com"),
        )
        .unwrap_err(),
    );

    println!("\nDone: {} requests reached the mock.", mock.counts().values().sum::<u64>());
    Ok(())
}
