//! The JVM's fast path for the async client's `request` (Kotlin's `suspend fun`, Java's `CompletableFuture`): one
//! JNI call starts it, one call back into the JVM completes it.
//!
//! UniFFI's async protocol is a poll loop across the boundary: the call creates a Rust future, Kotlin polls it with a
//! continuation callback (a JNA upcall from a core thread), polls again, then completes and frees it: about twelve
//! downcalls and two upcalls a call. Here `nativeRequestAsync` builds the call on the caller's thread (so its
//! telemetry starts in the caller's context, as UniFFI's first poll does), spawns it on the bridges' runtime
//! (`tokensmith::runtime::bridge_handle`: one thread, so a call wakes one of ours), where it runs inline, and
//! returns. The bridge thread that ends it calls `FastPath.complete(id, answer)` once, with the
//! answer encoded as the blocking fast path's (`jni_fast_path.rs`). `nativeCancel(id)` aborts it, which aborts its
//! request: a cancelled coroutine's call is never completed.
//!
//! The bridge thread is attached to the JVM once, as a daemon, and stays attached (UniFFI's callbacks attach them
//! the same way: scripts/patch-kotlin-bindings), so a JVM exiting with calls in flight is not held up by them; a
//! completion that cannot attach (the JVM is shutting down) is dropped. A call that panics, or whose task the
//! runtime drops, completes with an error rather than never.

// The entry points are found by the JVM by their symbol names, not by any Rust caller.
#![allow(unreachable_pub)]

use std::collections::HashMap;
use std::ffi::c_void;
use std::ptr;
use std::sync::{LazyLock, Mutex, OnceLock, PoisonError};

use jni_sys::{
    jbyteArray, jclass, jlong, jmethodID, jvalue, JNIEnv, JavaVM, JavaVMAttachArgs, JNI_OK, JNI_VERSION_1_6,
};
use tokensmith::overrides::request_text;
use tokio::task::AbortHandle;

use crate::akool_async::AsyncAkoolClient;
use crate::error::TokensmithError;
use crate::jni_fast_path::{answer_bytes, byte_array, call_options, text, Answer};

/// The calls in flight, by the id Kotlin gave them: what `nativeCancel` aborts.
static CALLS: LazyLock<Mutex<HashMap<jlong, AbortHandle>>> = LazyLock::new(Mutex::default);

/// How to reach `FastPath.complete` from any thread: the JVM, a global reference to the class, the method.
struct Completer {
    vm: *mut JavaVM,
    class: jclass,
    complete: jmethodID,
}

// A JavaVM pointer, a global class reference and a method id are valid on every thread, for the JVM's life.
unsafe impl Send for Completer {}
unsafe impl Sync for Completer {}

static COMPLETER: OnceLock<Completer> = OnceLock::new();

/// Readies the way back (`FastPath.complete`) as the fast path binds: `false` leaves every call on UniFFI's path.
#[no_mangle]
pub extern "system" fn Java_dev_tokensmith_FastPath_nativeBindCompletions(env: *mut JNIEnv, class: jclass) -> bool {
    if COMPLETER.get().is_some() {
        return true;
    }
    match unsafe { Completer::new(env, class) } {
        Some(completer) => COMPLETER.set(completer).is_ok() || COMPLETER.get().is_some(),
        None => false,
    }
}

/// `AsyncAkoolClient.request(method, path, jsonBody, options)`, completed later through
/// `FastPath.complete(id, answer)`.
/// Returns `true` once the call is started; `false` (nothing started) if the completions were never bound, or if
/// the arguments did not cross intact (call options that are not UniFFI's serialization, which cannot come from
/// `FastPath.kt`).
#[no_mangle]
pub extern "system" fn Java_dev_tokensmith_FastPath_nativeRequestAsync(
    env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
    id: jlong,
    method: jbyteArray,
    path: jbyteArray,
    json_body: jbyteArray,
    options: jbyteArray,
) -> jni_sys::jboolean {
    let started = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Some(completer) = COMPLETER.get() else { return false };
        let (method, path) = unsafe { (text(env, method), text(env, path)) };
        let json_body = if json_body.is_null() { None } else { Some(unsafe { text(env, json_body) }) };
        let options = unsafe { call_options(env, options) }.map(Into::into);
        // The handle is UniFFI's `Arc` pointer, borrowed by Kotlin for this call; the call owns what it needs.
        let client = unsafe { &*(handle as usize as *const AsyncAkoolClient) };
        let call = request_text(client.core(), &method, &path, json_body.as_deref(), options);
        let completion = Completion { completer, id, done: false };
        let mut calls = CALLS.lock().unwrap_or_else(PoisonError::into_inner);
        let task = tokensmith::runtime::bridge_handle().spawn(async move {
            let outcome = call.await.map(String::into_bytes).map_err(TokensmithError::from);
            completion.finish(Answer::from(outcome));
        });
        // Inserted before the task can remove it: it takes this lock first.
        calls.insert(id, task.abort_handle());
        true
    }));
    started.unwrap_or(false)
}

