//! The exceptions: `Tokensmith\TokensmithException` (a `\RuntimeException`) and one subclass per kind of the
//! core (`Tokensmith\AuthenticationException`, ...; API refusals under `ApiException`, a timeout under
//! `TransportException`, as `ErrorKind::parent` says). They are ext-php-rs classes (`RegisteredClass`, added to
//! the module by `register`), generated from the core's table by `tokensmith::for_each_error_kind!`, so a kind
//! added in core gets its class, its place in the hierarchy, its stub and its arm of `class_of` without an edit
//! here. Why `impl RegisteredClass` and not `#[php_class]`: the attribute takes the PHP name as a string literal,
//! and `macro_rules!` cannot make one from the table's identifiers (`concat!` is an expression, which a constant
//! takes).
//!
//! Each exception carries public properties `kind`, `status`, `vendorCode` (Akool's number or AceData's
//! string), `field`, `retryAfter` (seconds), `reason` (webhooks) and `traceId`; `getCode()` is the Akool
//! business code, else the HTTP status, else 0. Its message is the core's, which holds no secret; its trace is
//! built without arguments, so no secret passed to a call shows in `getTraceAsString()` or `var_dump`.
//!
//! How the objects are made. ext-php-rs gives every class it declares its own `create_object` (for the Rust data
//! of a `#[php_class]`) and its own `__construct`, in place of the ones an `Exception` subclass inherits, so an
//! object PHP creates of such a class records no file, line or trace (ext-php-rs issue 203). These classes hold
//! no Rust data, so the exceptions tokensmith throws are made as PHP makes any `Exception` subclass's object: by
//! `Exception`'s own `create_object`, which records the file, line and trace of the calling PHP code
//! (`thrown`). `new Tokensmith\ApiException($message, $code, $previous)` in PHP code (a test's stand-in for a
//! real failure) goes through ext-php-rs's `create_object` and then `construct`, which sets what `Exception`'s
//! constructor sets; such an object has no file, line or trace.

use std::ptr;

use ext_php_rs::args::Arg;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder, ModuleBuilder};
use ext_php_rs::class::{ClassEntryInfo, ClassMetadata, ConstructorMeta, ConstructorResult, RegisteredClass};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::{ext_php_rs_compiler_globals, zend_hash_str_find_ptr_lc};
use ext_php_rs::flags::{DataType, PropertyFlags};
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ce, ClassEntry, ExecuteData, ExecutorGlobals};
use tokensmith::ErrorKind;

/// The properties every exception carries besides `message` and `code`, with their stub documentation. `to_php`
/// sets them by these names.
const PROPERTIES: [(&str, &[&str]); 7] = [
    ("kind", &[" @var string the kind (`Authentication`, `RateLimited`, ...; `Tokensmith\\error_kinds()` lists them)"]),
    ("status", &[" @var int|null the HTTP status of the answer"]),
    ("vendorCode", &[" @var int|string|null the Akool business code or the AceData error code"]),
    ("field", &[" @var string|null the option or argument an input error names"]),
    ("retryAfter", &[" @var float|null seconds a rate-limited answer asked you to wait"]),
    ("reason", &[" @var string|null why a webhook was refused (`MalformedBody`, `BadSignature`, ...)"]),
    ("traceId", &[" @var string|null the vendor's id for the failed request (AceData's `trace_id`)"]),
];

/// Implements `RegisteredClass` for an exception class: no Rust data, no methods but the constructor
/// (`construct`), the parent and the properties set by `$modifier`.
macro_rules! exception_class {
    ($ty:ident, $name:expr, $docs:expr, $modifier:expr) => {
        impl RegisteredClass for $ty {
            const CLASS_NAME: &'static str = $name;
            const BUILDER_MODIFIER: Option<fn(ClassBuilder) -> ClassBuilder> = Some($modifier);
            // Set by the modifier: a kind's parent is `ErrorKind::parent`, a function.
            const EXTENDS: Option<ClassEntryInfo> = None;
            const IMPLEMENTS: &'static [ClassEntryInfo] = &[];
            const DOC_COMMENTS: &'static [&'static str] = $docs;

            fn get_metadata() -> &'static ClassMetadata<Self> {
                static METADATA: ClassMetadata<$ty> = ClassMetadata::new(&[]);
                &METADATA
            }

            fn method_builders() -> Vec<(FunctionBuilder<'static>, ext_php_rs::flags::MethodFlags)> {
                Vec::new()
            }

            fn constructor() -> Option<ConstructorMeta<Self>> {
                Some(ConstructorMeta { constructor: construct::<Self>, build_fn: constructor_arguments, flags: None })
            }

            fn constants() -> &'static [(
                &'static str,
                &'static dyn ext_php_rs::convert::IntoZvalDyn,
                &'static [&'static str],
                ext_php_rs::flags::ConstantFlags,
            )] {
                &[]
            }

            fn default_init() -> Option<Self> {
                Some(Self)
            }
        }
    };
}

