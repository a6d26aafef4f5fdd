//! The JVM's fast path: hand-written JNI entry points for the blocking `AkoolClient`'s hot calls (`request`, with or
//! without call options, `authHeaders`, `token`), beside UniFFI's in the same library; the async client's
//! `request` is in `jni_async.rs`.
//!
//! Through UniFFI's JNA bindings a blocking `request` is about seven downcalls (a handle clone, each string
//! argument lowered into a `RustBuffer`, the call, the result's buffer freed), each paying JNA's marshalling; here it
//! is one JNI call. The Kotlin side (`FastPath.kt`, and the patched methods of `AkoolClient`: see
//! `scripts/patch-kotlin-bindings`) loads this very library file a second time through `System.load`, so the JVM and
//! JNA share one copy: one runtime, one token cache, one single flight. Where that load fails (a second class loader
//! of the same library, which JNI refuses) the calls stay on UniFFI's path.
//!
//! Each entry point calls the same method UniFFI's does on the same object (the handle Kotlin holds is UniFFI's
//! `Arc` pointer, borrowed for the call under the object's call counter), so logging, telemetry and errors are
//! UniFFI's. Arguments cross as UTF-8 byte arrays (no modified UTF-8), call options as UniFFI serializes the record
//! (Kotlin writes them with UniFFI's own converter, Rust reads them with UniFFI's), and the answer as one byte array:
//! a tag, then the result's UTF-8 (`0`), the error as UniFFI serializes it, which Kotlin reads with UniFFI's own
//! converter into the same exception (`1`), or a panic's message (`2`, which Kotlin throws as UniFFI's
//! `InternalException`). Nothing is thrown from here, so no JNI exception is ever pending on return, and no panic
//! crosses.

// The entry points are found by the JVM by their symbol names, not by any Rust caller.
#![allow(unreachable_pub)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use jni_sys::{jbyte, jbyteArray, jclass, jint, jlong, jsize, JNIEnv};

use crate::akool::AkoolClient;
use crate::call_options::CallOptions;
use crate::error::TokensmithError;

/// Answer tags (the first byte of every answer).
const OK: u8 = 0;
const ERROR: u8 = 1;
const PANIC: u8 = 2;

/// The version of this protocol, which `FastPath.kt` checks before using the other entry points.
#[no_mangle]
pub extern "system" fn Java_dev_tokensmith_FastPath_nativeProtocol(_env: *mut JNIEnv, _class: jclass) -> jint {
    2
}

/// `AkoolClient.request(method, path, jsonBody, options)`: the envelope's `data` as JSON text.
#[no_mangle]
pub extern "system" fn Java_dev_tokensmith_FastPath_nativeRequest(
    env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
    method: jbyteArray,
    path: jbyteArray,
    json_body: jbyteArray,
    options: jbyteArray,
) -> jbyteArray {
    answer(env, || {
        let (method, path) = unsafe { (text(env, method), text(env, path)) };
        let json_body = if json_body.is_null() { None } else { Some(unsafe { text(env, json_body) }) };
        let options = unsafe { call_options(env, options) };
        unsafe { client(handle) }.request(method, path, json_body, options).map(String::into_bytes)
    })
}

/// `AkoolClient.authHeaders()`: each header's name and value, each followed by a NUL byte.
#[no_mangle]
pub extern "system" fn Java_dev_tokensmith_FastPath_nativeAuthHeaders(
    env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
) -> jbyteArray {
    // The core's headers written out directly: the same names and values `auth_headers` maps, without the map.
    answer(env, || {
        let headers = unsafe { client(handle) }.core().auth_headers()?;
        Ok(nul_separated(headers.iter().map(|header| (header.name, header.value.expose()))))
    })
}

/// `AkoolClient.token()`.
#[no_mangle]
pub extern "system" fn Java_dev_tokensmith_FastPath_nativeToken(
    env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
) -> jbyteArray {
    answer(env, || unsafe { client(handle) }.token().map(String::into_bytes))
}

/// The object behind a UniFFI handle that Kotlin keeps alive for the duration of the call.
///
/// # Safety
/// `handle` is the handle of a live `AkoolClient` (UniFFI's `Arc::into_raw` pointer), borrowed, not consumed.
unsafe fn client<'a>(handle: jlong) -> &'a AkoolClient {
    unsafe { &*(handle as usize as *const AkoolClient) }
}

