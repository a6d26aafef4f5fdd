//! The exceptions: `Tokensmith\TokensmithException` (a `\RuntimeException`) and one subclass per kind of the
//! core (`Tokensmith\AuthenticationException`, ...; API refusals under `ApiException`, a timeout under
//! `TransportException`, as `ErrorKind::parent` says), registered at startup from `ErrorKind::ALL`, so a kind
//! added in core gets its class here without an edit.
//!
//! Each exception carries public properties `kind`, `status`, `vendorCode` (Akool's number or AceData's
//! string), `field`, `retryAfter` (seconds), `reason` (webhooks) and `traceId`; `getCode()` is the Akool
//! business code, else the HTTP status, else 0. Its message is the core's, which holds no secret; its trace is
//! built without arguments, so no secret passed to a call shows in `getTraceAsString()` or `var_dump`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use ext_php_rs::builders::{ClassBuilder, ClassProperty};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::PropertyFlags;
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecutorGlobals};
use tokensmith::ErrorKind;

/// The namespace of every class.
const NAMESPACE: &str = "Tokensmith";

/// The properties every exception carries, beside `message` and `code`.
const PROPERTIES: [&str; 7] = ["kind", "status", "vendorCode", "field", "retryAfter", "reason", "traceId"];

unsafe extern "C" {
    /// SPL's `RuntimeException`, which PHP always has; not in ext-php-rs's bindings.
    static spl_ce_RuntimeException: *mut ClassEntry;
}

/// The classes registered at this process's (last) startup, by name. Kept as addresses: a module can be started
/// again (the guide's `minit_memory`), and each startup replaces them.
static CLASSES: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);

fn class_name(kind: Option<ErrorKind>) -> String {
    match kind {
        None => format!("{NAMESPACE}\\TokensmithException"),
        Some(ErrorKind::Timeout) => format!("{NAMESPACE}\\RequestTimeoutException"),
        Some(kind) => format!("{NAMESPACE}\\{}Exception", kind.name()),
    }
}

fn registered(name: &str) -> &'static ClassEntry {
    let classes = CLASSES.lock().unwrap_or_else(PoisonError::into_inner);
    let address = classes.as_ref().and_then(|c| c.get(name).copied()).expect("registered at startup");
    // SAFETY: the engine keeps registered class entries for the life of the module.
    unsafe { &*(address as *const ClassEntry) }
}

fn runtime_exception() -> &'static ClassEntry {
    // SAFETY: SPL registers RuntimeException before any extension's startup runs.
    unsafe { spl_ce_RuntimeException.as_ref() }.expect("SPL is loaded")
}
fn base() -> &'static ClassEntry {
    registered(&class_name(None))
}
fn api() -> &'static ClassEntry {
    registered(&class_name(Some(ErrorKind::Api)))
}
fn transport() -> &'static ClassEntry {
    registered(&class_name(Some(ErrorKind::Transport)))
}

fn remember(ce: &'static mut ClassEntry, _: ext_php_rs::args::ArgInfoTables) {
    let name = ce.name().unwrap_or_default().to_owned();
    let mut classes = CLASSES.lock().unwrap_or_else(PoisonError::into_inner);
    classes.get_or_insert_with(HashMap::new).insert(name, std::ptr::from_ref(ce) as usize);
}

fn property(name: &str) -> ClassProperty {
    ClassProperty {
        name: name.to_owned(),
        flags: PropertyFlags::Public,
        default: None,
        docs: &[],
        ty: None,
        nullable: true,
        readonly: false,
        default_stub: Some("null".to_owned()),
    }
}

/// Registers the base class, then every kind's class after its parent. The module's startup function.
pub(crate) extern "C" fn register_classes(_type: i32, _module_number: i32) -> i32 {
    let mut base_class = ClassBuilder::new(class_name(None)).extends((runtime_exception, "\\RuntimeException"));
    for name in PROPERTIES {
        base_class = base_class.property(property(name));
    }
    let mut result = base_class.registration(remember).register();
    let mut kinds: Vec<ErrorKind> = ErrorKind::ALL.to_vec();
    kinds.sort_by_key(|kind| kind.parent().is_some());
    for kind in kinds {
        let parent: ext_php_rs::class::ClassEntryInfo = match kind.parent() {
            None => (base, "\\Tokensmith\\TokensmithException"),
            Some(ErrorKind::Api) => (api, "\\Tokensmith\\ApiException"),
            Some(_) => (transport, "\\Tokensmith\\TransportException"),
        };
        result = result
            .and_then(|()| ClassBuilder::new(class_name(Some(kind))).extends(parent).registration(remember).register());
    }
    match result {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("tokensmith: could not register the exception classes: {error}");
            -1
        }
    }
}

/// The PHP exception for a core error. A core call's result is converted by `call::php`, which also delivers the
/// call's log records.
pub(crate) fn to_php(error: tokensmith::Error) -> PhpException {
    let d = error.details();
    let code = d.akool_code.or(d.status.map(i64::from)).unwrap_or(0);
    let vendor_code: Zval = match (&d.akool_code, &d.vendor_code) {
        (Some(code), _) => zval(*code),
        (None, Some(code)) => zval(code.clone()),
        (None, None) => Zval::new(),
    };
    let fields: [(&str, Zval); 7] = [
        ("kind", zval(d.kind.name().to_owned())),
        ("status", d.status.map_or_else(Zval::new, |s| zval(i64::from(s)))),
        ("vendorCode", vendor_code),
        ("field", d.field.clone().map_or_else(Zval::new, zval)),
        ("retryAfter", d.retry_after.map_or_else(Zval::new, |r| zval(r.as_secs_f64()))),
        ("reason", d.webhook_reason.map_or_else(Zval::new, |r| zval(r.name().to_owned()))),
        ("traceId", d.trace_id.clone().map_or_else(Zval::new, zval)),
    ];
    let ce = registered(&class_name(Some(d.kind)));
    match exception_object(ce, &d.message, code, fields) {
        Some(object) => PhpException::from_message(d.message).with_object(object),
        None => PhpException::new(d.message, i32::try_from(code).unwrap_or(0), ce),
    }
}

/// An exception object of class `ce`, constructed with `message` and `code`, its trace without arguments.
fn exception_object(ce: &'static ClassEntry, message: &str, code: i64, fields: [(&str, Zval); 7]) -> Option<Zval> {
    let ignore_args = std::mem::replace(&mut ExecutorGlobals::get_mut().exception_ignore_args, true);
    let mut object = ZendObject::new(ce);
    ExecutorGlobals::get_mut().exception_ignore_args = ignore_args;
    object.try_call_method("__construct", vec![&message, &code]).ok()?;
    for (name, value) in fields {
        object.set_property(name, value).ok()?;
    }
    object.into_zval(false).ok()
}

fn zval(value: impl IntoZval) -> Zval {
    value.into_zval(false).unwrap_or_default()
}

/// The exception for a bad option or argument, named like the core's input errors.
pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> PhpException {
    to_php(tokensmith::Error::InvalidInput { field: field.to_owned(), reason: reason.into() })
}
