//! The credentials and ids the mock accepts, as the vendors' own examples name them.

/// The Akool client id the mock accepts.
pub const DEMO_CLIENT_ID: &str = "mock-client-id";
/// The Akool client secret the mock accepts; as at Akool, it is also the API key.
pub const DEMO_CLIENT_SECRET: &str = "mock-api-key-0123456789abcdefghi";
/// The Akool API key the mock accepts (the client secret).
pub const DEMO_API_KEY: &str = DEMO_CLIENT_SECRET;
/// The AceData platform token the mock accepts.
pub const DEMO_PLATFORM_TOKEN: &str = "platform-v1-mock-0123456789";
/// An application whose credentials are `Token`s (the id from AceData's own example).
pub const DEMO_APPLICATION_ID: &str = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2";
/// An application of a proxy service, whose credentials are `Identity`s with username and password.
pub const DEMO_PROXY_APPLICATION_ID: &str = "5a1b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";
