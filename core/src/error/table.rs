//! The one table of error kinds: a macro that turns the list of [`Error`](super::Error) variants into the enum
//! itself, its [`ErrorKind`](super::ErrorKind) twin, the kind's name, and `for_each_error_kind!` for bindings.
//!
//! Why a macro: the kinds used to be written out four times in core and again in every binding, and a binding's
//! catch-all arm turned a new kind into `Api` without a word. Now adding a kind is one variant in the table;
//! `Error::kind`, `ErrorKind::name` and every binding's mapping follow, and a binding that maps kinds by hand
//! fails to compile because `ErrorKind` is exhaustive.

/// Declares `Error`, `ErrorKind` (one unit variant per kind, same names, same order), `ErrorKind::ALL`,
/// `ErrorKind::name`, `Error::kind`, and exports `for_each_error_kind!`.
macro_rules! error_table {
    (
        $(#[$enum_attr:meta])*
        pub enum Error {
            $(
                $(#[$attr:meta])*
                $kind:ident $payload:tt
            ),* $(,)?
        }
    ) => {
        $(#[$enum_attr])*
        pub enum Error {
            $($(#[$attr])* $kind $payload,)*
        }

        /// The kind of an [`Error`] without its data: what bindings map to exception classes.
        ///
        /// Exhaustive on purpose: a binding that matches on it stops compiling when a kind is added.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each kind is documented on the `Error` variant of the same name
        pub enum ErrorKind {
            $($kind,)*
        }

        impl ErrorKind {
            /// Every kind, in the table's order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$kind),*];

            /// The kind's name, as bindings name their exception classes (`"Authentication"`, ...).
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$kind => stringify!($kind),)*
                }
            }

            /// The broader kind this one refines, for bindings whose exceptions form a hierarchy: every refusal
            /// by the vendor is an `Api` error, a timeout is a `Transport` error.
            pub fn parent(self) -> Option<ErrorKind> {
                parent_kind(self)
            }
        }

        impl Error {
            /// The kind of this error.
            pub fn kind(&self) -> ErrorKind {
                match self {
                    $(Self::$kind { .. } => ErrorKind::$kind,)*
                }
            }
        }

        error_table!(@export ($) $($kind),*);
    };
    // `$d` is a literal `$`, so that the generated macro can declare its own metavariable.
    (@export ($d:tt) $($kind:ident),*) => {
        /// Calls `callback!` with every error kind's name, comma-separated, in the table's order: how bindings
        /// declare their exception classes and their one mapping from [`ErrorKind`] without listing the kinds.
        ///
        /// ```
        /// macro_rules! count { ($($kind:ident),*) => { [$(stringify!($kind)),*].len() } }
        /// assert_eq!(tokensmith::for_each_error_kind!(count), tokensmith::ErrorKind::ALL.len());
        /// ```
        #[macro_export]
        macro_rules! for_each_error_kind {
            ($d callback:ident) => {
                $d callback! { $($kind),* }
            };
        }
    };
}

pub(super) use error_table;
