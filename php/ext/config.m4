dnl The build PIE (and `phpize && ./configure && make && make install`) runs for the tokensmith extension. The
dnl extension is Rust (the workspace crate bindings/php, built with ext-php-rs), so there is no C to compile: the
dnl Makefile fragment beside this file runs Cargo against the PHP that phpize and php-config name, and puts the
dnl library where phpize's `make install` takes every module from (modules/tokensmith.so).

PHP_ARG_ENABLE([tokensmith],
  [whether to enable the tokensmith extension],
  [AS_HELP_STRING([--enable-tokensmith], [Build the tokensmith extension (needs Rust's cargo and libclang)])],
  [yes])

if test "$PHP_TOKENSMITH" != "no"; then
  dnl PIE may run under sudo, whose PATH lacks rustup's directory: look there too.
  AC_PATH_PROG([CARGO], [cargo], [no], [$PATH:$HOME/.cargo/bin])
  if test "$CARGO" = "no"; then
    AC_MSG_ERROR([cargo not found: the tokensmith extension is written in Rust. Install Rust (https://rustup.rs), or use a prebuilt release binary (docs/install.md)])
  fi

  dnl ext-php-rs's build script runs php and php-config itself: give it the ones this build is for, by absolute
  dnl path (php-config may have been given as a bare name).
  TOKENSMITH_PHP_CONFIG=`command -v "$PHP_CONFIG"`
  TOKENSMITH_PHP="$PHP_EXECUTABLE"
  dnl The Cargo workspace this directory (php/ext) belongs to.
  TOKENSMITH_WORKSPACE=`cd "$abs_srcdir/../.." && pwd`
  dnl Linux only, as composer.json's os-families says.
  TOKENSMITH_CDYLIB=libtokensmith_php.so

  PHP_SUBST([CARGO])
  PHP_SUBST([TOKENSMITH_PHP_CONFIG])
  PHP_SUBST([TOKENSMITH_PHP])
  PHP_SUBST([TOKENSMITH_WORKSPACE])
  PHP_SUBST([TOKENSMITH_CDYLIB])
  dnl With no C sources, phpize's configure would list no build directory and its `mkdir` would complain.
  PHP_ADD_BUILD_DIR([modules])
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag], [$abs_srcdir], [$abs_builddir])
fi