/// The PHP name of a kind (`RequestTimeout` for `Timeout`, the kind's own name otherwise), as a literal for
/// `concat!`.
macro_rules! php_kind_name {
    (Timeout) => {
        "RequestTimeout"
    };
    ($kind:ident) => {
        stringify!($kind)
    };
}

/// The classes: the base, then one per kind of the core's table, the one mapping from a kind to its class
/// (`class_of`), and their registration in the module (`register`).
macro_rules! exception_classes {
    ($($kind:ident),*) => {
        /// The exception classes, one Rust type each (no data: PHP's exception object is all there is).
        pub(crate) mod class {
            use super::*;

            /// `Tokensmith\TokensmithException`, the root.
            #[derive(Debug, Default)]
            pub struct TokensmithException;

            exception_class!(
                TokensmithException,
                "Tokensmith\\TokensmithException",
                &[
                    " Every failure of tokensmith: a `\\RuntimeException`, with one subclass per kind of error",
                    " (`Tokensmith\\error_kinds()`; the vendor's refusals under `ApiException`, a timeout under",
                    " `TransportException`). `getCode()` is the Akool business code, else the HTTP status, else 0.",
                    " The message is the core's and never holds a secret; the trace holds no arguments.",
                ],
                base_class
            );

            $(
                #[doc = concat!("`Tokensmith\\", php_kind_name!($kind), "Exception`, for `ErrorKind::", stringify!($kind), "`.")]
                #[derive(Debug, Default)]
                pub struct $kind;

                impl Kind for $kind {
                    const KIND: ErrorKind = ErrorKind::$kind;
                }

                exception_class!(
                    $kind,
                    concat!("Tokensmith\\", php_kind_name!($kind), "Exception"),
                    &[concat!(
                        " A failure of kind `", stringify!($kind), "` (`$e->kind`); docs/errors.md says when each kind",
                        " is thrown."
                    )],
                    kind_class::<$kind>
                );
            )*
        }

        /// The class of a kind's exceptions: its class entry (once registered) and its name.
        fn class_of(kind: ErrorKind) -> ClassEntryInfo {
            match kind {
                $(ErrorKind::$kind => info::<class::$kind>(),)*
            }
        }

        /// Adds the exception classes to the module, each after its parent (a class's parent must be registered
        /// when it is).
        pub(crate) fn register(mut module: ModuleBuilder<'_>) -> ModuleBuilder<'_> {
            module = module.class::<class::TokensmithException>();
            for depth in 0..ErrorKind::ALL.len() {
                $(
                    if depth_of(ErrorKind::$kind) == depth {
                        module = module.class::<class::$kind>();
                    }
                )*
            }
            module
        }
    };
}

tokensmith::for_each_error_kind!(exception_classes);

/// The kind a class stands for.
trait Kind {
    const KIND: ErrorKind;
}

/// A registered class's entry and name, for `extends`.
fn info<T: RegisteredClass>() -> ClassEntryInfo {
    (|| T::get_metadata().ce(), T::CLASS_NAME)
}

/// How many ancestors a kind has below `TokensmithException`.
fn depth_of(kind: ErrorKind) -> usize {
    kind.parent().map_or(0, |parent| 1 + depth_of(parent))
}

/// The base class extends `\RuntimeException` and declares the properties every exception carries.
fn base_class(builder: ClassBuilder) -> ClassBuilder {
    let builder = builder.extends((runtime_exception, "\\RuntimeException"));
    PROPERTIES.into_iter().fold(builder, |builder, (name, docs)| {
        builder.property(ClassProperty {
            name: name.to_owned(),
            flags: PropertyFlags::Public,
            default: None,
            docs,
            ty: None,
            nullable: true,
            readonly: false,
            default_stub: Some("null".to_owned()),
        })
    })
}

/// A kind's class extends its parent kind's class, or `TokensmithException`.
fn kind_class<T: Kind>(builder: ClassBuilder) -> ClassBuilder {
    builder.extends(T::KIND.parent().map_or_else(info::<class::TokensmithException>, class_of))
}

/// SPL's `RuntimeException`, looked up in the compiler's class table, which holds every class registered so far
/// (the executor's, which `ClassEntry::try_find` reads, is only set when a request starts). SPL is part of PHP, so
/// it is registered before any extension loaded with `extension=`.
fn runtime_exception() -> &'static ClassEntry {
    const NAME: &str = "RuntimeException";
    // SAFETY: the compiler globals live as long as the process; the lookup copies the name to lower-case it, and the
    // class table keeps its class entries until the engine shuts down.
    let found = unsafe {
        let class_table = (*ext_php_rs_compiler_globals()).class_table;
        zend_hash_str_find_ptr_lc(class_table, NAME.as_ptr().cast(), NAME.len()).cast::<ClassEntry>().as_ref()
    };
    found.expect("SPL's RuntimeException is registered before extensions start")
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
    let ce = (class_of(d.kind).0)();
    match thrown(ce, &d.message, code, fields) {
        Some(object) => PhpException::from_message(d.message).with_object(object),
        None => PhpException::new(d.message, i32::try_from(code).unwrap_or(0), ce),
    }
}

