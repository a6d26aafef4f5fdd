//! Any text as every input the library checks (ids, hosts, timestamps, amounts, methods, base URLs and paths,
//! Retry-After values): each check may refuse it, none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensmith::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Some((number, text)) = data.split_at_checked(8) else { return };
    let number = f64::from_le_bytes(number.try_into().unwrap());
    fuzzing::inputs(&String::from_utf8_lossy(text), number);
});
