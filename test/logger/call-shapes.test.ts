import assert from 'node:assert/strict'
import { once } from 'node:events'
import { openSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import pino, { type Logger } from 'pino'
import { createLogger } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'
import { tempFile } from '../helpers/temp-file.ts'

// Each shape pino takes writes to the given destination, in this thread, with the identity added.
function recordsIn (path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** Ends the sonic-boom that pino opened and waits until it has written everything and closed. */
async function settle (log: Logger): Promise<void> {
  const stream = (log as unknown as Record<symbol, NodeJS.EventEmitter & { end: () => void }>)[pino.symbols.streamSym]!
  const closed = once(stream, 'close')
  stream.end()
  await closed
}

function assertIdentified (record: Record<string, unknown> | undefined, msg: string): void {
  assert.deepEqual([record?.msg, record?.pid, record?.tid, record?.thread, typeof record?.proc], [msg, process.pid, 0, 'main', 'string'])
}

test('createLogger(stream) writes to the stream', () => {
  const sink = collectLines()
  createLogger(sink).info('to a stream')
  assertIdentified(sink.records()[0], 'to a stream')
})

test('createLogger(options, stream) writes to the stream with the options', () => {
  const sink = collectLines()
  createLogger({ name: 'api', level: 'debug' }, sink).debug('debug shown')
  const record = sink.records()[0]
  assertIdentified(record, 'debug shown')
  assert.deepEqual([record?.name, record?.proc, record?.level], ['api', 'api', 20])
})

test('createLogger(pino.destination({ sync: true })) writes to that file', () => {
  const path = tempFile()
  createLogger(pino.destination({ dest: path, sync: true })).info('sonic-boom')
  assertIdentified(recordsIn(path)[0], 'sonic-boom')
})

test('createLogger(path) and createLogger(options, path) open the file as pino does', async () => {
  const [first, second] = [tempFile(), tempFile()]
  const a = createLogger(first)
  const b = createLogger({ name: 'to-path' }, second)
  a.info('path alone')
  b.info('path with options')
  await Promise.all([a, b].map(settle))
  assertIdentified(recordsIn(first)[0], 'path alone')
  assertIdentified(recordsIn(second)[0], 'path with options')
})

test('createLogger(fd) writes to that file descriptor', async () => {
  const path = tempFile()
  const fd = openSync(path, 'w')
  const log = createLogger(fd)
  log.info('to an fd')
  await settle(log)
  assertIdentified(recordsIn(path)[0], 'to an fd')
})

test('createLogger(options, pino.multistream(...)) sends each stream the levels it asked for', () => {
  const [all, errors] = [collectLines(), collectLines()]
  const log = createLogger({ level: 'debug' }, pino.multistream([{ level: 'debug', stream: all }, { level: 'error', stream: errors }]))
  log.debug('d')
  log.error('e')
  assert.deepEqual([all.records().map((r) => r.msg), errors.records().map((r) => r.msg)], [['d', 'e'], ['e']])
  assertIdentified(errors.records()[0], 'e')
})

test('a destination given twice is a TypeError', () => {
  assert.throws(() => createLogger({ destination: collectLines() }, collectLines()),
    { name: 'TypeError', message: /either as option "destination" or as createLogger's second argument/ })
})

test('pino\'s statics are threadlog\'s too, the very same objects', async () => {
  const threadlog = await import('../../src/index.ts')
  const names = ['destination', 'multistream', 'stdSerializers', 'stdTimeFunctions', 'levels', 'symbols', 'version'] as const
  assert.deepEqual(names.filter((name) => threadlog[name] !== pino[name]), [])
})
