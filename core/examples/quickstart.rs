//! The README's Rust usage, compiled with the workspace so it cannot drift:
//! `AKOOL_API_KEY=... ACEDATA_PLATFORM_TOKEN=... cargo run -p tokensmith --example quickstart`.

use tokensmith::{AceDataPlatform, AkoolClient, Method, NewCredential};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Method 1 (recommended): x-api-key. Or AkoolClient::from_client_credentials(id, secret) for method 2,
    // or AkoolClient::from_env() (AKOOL_API_KEY, else AKOOL_CLIENT_ID + AKOOL_CLIENT_SECRET; AKOOL_BASE_URL).
    let akool = AkoolClient::from_api_key(std::env::var("AKOOL_API_KEY")?)?;
    let quota = akool.request(Method::Get, "/api/open/v3/faceswap/quota/info", None).await?;
    println!("quota: {quota}");

    // Headers for a request made with another HTTP library:
    for header in akool.auth_headers().await? {
        println!("{}: <{} bytes>", header.name, header.value.expose().len());
    }

    // AceData: ACEDATA_PLATFORM_TOKEN (and ACEDATA_PLATFORM_BASE_URL).
    let platform = AceDataPlatform::from_env()?;
    let new = NewCredential::new("107f8d0f-e465-4a7e-a49e-d633d26f7aa2").with_limited_amount(100.0);
    let credential = platform.create_credential(&new).await?;
    let token = credential.token.as_ref().map(|t| t.expose());
    println!("{credential} (token: {} bytes)", token.map_or(0, str::len));

    // The same calls from code that blocks (a thread, a CLI): tokensmith::blocking, same names, no `.await`.
    let blocking = tokensmith::blocking::AkoolClient::from(akool);
    println!("quota again: {}", blocking.request(Method::Get, "/api/open/v3/faceswap/quota/info", None)?);
    Ok(())
}
