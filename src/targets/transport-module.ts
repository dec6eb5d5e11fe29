// Loads a pino transport module the way pino's own worker does (pino/lib/transport-stream.js), so
// that every module that works as `pino.transport({ target })` works as a hub target.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/** What a pino transport module exports: a function that returns a stream (or a promise of one). */
export type TransportFactory = (options: unknown) => unknown

/** pino falls back to `require` for these import errors (thread-stream#34: a bundled or odd path). */
const REQUIRE_FALLBACK_CODES = new Set(['ENOTDIR', 'ERR_MODULE_NOT_FOUND'])

async function importOrRequire (url: string): Promise<unknown> {
  try {
    return await import(url)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code !== 'string' || !REQUIRE_FALLBACK_CODES.has(code) || !url.startsWith('file:')) throw error
    const path = fileURLToPath(url)
    return createRequire(path)(path)
  }
}

/**
 * Imports the transport module at `url` (a file URL) and returns its factory. Like pino, it unwraps
 * up to two `default`s: `import()` of a CommonJS module gives a namespace whose `default` is
 * `module.exports`, and a CommonJS build of an ES module (pino-loki's) puts the function one
 * `default` further.
 *
 * @throws {TypeError} when neither the module nor its defaults is a function.
 */
export async function loadTransportFactory (url: string): Promise<TransportFactory> {
  let exported = await importOrRequire(url)
  if (typeof exported === 'object' && exported !== null) exported = (exported as { default?: unknown }).default
  if (typeof exported === 'object' && exported !== null) exported = (exported as { default?: unknown }).default
  if (typeof exported !== 'function') throw new TypeError(`module ${url} does not export a transport function`)
  return exported as TransportFactory
}
