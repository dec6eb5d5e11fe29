import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runProcess } from '../helpers/run-process.ts'

const fixture = fileURLToPath(new URL('../fixtures/import-only.ts', import.meta.url))

async function reports (mode: 'threadlog' | 'pino' | 'logger'): Promise<unknown[]> {
  const result = await runProcess(process.execPath, [fixture, mode])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)
}

test('importing threadlog makes no shared memory, channel, exit hook or handle beyond what importing pino does', async () => {
  const [pino] = await reports('pino')
  // Nothing is left to keep the process alive either: it ends as soon as its module has run.
  assert.deepEqual(await reports('threadlog'), [{ ...(pino as object), environment: [], listeners: [] }])
})

test('the first logger makes them: the probes above would see them', async () => {
  const [pino] = await reports('pino') as Array<{ handles: string[] }>
  const [, afterLogger] = await reports('logger')
  assert.deepEqual(afterLogger, {
    environment: ['threadlog:control', 'threadlog:filter'],
    listeners: ['exit', 'SIGINT', 'SIGTERM', 'uncaughtExceptionMonitor'],
    handles: pino?.handles
  })
})
