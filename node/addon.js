'use strict'
// The addon, through the loader napi-rs generates (native.js): it tries this folder's `.node` (a build from
// source), then the package of this platform, `@tokensmith/node-<platform>`, which npm installs as one of the
// optional dependencies. When neither is there, say which platform this is, which package was looked for, and
// what to do, instead of napi's generic message.

const { napi } = require('./package.json')

function platform () {
  switch (process.platform) {
    case 'linux': {
      const glibc = process.report?.getReport()?.header?.glibcVersionRuntime
      return `linux-${process.arch}-${glibc ? 'gnu' : 'musl'}`
    }
    case 'win32':
      return `win32-${process.arch}-msvc`
    default:
      return `${process.platform}-${process.arch}`
  }
}

try {
  module.exports = require('./native.js')
} catch (cause) {
  const wanted = `${napi.packageName}-${platform()}`
  const error = new Error(
    `tokensmith: no native addon for this platform (${platform()}): the package ${wanted} is not installed or ` +
      'does not load. Packages are published for linux-x64-gnu, linux-arm64-gnu, linux-x64-musl, ' +
      'linux-arm64-musl, darwin-x64, darwin-arm64 and win32-x64-msvc. If yours is among them, reinstall without ' +
      `--no-optional / --omit=optional (or add ${wanted} yourself); otherwise build the addon from source: ` +
      'clone the repository, then `npm ci && npm run build` in node/ (needs Rust).'
  )
  error.cause = cause
  throw error
}
