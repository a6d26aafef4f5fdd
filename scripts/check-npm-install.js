// Usage: node scripts/check-npm-install.js   (from a project that has just `npm install`ed the packages)
//
// What a user does first with the installed `tokensmith` package, run by scripts/dist-node and by the release
// workflow on macOS and Windows: both Akool methods and an AceData create against the package's own testing kit.
'use strict'
const assert = require('node:assert/strict')
const { createRequire } = require('node:module')

// Resolve from the project in the working directory, not from this script's folder.
const project = createRequire(`${process.cwd()}/`)
const { MockServer } = project('tokensmith/testing')
const { AkoolClient, AceDataPlatform } = project('tokensmith')

;(async () => {
  const mock = new MockServer()
  const byKey = AkoolClient.fromApiKey(mock.apiKey, { baseUrl: mock.baseUrl })
  const byToken = AkoolClient.fromClientCredentials(mock.clientId, mock.clientSecret, { baseUrl: mock.baseUrl })
  assert.equal((await byKey.request('GET', '/api/open/v3/faceswap/quota/info')).auth, 'x-api-key')
  assert.equal((await byToken.request('GET', '/api/open/v3/faceswap/quota/info')).auth, 'bearer')
  const platform = new AceDataPlatform(mock.platformToken, { baseUrl: mock.baseUrl })
  const created = await platform.createCredential(mock.applicationId)
  assert.deepEqual(mock.credentials.map(c => c.id), [created.id])
  mock.stop()
  console.log(`ok: both Akool methods and an AceData create through the installed package (${process.platform}-${process.arch})`)
})().catch(error => { console.error(error); process.exit(1) })
