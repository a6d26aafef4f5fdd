# Appended to the Makefile phpize generates (config.m4). `all` and `build-modules` (which `make install` runs before
# copying modules/* into PHP's extension directory) get modules/tokensmith.so as a prerequisite: Cargo's library,
# renamed. Cargo decides what is stale, so it always runs. CARGO_TARGET_DIR in the environment moves its output.

all: $(phplibdir)/tokensmith.so
build-modules: $(phplibdir)/tokensmith.so

$(phplibdir)/tokensmith.so: tokensmith-cargo-build
	cp "$${CARGO_TARGET_DIR:-$(TOKENSMITH_WORKSPACE)/target}/release/$(TOKENSMITH_CDYLIB)" $@

tokensmith-cargo-build:
	PHP="$(TOKENSMITH_PHP)" PHP_CONFIG="$(TOKENSMITH_PHP_CONFIG)" "$(CARGO)" build --release --locked \
		-p tokensmith-php --manifest-path "$(TOKENSMITH_WORKSPACE)/Cargo.toml"

.PHONY: tokensmith-cargo-build
