//! TLS for the transport: rustls with the platform's verifier (the system's trust store, and its revocation checks
//! where the platform makes them), plus the roots a client adds.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::ClientConfig;

use crate::error::{Error, Result};

/// Parses PEM bundles into certificates, refusing any bundle that holds none or that does not parse, and any at all
/// on Android, whose verifier asks the platform's trust manager, which takes no extra roots (an app adds its own in
/// its network security configuration).
pub(super) fn certificates(bundles: &[Vec<u8>]) -> Result<Vec<CertificateDer<'static>>> {
    if cfg!(target_os = "android") && !bundles.is_empty() {
        return Err(Error::invalid(
            "root_certificate",
            "extra roots are not supported on Android; add them to the app's network security configuration",
        ));
    }
    let mut certificates = Vec::with_capacity(bundles.len());
    for pem in bundles {
        let before = certificates.len();
        for certificate in CertificateDer::pem_slice_iter(pem) {
            let certificate =
                certificate.map_err(|e| Error::invalid("root_certificate", format!("not a PEM certificate ({e})")))?;
            certificates.push(certificate);
        }
        if certificates.len() == before {
            return Err(Error::invalid("root_certificate", "holds no PEM certificate"));
        }
    }
    Ok(certificates)
}

/// The client configuration: the platform's verifier, with `extra_roots` trusted beside the system's.
pub(super) fn client_config(extra_roots: Vec<CertificateDer<'static>>) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = verifier(extra_roots, Arc::clone(&provider))
        .map_err(|e| Error::Transport(format!("could not load the platform's TLS verifier: {e}")))?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Transport(format!("could not configure TLS: {e}")))?
        .dangerous() // the platform's verifier is a custom one to rustls: it verifies, nothing is skipped
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()]; // as reqwest offered: some servers and middleboxes want it
    Ok(config)
}

#[cfg(not(target_os = "android"))]
fn verifier(
    extra_roots: Vec<CertificateDer<'static>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> std::result::Result<rustls_platform_verifier::Verifier, rustls::Error> {
    if extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider)
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider)
    }
}

/// Android's: the platform's trust manager alone (`certificates` refused extra roots).
#[cfg(target_os = "android")]
fn verifier(
    _: Vec<CertificateDer<'static>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> std::result::Result<rustls_platform_verifier::Verifier, rustls::Error> {
    rustls_platform_verifier::Verifier::new(provider)
}
