import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { FileCache } from '../../src/context/file-cache.ts'
import { createLogger } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'
import { callSiteOf } from '../helpers/source-position.ts'

const HERE = import.meta.filename

function located () {
  const sink = collectLines()
  return { sink, log: createLogger({ destination: sink, caller: true }) }
}

test('caller is off by default: records have no caller nor fn', () => {
  const sink = collectLines()
  createLogger({ destination: sink }).info('plain')
  const record = sink.records()[0] ?? {}
  assert.equal('caller' in record, false)
  assert.equal('fn' in record, false)
})

test('a direct call names the file relative to cwd, the line and the column', () => {
  const { sink, log } = located()
  log.info('direct')
  assert.equal(sink.records()[0]?.caller, callSiteOf(HERE, 'info', "'direct'"))
})

test('a call from a named function gives its name as fn', () => {
  const { sink, log } = located()
  function handleRequest (): void {
    log.warn('from named')
  }
  handleRequest()
  const record = sink.records()[0] ?? {}
  assert.equal(record.caller, callSiteOf(HERE, 'warn', "'from named'"))
  assert.equal(record.fn, 'handleRequest')
})

test('a call from an anonymous arrow function has no fn', () => {
  const { sink, log } = located()
  for (const n of [1]) [n].forEach(() => log.error('from arrow'))
  const record = sink.records()[0] ?? {}
  assert.equal(record.caller, callSiteOf(HERE, 'error', "'from arrow'"))
  assert.equal('fn' in record, false)
})

test('a child logger reports the call on the child, not pino or threadlog frames', () => {
  const { sink, log } = located()
  function viaChild (): void {
    log.child({ part: 1 }).child({ step: 2 }).info('from grandchild')
  }
  viaChild()
  const record = sink.records()[0] ?? {}
  assert.deepEqual([record.caller, record.fn], [callSiteOf(HERE, 'info', "'from grandchild'"), 'viaChild'])
})

test('fatal, bound methods and a user logMethod hook still report the user call', () => {
  const sink = collectLines()
  const log = createLogger({
    destination: sink,
    caller: true,
    level: 'debug',
    hooks: { logMethod (args, method) { method.apply(this, args) } }
  })
  const bound = log.debug.bind(log)
  function severalWays (): void {
    log.fatal('fatal call')
    bound('bound call')
  }
  severalWays()
  assert.deepEqual(sink.records().map((r) => [r.caller, r.fn]), [
    [callSiteOf(HERE, 'fatal', "'fatal call'"), 'severalWays'],
    [callSiteOf(HERE, 'bound', "'bound call'"), 'severalWays']
  ])
})

test('caller and fn come right after seq, before context fields, bindings, call fields and msg', async () => {
  const { withContext } = await import('../../src/index.ts')
  const { sink, log } = located()
  function ordered (): void {
    log.child({ bound: 1 }).info({ size: 2 }, 'ordered')
  }
  withContext({ reqId: 'r1' }, ordered)
  assert.deepEqual(Object.keys(sink.records()[0] ?? {}), [
    'level', 'time', 'pid', 'hostname', 'ppid', 'proc', 'tid', 'thread', 'seq', 'caller', 'fn',
    'reqId', 'bound', 'size', 'msg'
  ])
})

test('a logging helper in a callerIgnore file reports the helper\'s caller', async () => {
  const { logThrough } = await import('../fixtures/caller-helper.ts')
  const sink = collectLines()
  const log = createLogger({ destination: sink, caller: true, callerIgnore: [new URL('../fixtures/caller-helper.ts', import.meta.url).href] })
  function usesHelper (): void {
    logThrough(log, 'through helper')
  }
  usesHelper()
  const record = sink.records()[0] ?? {}
  assert.deepEqual([record.caller, record.fn], [callSiteOf(HERE, 'logThrough', "log, 'through helper'"), 'usesHelper'])
})

test('without callerIgnore, a logging helper is itself the caller', async () => {
  const { logThrough } = await import('../fixtures/caller-helper.ts')
  const { sink, log } = located()
  logThrough(log, 'helper is caller')
  const record = sink.records()[0] ?? {}
  const helper = fileURLToPath(new URL('../fixtures/caller-helper.ts', import.meta.url))
  assert.deepEqual([record.caller, record.fn], [callSiteOf(helper, 'info', 'message'), 'logThrough'])
})

test('the per-file caches compute a file once, and start over once 1024 files are held', () => {
  const computed: string[] = []
  const cache = new FileCache((file) => { computed.push(file); return file.length })
  for (let i = 0; i < 1024; i++) cache.get(`/f${i}`)
  cache.get('/f0')
  assert.equal(computed.length, 1024)
  cache.get('/new') // full: starts over, then holds only /new
  cache.get('/f0')
  assert.deepEqual(computed.slice(1024), ['/new', '/f0'])
})