/// An exception of class `ce` (a subclass of `Exception`) with `message`, `code` and `fields`, made by `Exception`'s
/// `create_object`, as PHP makes it for a class that inherits it: with the file, line and trace of the PHP code
/// that made the call, the trace here without arguments.
fn thrown(ce: &'static ClassEntry, message: &str, code: i64, fields: [(&str, Zval); 7]) -> Option<Zval> {
    // SAFETY: `create_object` is the member of the union that a class (not an interface) uses.
    let create = unsafe { ce::exception().__bindgen_anon_2.create_object }?;
    let ignore_args = std::mem::replace(&mut ExecutorGlobals::get_mut().exception_ignore_args, true);
    // SAFETY: `Exception`'s `create_object` takes any subclass of `Exception` and returns a new object.
    let raw = unsafe { create(ptr::from_ref(ce).cast_mut()) };
    ExecutorGlobals::get_mut().exception_ignore_args = ignore_args;
    // SAFETY: the object is new (reference count 1); the box owns it from here on.
    let mut object = (!raw.is_null()).then(|| unsafe { ZBox::from_raw(raw) })?;
    set_exception_fields(&mut object, message, code, None).ok()?;
    for (name, value) in fields {
        object.set_property(name, value).ok()?;
    }
    object.into_zval(false).ok()
}

/// Writes `Exception`'s `message`, `code` and `previous` (protected and private) as its constructor does, in its
/// scope.
fn set_exception_fields(
    object: &mut ZendObject,
    message: &str,
    code: i64,
    previous: Option<Zval>,
) -> ext_php_rs::error::Result<()> {
    let exception = ptr::from_ref(ce::exception()).cast_mut();
    let scope = std::mem::replace(&mut ExecutorGlobals::get_mut().fake_scope, exception);
    let written = object
        .set_property("message", message)
        .and_then(|()| object.set_property("code", code))
        .and_then(|()| previous.map_or(Ok(()), |previous| object.set_property("previous", previous)));
    ExecutorGlobals::get_mut().fake_scope = scope;
    written
}

/// `__construct(string $message = "", int $code = 0, ?\Throwable $previous = null)`, `Exception`'s.
fn constructor_arguments(function: FunctionBuilder<'_>) -> FunctionBuilder<'_> {
    function
        .not_required()
        .arg(Arg::new("message", DataType::String).default("\"\""))
        .arg(Arg::new("code", DataType::Long).default("0"))
        .arg(Arg::new("previous", DataType::object("Throwable")).allow_null().default("null"))
        .docs(&[
            " An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until",
            " set). Unlike the ones tokensmith throws, it records no file, line or trace.",
        ])
}

/// The constructor: what `Exception::__construct` does, with its argument checks.
fn construct<T: RegisteredClass + Default>(ex: &mut ExecuteData) -> ConstructorResult<T> {
    let mut message = Arg::new("message", DataType::String);
    let mut code = Arg::new("code", DataType::Long);
    let mut previous = Arg::new("previous", DataType::object("Throwable")).allow_null();
    let (parser, this) = ex.parser_object();
    if parser.not_required().arg(&mut message).arg(&mut code).arg(&mut previous).parse().is_err() {
        return ConstructorResult::ArgError;
    }
    let wrong = |position: u8, name: &str, expected: &str| {
        let message =
            format!("{}::__construct(): Argument #{position} (${name}) must be of type {expected}", T::CLASS_NAME);
        ConstructorResult::Exception(PhpException::new(message, 0, ce::type_error()))
    };
    let Some(message) = message.zval().map_or(Some(String::new()), |value| value.string()) else {
        return wrong(1, "message", "string");
    };
    let Some(code) = code.zval().map_or(Some(0), |value| value.long()) else {
        return wrong(2, "code", "int");
    };
    let previous = match previous.zval() {
        Some(value) if value.object().is_some_and(|object| object.instance_of(ce::throwable())) => {
            Some(value.shallow_clone())
        }
        Some(value) if !value.is_null() => return wrong(3, "previous", "?Throwable"),
        _ => None,
    };
    match this.map(|this| set_exception_fields(this, &message, code, previous)) {
        Some(Ok(())) => ConstructorResult::Ok(T::default()),
        _ => ConstructorResult::Exception(PhpException::from_message(format!("{} was not constructed", T::CLASS_NAME))),
    }
}

fn zval(value: impl IntoZval) -> Zval {
    value.into_zval(false).unwrap_or_default()
}

/// The exception for a bad option or argument, named like the core's input errors.
pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> PhpException {
    to_php(tokensmith::Error::InvalidInput { field: field.to_owned(), reason: reason.into() })
}
