//! [`Method`]: the HTTP methods the vendor APIs use, so the public API does not expose the HTTP library's types.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the names are the methods
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Whether HTTP defines repeating the call as harmless (RFC 9110 §9.2.2); decides what may be retried.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put | Self::Delete)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a method name, in any case.
impl FromStr for Method {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_uppercase().as_str() {
            "GET" => Ok(Self::Get),
            "POST" => Ok(Self::Post),
            "PUT" => Ok(Self::Put),
            "PATCH" => Ok(Self::Patch),
            "DELETE" => Ok(Self::Delete),
            _ => Err(Error::invalid("method", format!("{s:?} is not one of GET, POST, PUT, PATCH, DELETE"))),
        }
    }
}

impl From<Method> for http::Method {
    fn from(method: Method) -> Self {
        match method {
            Method::Get => Self::GET,
            Method::Post => Self::POST,
            Method::Put => Self::PUT,
            Method::Patch => Self::PATCH,
            Method::Delete => Self::DELETE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_any_case_and_refuses_others() {
        assert_eq!("get".parse::<Method>().unwrap(), Method::Get);
        assert_eq!(" Patch ".parse::<Method>().unwrap(), Method::Patch);
        let err = "TRACE".parse::<Method>().unwrap_err();
        assert!(err.to_string().contains("TRACE"), "{err}");
        assert!(Method::Delete.is_idempotent() && !Method::Post.is_idempotent());
    }
}
