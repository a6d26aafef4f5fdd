# Appended to the Makefile phpize generates (config.m4). `all` and `build-modules` (which `make install` runs before
# copying modules/* into PHP's extension directory) get modules/tokensmith.so as a prerequisite: Cargo's library,
# renamed. Cargo decides what is stale, so it always runs. Its output folder is the one Cargo reports (moved by
# CARGO_TARGET_DIR or a `build.target-dir` of the user's Cargo config), for the host (no CARGO_BUILD_TARGET).

all: $(phplibdir)/tokensmith.so
build-modules: $(phplibdir)/tokensmith.so

$(phplibdir)/tokensmith.so: tokensmith-cargo-build
	target_dir="$$("$(CARGO)" metadata --format-version 1 --no-deps --manifest-path "$(TOKENSMITH_WORKSPACE)/Cargo.toml" \
		| sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')" && \
		cp "$$target_dir/release/$(TOKENSMITH_CDYLIB)" $@

tokensmith-cargo-build:
	env -u CARGO_BUILD_TARGET PHP="$(TOKENSMITH_PHP)" PHP_CONFIG="$(TOKENSMITH_PHP_CONFIG)" "$(CARGO)" build --release --locked \
		-p tokensmith-php --manifest-path "$(TOKENSMITH_WORKSPACE)/Cargo.toml"

.PHONY: tokensmith-cargo-build
