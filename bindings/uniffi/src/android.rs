//! Android only: the app's `Context` for the TLS verifier, and the check that it was handed over.
//!
//! On Android the core's TLS verifier (rustls-platform-verifier, `core/src/transport/tls.rs`) asks the platform's trust manager
//! through JNI, so it must be given the JVM and the app's `Context` before its first handshake. The Kotlin package
//! does it at app start (`dev.tokensmith.TokensmithInitProvider`, or `Tokensmith.init(context)` by hand):
//! `Tokensmith.init` loads this library with `System.loadLibrary` (JNA's `dlopen` alone does not make a library's
//! `Java_*` functions visible to the JVM; both loads map the same file once) and calls
//! [`Java_dev_tokensmith_TokensmithJni_initAndroid`].
//!
//! Until then every client constructor fails with `MissingConfig` naming `Tokensmith.init(context)`
//! ([`ensure_initialised`], called by `config::options`), instead of the verifier's panic on a core thread at the
//! first handshake. The module is compiled for Android only (and for this crate's own unit tests on the host):
//! elsewhere the check does not exist.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Result;

/// Set once the verifier holds the JVM and the Context; never unset (the verifier keeps them for the process).
static INITIALISED: AtomicBool = AtomicBool::new(false);

/// What a client built before `Tokensmith.init` is told.
const NOT_INITIALISED: &str = "tokensmith is not initialised on Android: call dev.tokensmith.Tokensmith.init(context) \
     once before building a client (TokensmithInitProvider does it at app start unless auto-init was removed from \
     the manifest)";

/// `Ok` once `Tokensmith.init(context)` has run; else the `MissingConfig` error that names the fix.
pub(crate) fn ensure_initialised() -> Result<()> {
    if INITIALISED.load(Ordering::Acquire) {
        Ok(())
    } else {
        Err(tokensmith::Error::MissingConfig(NOT_INITIALISED.to_owned()).into())
    }
}

fn mark_initialised() {
    INITIALISED.store(true, Ordering::Release);
}

/// `TokensmithJni.initAndroid(context)`: hands the JVM and the app's Context to the TLS verifier. Idempotent (the
/// verifier keeps the first). A JNI failure is thrown to Kotlin as a `RuntimeException`, never a panic across
/// the boundary.
#[cfg(target_os = "android")]
#[no_mangle]
extern "system" fn Java_dev_tokensmith_TokensmithJni_initAndroid<'local>(
    mut env: jni::EnvUnowned<'local>,
    _class: jni::objects::JClass<'local>,
    context: jni::objects::JObject<'local>,
) {
    env.with_env(|env| -> jni::errors::Result<()> {
        rustls_platform_verifier::android::init_with_env(env, context)?;
        mark_initialised();
        Ok(())
    })
    .resolve::<jni::errors::ThrowRuntimeExAndDefault>();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TokensmithError;

    #[test]
    fn a_client_before_init_is_told_to_call_init_then_works() {
        let Err(TokensmithError::MissingConfig { details }) = ensure_initialised() else {
            panic!("expected MissingConfig before init");
        };
        assert!(details.message.contains("Tokensmith.init(context)"), "{}", details.message);
        assert_eq!(details.kind, "MissingConfig");
        mark_initialised();
        assert!(ensure_initialised().is_ok());
    }
}
