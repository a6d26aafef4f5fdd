//! `Tokensmith\Credential`: a credential whose fields read as properties (`$credential->token`), while
//! `var_dump`, `print_r`, `var_export` and `json_encode` never show its token or password: the fields are not
//! PHP properties at all, only answers of `__get`.

use std::collections::HashMap;

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

/// A credential. Its fields read as properties (snake_case, as the platform names them); `token` and `password`
/// are secrets, which `var_dump`, `print_r`, `var_export` and `json_encode` never show.
///
/// @property-read string $id
/// @property-read string|null $user_id
/// @property-read string $application_id
/// @property-read string $type `Token` or `Identity`
/// @property-read string|null $token
/// @property-read string|null $username
/// @property-read string|null $password
/// @property-read string|null $host
/// @property-read float|null $limited_amount
/// @property-read float|null $used_amount
/// @property-read string|null $expired_at
/// @property-read string|null $created_at
/// @property-read string|null $updated_at
/// @property-read string|null $name
#[php_class]
#[php(name = "Tokensmith\\Credential")]
#[derive(Debug)]
pub struct Credential(pub(crate) tokensmith::Credential);

#[php_impl]
impl Credential {
    /// A field by name; `token` and `password` are secrets.
    pub fn __get(&self, name: String) -> Zval {
        let c = &self.0;
        let text = |v: Option<&str>| v.map_or_else(Zval::new, |v| zval(v.to_owned()));
        let number = |v: Option<f64>| v.map_or_else(Zval::new, zval);
        match name.as_str() {
            "id" => zval(c.id.clone()),
            "user_id" => text(c.user_id.as_deref()),
            "application_id" => zval(c.application_id.clone()),
            "type" => zval(c.kind.as_str().to_owned()),
            "token" => text(c.token.as_ref().map(|s| s.expose())),
            "username" => text(c.username.as_deref()),
            "password" => text(c.password.as_ref().map(|s| s.expose())),
            "host" => text(c.host.as_deref()),
            "limited_amount" => number(c.limited_amount),
            "used_amount" => number(c.used_amount),
            "expired_at" => text(c.expired_at.as_deref()),
            "created_at" => text(c.created_at.as_deref()),
            "updated_at" => text(c.updated_at.as_deref()),
            "name" => text(c.name.as_deref()),
            _ => Zval::new(),
        }
    }

    /// Whether a field is set (`isset($credential->token)`).
    pub fn __isset(&self, name: String) -> bool {
        !self.__get(name).is_null()
    }

    /// What `var_dump` and `print_r` show: the credential without its secrets.
    pub fn __debug_info(&self) -> HashMap<String, String> {
        HashMap::from([("credential".to_owned(), self.0.to_string())])
    }

    /// `(string) $credential`: its id and kind, no secret.
    pub fn __to_string(&self) -> String {
        self.0.to_string()
    }
}

fn zval(value: impl ext_php_rs::convert::IntoZval) -> Zval {
    value.into_zval(false).unwrap_or_default()
}
