//! Any answer a server could send, to every parser of answers (Akool envelope, getToken, AceData credential and
//! list, error bodies under any status): each may refuse it with an error, none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensmith::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Some((status_bytes, body)) = rest.split_at_checked(2) else { return };
    // Statuses 100..=599, so error bodies under every class are reached.
    let status = 100 + u16::from_le_bytes([status_bytes[0], status_bytes[1]]) % 500;
    match selector % 4 {
        0 => drop(fuzzing::akool_answer(status, body)),
        1 => drop(fuzzing::get_token_answer(status, body)),
        2 => drop(fuzzing::credential_answer(status, body)),
        _ => drop(fuzzing::list_answer(status, body)),
    }
});
