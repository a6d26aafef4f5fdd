//! `cargo run -p uniffi-bindgen -- generate target/release/libtokensmith_ffi.so --language kotlin --config uniffi.toml --out-dir OUT`
fn main() {
    uniffi::uniffi_bindgen_main()
}
