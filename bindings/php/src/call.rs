//! The way back from the core: every core call's result passes through `php`, on the PHP thread, which first
//! hands the log records the call wrote to the PHP logger (`logging::deliver`), then converts the result (an error
//! into its exception, `errors::to_php`). A module of its own, above both: `errors` only converts, and `logging`
//! uses `errors` for its own argument errors, so neither imports the other back.

use ext_php_rs::exception::PhpException;

use crate::{errors, logging};

/// Converts a core result, after delivering the log records the call wrote.
pub(crate) fn php<T>(result: tokensmith::Result<T>) -> Result<T, PhpException> {
    logging::deliver();
    result.map_err(errors::to_php)
}
