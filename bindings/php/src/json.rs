//! JSON between PHP values and the core's JSON text, through PHP's own `json_encode`/`json_decode`, so PHP arrays
//! map to JSON exactly as PHP users expect (lists to arrays, string keys to objects; objects decode to arrays).

use ext_php_rs::exception::PhpException;
use ext_php_rs::types::{ZendCallable, Zval};

use crate::errors::invalid;

/// `json_encode($value)`, or an input error naming `field`.
pub(crate) fn encode(field: &str, value: &Zval) -> Result<String, PhpException> {
    let flags: i64 = 0x40 | 0x80; // JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE, as the vendors' docs write JSON
    let encoded = call("json_encode", vec![value, &flags])?;
    encoded.string().filter(|_| encoded.is_string()).ok_or_else(|| invalid(field, "cannot be encoded as JSON"))
}

/// `json_decode($text, true)`: objects as associative arrays.
pub(crate) fn decode(text: &str) -> Result<Zval, PhpException> {
    call("json_decode", vec![&text, &true])
}

fn call(function: &str, args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>) -> Result<Zval, PhpException> {
    let callable =
        ZendCallable::try_from_name(function).map_err(|e| PhpException::from_message(format!("{function}: {e}")))?;
    callable.try_call(args).map_err(|e| PhpException::from_message(format!("{function}: {e}")))
}
