import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { resolveTargets } from '../../src/hub/target-spec.ts'
import { loadTransportFactory } from '../../src/hub/transport-module.ts'

const require = createRequire(import.meta.url)

test('pino-loki\'s CommonJS build, whose function sits at default.default, loads as pino loads it', async () => {
  const [spec] = resolveTargets([{ target: 'pino-loki' }])
  assert.match(spec?.module ?? '', /pino-loki\/dist\/index\.cjs$/)
  const factory = await loadTransportFactory(spec?.module as string)
  assert.equal(factory, (require('pino-loki') as { pinoLoki: unknown }).pinoLoki)
})

test('a CommonJS transport (module.exports = fn) loads as its function', async () => {
  const [spec] = resolveTargets([{ target: 'pino-roll' }])
  assert.equal(await loadTransportFactory(spec?.module as string), require('pino-roll'))
})

test('a module without a default transport function is refused, naming it', async () => {
  const url = new URL('../helpers/temp-file.ts', import.meta.url).href
  await assert.rejects(loadTransportFactory(url), { name: 'TypeError', message: `module ${url} does not export a transport function` })
})
