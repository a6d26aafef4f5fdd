'use strict'
// The loader: when no addon fits this platform, the error names the platform, the package looked for and the fix.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

test('a missing addon is reported with the platform, the package and the fix', () => {
  // The package's JavaScript without any `.node` file and without node_modules: what a user gets with
  // `--omit=optional`.
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'tokensmith-bare-'))
  for (const file of ['package.json', 'index.js', 'addon.js', 'native.js', 'testing.js']) {
    fs.copyFileSync(path.join(__dirname, '..', file), path.join(bare, file))
  }
  const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(bare)})`], { encoding: 'utf8' })
  assert.notEqual(run.status, 0)
  // As addon.js names it: glibc Linux (these tests' machines) and MSVC Windows carry their ABI in the name.
  const platform = { linux: `linux-${process.arch}-gnu`, win32: `win32-${process.arch}-msvc` }[process.platform] ??
    `${process.platform}-${process.arch}`
  assert.match(run.stderr, new RegExp(`no native addon for this platform \\(${platform}\\)`))
  assert.match(run.stderr, new RegExp(`@tokensmith/node-${platform} is not installed`))
  assert.match(run.stderr, /build the addon from source/)
  fs.rmSync(bare, { recursive: true })
})
