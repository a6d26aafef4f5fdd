//! The name of each operation's span: `{vendor}.{method}`, the Rust method's name, in every language.

/// `AkoolClient::request`.
pub const AKOOL_REQUEST: &str = "akool.request";
/// `AkoolClient::token`.
pub const AKOOL_TOKEN: &str = "akool.token";
/// `AkoolClient::auth_headers`.
pub const AKOOL_AUTH_HEADERS: &str = "akool.auth_headers";
/// The token fetch of method 2 (`getToken`), shared by the calls that needed it: a span of its own.
pub const AKOOL_GET_TOKEN: &str = "akool.get_token";
/// `AceDataPlatform::create_credential`.
pub const ACEDATA_CREATE_CREDENTIAL: &str = "acedata.create_credential";
/// `AceDataPlatform::list_credentials` (one page).
pub const ACEDATA_LIST_CREDENTIALS: &str = "acedata.list_credentials";
/// `AceDataPlatform::get_credential`.
pub const ACEDATA_GET_CREDENTIAL: &str = "acedata.get_credential";
/// `AceDataPlatform::update_credential`.
pub const ACEDATA_UPDATE_CREDENTIAL: &str = "acedata.update_credential";
/// `AceDataPlatform::rotate_credential`.
pub const ACEDATA_ROTATE_CREDENTIAL: &str = "acedata.rotate_credential";
/// `AceDataPlatform::delete_credential`.
pub const ACEDATA_DELETE_CREDENTIAL: &str = "acedata.delete_credential";
/// `AceDataPlatform::list_applications` (one page).
pub const ACEDATA_LIST_APPLICATIONS: &str = "acedata.list_applications";
/// `AceDataPlatform::get_application`.
pub const ACEDATA_GET_APPLICATION: &str = "acedata.get_application";

/// Every operation, for bindings that check a name they were given.
pub const ALL: [&str; 11] = [
    AKOOL_REQUEST,
    AKOOL_TOKEN,
    AKOOL_AUTH_HEADERS,
    ACEDATA_CREATE_CREDENTIAL,
    ACEDATA_LIST_CREDENTIALS,
    ACEDATA_GET_CREDENTIAL,
    ACEDATA_UPDATE_CREDENTIAL,
    ACEDATA_ROTATE_CREDENTIAL,
    ACEDATA_DELETE_CREDENTIAL,
    ACEDATA_LIST_APPLICATIONS,
    ACEDATA_GET_APPLICATION,
];

/// The operation called `name`, as the `'static` name a [`CallTrace`](super::CallTrace) takes.
pub fn named(name: &str) -> Option<&'static str> {
    ALL.into_iter().find(|known| *known == name)
}
