//! Links the addon against Node's N-API symbols, which the `node` process provides at load time.
fn main() {
    napi_build::setup();
}