/// The UTF-8 text of a Java byte array.
///
/// # Safety
/// `array` is a live, non-null `byte[]` of this call.
pub(crate) unsafe fn text(env: *mut JNIEnv, array: jbyteArray) -> String {
    let bytes = unsafe { byte_vec(env, array) };
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The call options Kotlin wrote with UniFFI's converter, or none for a null array.
///
/// # Safety
/// `array` is null or a live `byte[]` of this call.
///
/// # Panics
/// If the bytes are not a serialized `CallOptions` (only UniFFI's Kotlin converter writes them): the call fails as a
/// panic does, with `InternalException`.
pub(crate) unsafe fn call_options(env: *mut JNIEnv, array: jbyteArray) -> Option<CallOptions> {
    if array.is_null() {
        return None;
    }
    let bytes = unsafe { byte_vec(env, array) };
    let mut unread = bytes.as_slice();
    let options = <CallOptions as uniffi::Lift<crate::UniFfiTag>>::try_read(&mut unread);
    match options {
        Ok(options) if unread.is_empty() => Some(options),
        _ => panic!("the call options did not cross intact"),
    }
}

/// The bytes of a Java byte array.
///
/// # Safety
/// `array` is a live, non-null `byte[]` of this call.
unsafe fn byte_vec(env: *mut JNIEnv, array: jbyteArray) -> Vec<u8> {
    let functions = unsafe { &(**env).v1_1 };
    let len = unsafe { (functions.GetArrayLength)(env, array) };
    let mut bytes = vec![0u8; usize::try_from(len).unwrap_or(0)];
    unsafe { (functions.GetByteArrayRegion)(env, array, 0, len, bytes.as_mut_ptr().cast::<jbyte>()) };
    bytes
}

fn nul_separated<'a>(headers: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(64);
    for (name, value) in headers {
        for part in [name, value] {
            bytes.extend_from_slice(part.as_bytes());
            bytes.push(0);
        }
    }
    bytes
}

/// What a call hands back to Java (see the module's documentation).
pub(crate) enum Answer {
    /// The result's bytes.
    Ok(Vec<u8>),
    /// The error, as UniFFI serializes it.
    Error(Vec<u8>),
    /// A panic's message.
    Panic(String),
}

impl From<Result<Vec<u8>, TokensmithError>> for Answer {
    fn from(outcome: Result<Vec<u8>, TokensmithError>) -> Self {
        match outcome {
            Ok(bytes) => Self::Ok(bytes),
            Err(error) => Self::Error(serialized(error)),
        }
    }
}

/// The answer's tag and payload.
pub(crate) fn answer_bytes(answer: &Answer) -> (u8, &[u8]) {
    match answer {
        Answer::Ok(bytes) => (OK, bytes),
        Answer::Error(bytes) => (ERROR, bytes),
        Answer::Panic(message) => (PANIC, message.as_bytes()),
    }
}

/// Runs `call` and hands its outcome to Java as one tagged byte array; a panic is caught and handed over too.
fn answer(env: *mut JNIEnv, call: impl FnOnce() -> Result<Vec<u8>, TokensmithError>) -> jbyteArray {
    let answer = match catch_unwind(AssertUnwindSafe(call)) {
        Ok(outcome) => Answer::from(outcome),
        Err(panic) => Answer::Panic(
            panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic inside tokensmith".to_owned()),
        ),
    };
    let (tag, payload) = answer_bytes(&answer);
    unsafe { byte_array(env, tag, payload) }
}

/// The error as UniFFI writes it into an error buffer, which Kotlin's `FfiConverterTypeTokensmithError` reads.
fn serialized(error: TokensmithError) -> Vec<u8> {
    <TokensmithError as uniffi::LowerError<crate::UniFfiTag>>::lower_error(error).destroy_into_vec()
}

/// A new `byte[]`: `tag`, then `payload`; null if the JVM is out of memory (its `OutOfMemoryError` is then pending,
/// which Java throws when the call returns).
///
/// # Safety
/// `env` is this thread's JNI environment, in a native method call.
pub(crate) unsafe fn byte_array(env: *mut JNIEnv, tag: u8, payload: &[u8]) -> jbyteArray {
    let functions = unsafe { &(**env).v1_1 };
    let Ok(len) = jsize::try_from(payload.len() + 1) else { return ptr::null_mut() };
    let array = unsafe { (functions.NewByteArray)(env, len) };
    if array.is_null() {
        return ptr::null_mut();
    }
    let tag = tag as jbyte;
    unsafe {
        (functions.SetByteArrayRegion)(env, array, 0, 1, &tag);
        (functions.SetByteArrayRegion)(env, array, 1, len - 1, payload.as_ptr().cast::<jbyte>());
    }
    array
}
