import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger, getFilter, setFilter } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'
import { runFixture } from '../helpers/run-fixture.ts'

// These tests run in order in one process and share its filter: each says what it starts from.

test('setFilter replaces the filter option of existing loggers, and of loggers made afterwards', async () => {
  const sink = collectLines()
  const before = createLogger({ filter: 'warn', destination: sink })
  assert.equal(getFilter(), undefined)
  await setFilter(' DEBUG , thread:other=error ')
  assert.equal(getFilter(), 'debug,thread:other=error')
  const after = createLogger({ filter: 'fatal', destination: sink })
  before.debug('before')
  after.debug('after')
  assert.deepEqual(sink.records().map((r) => r.msg), ['before', 'after'])
})

test('a logger whose level the program assigned keeps it across setFilter', async () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  log.level = 'error'
  await setFilter('trace')
  log.warn('no')
  log.error('yes')
  assert.deepEqual(sink.records().map((r) => r.msg), ['yes'])
  assert.equal(log.level, 'error')
})

test('setFilter(\'\') removes every directive: each logger\'s pino level applies', async () => {
  const sink = collectLines()
  const log = createLogger({ level: 'warn', filter: 'trace', destination: sink })
  assert.equal(log.level, 'trace')
  await setFilter('')
  assert.equal(getFilter(), '')
  assert.equal(log.level, 'warn')
})

test('a child process that connects after setFilter gets its directives on connecting', async () => {
  const result = await runFixture('set-filter-late-child.ts')
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(result.appRecords().map((r) => [r.proc, r.msg, r.level, r.filter]), [
    ['late-child', 'child sees the filter', 20, 'debug,proc:root=warn']
  ])
})
