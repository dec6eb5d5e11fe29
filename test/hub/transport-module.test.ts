import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { resolveTargets } from '../../src/targets/target-spec.ts'
import { loadTransportFactory } from '../../src/targets/transport-module.ts'

const require = createRequire(import.meta.url)

/** The module URL `target` resolves to; fails unless it is a transport module. */
function moduleOf (target: string): string {
  const [spec] = resolveTargets([{ target }])
  assert.equal(spec?.kind, 'transport')
  return spec.module
}

test('pino-loki\'s CommonJS build, whose function sits at default.default, loads as pino loads it', async () => {
  const url = moduleOf('pino-loki')
  assert.match(url, /pino-loki\/dist\/index\.cjs$/)
  const factory = await loadTransportFactory(url)
  assert.equal(factory, (require('pino-loki') as { pinoLoki: unknown }).pinoLoki)
})

test('a CommonJS transport (module.exports = fn) loads as its function', async () => {
  assert.equal(await loadTransportFactory(moduleOf('pino-roll')), require('pino-roll'))
})

test('a module without a default transport function is refused, naming it', async () => {
  const url = new URL('../helpers/temp-file.ts', import.meta.url).href
  await assert.rejects(loadTransportFactory(url), { name: 'TypeError', message: `module ${url} does not export a transport function` })
})