/// Aborts call `id` (its coroutine was cancelled): its request is dropped and it never completes.
#[no_mangle]
pub extern "system" fn Java_dev_tokensmith_FastPath_nativeCancel(_env: *mut JNIEnv, _class: jclass, id: jlong) {
    let call = CALLS.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
    if let Some(call) = call {
        call.abort();
    }
}

impl Completer {
    /// # Safety
    /// `env` is the JNI environment of a native call on `class` (FastPath).
    unsafe fn new(env: *mut JNIEnv, class: jclass) -> Option<Self> {
        let functions = unsafe { &(**env).v1_2 };
        let mut vm = ptr::null_mut();
        if unsafe { (functions.GetJavaVM)(env, &mut vm) } != JNI_OK {
            return None;
        }
        let complete = unsafe { (functions.GetStaticMethodID)(env, class, c"complete".as_ptr(), c"(J[B)V".as_ptr()) };
        if complete.is_null() {
            unsafe { (functions.ExceptionClear)(env) };
            return None;
        }
        let class = unsafe { (functions.NewGlobalRef)(env, class) };
        (!class.is_null()).then_some(Self { vm, class, complete })
    }

    /// Calls `FastPath.complete(id, answer)` from this (core) thread, attaching it to the JVM if it is not yet.
    fn complete(&self, id: jlong, answer: &Answer) {
        let mut env: *mut JNIEnv = ptr::null_mut();
        // Named as the runtime names it (a no-op for a thread attached already).
        let mut arguments = JavaVMAttachArgs {
            version: JNI_VERSION_1_6,
            name: c"tokensmith-bridge".as_ptr().cast_mut(),
            group: ptr::null_mut(),
        };
        let attached = unsafe {
            ((**self.vm).v1_4.AttachCurrentThreadAsDaemon)(
                self.vm,
                (&mut env as *mut *mut JNIEnv).cast::<*mut c_void>(),
                (&mut arguments as *mut JavaVMAttachArgs).cast::<c_void>(),
            )
        };
        if attached != JNI_OK || env.is_null() {
            return; // the JVM is going away: nobody is left to complete
        }
        let functions = unsafe { &(**env).v1_2 };
        // A frame of our own: this thread has no Java caller to free the array's local reference.
        if unsafe { (functions.PushLocalFrame)(env, 4) } != JNI_OK {
            unsafe { (functions.ExceptionClear)(env) };
            return;
        }
        let (tag, payload) = answer_bytes(answer);
        let array = unsafe { byte_array(env, tag, payload) };
        if !array.is_null() {
            let arguments = [jvalue { j: id }, jvalue { l: array }];
            unsafe { (functions.CallStaticVoidMethodA)(env, self.class, self.complete, arguments.as_ptr()) };
        }
        // Whatever Kotlin threw (it catches its own) must not stay pending on a thread that returns to Rust.
        unsafe {
            (functions.ExceptionClear)(env);
            (functions.PopLocalFrame)(env, ptr::null_mut());
        }
    }
}

/// A call's way back: completed with its answer, or, if dropped first (a panic, or the task dropped by the
/// runtime), with an error; an aborted (cancelled) call's completion finds its id gone and says nothing.
struct Completion {
    completer: &'static Completer,
    id: jlong,
    done: bool,
}

impl Completion {
    fn finish(mut self, answer: Answer) {
        self.done = true;
        self.deliver(&answer);
    }

    fn deliver(&self, answer: &Answer) {
        let live = CALLS.lock().unwrap_or_else(PoisonError::into_inner).remove(&self.id).is_some();
        if live {
            self.completer.complete(self.id, answer);
        }
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        if !self.done {
            let reason = if std::thread::panicking() { "a panic inside tokensmith" } else { "the call was stopped" };
            self.deliver(&Answer::Panic(reason.to_owned()));
        }
    }
}
