import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger, withContext } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'
import { runFixture } from '../helpers/run-fixture.ts'

/** `thread:level` → number of records, sorted, for the application's records. */
function countByThreadAndLevel (records: Array<Record<string, unknown>>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const record of records) {
    const key = `${String(record.thread)}:${String(record.msg)}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).sort())
}

test('THREADLOG: workers whose thread matches thread:resize-*=debug emit debug, the others do not', async () => {
  const result = await runFixture('filter-threads.ts', [], { THREADLOG: 'info,thread:resize-*=debug' })
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(countByThreadAndLevel(result.appRecords()), {
    'main:info': 3, 'resize-1:debug': 3, 'resize-1:info': 3, 'resize-2:debug': 3, 'resize-2:info': 3, 'thumb:info': 3
  })
})

test('the filter option works the same, with pino\'s level where no term matches', async () => {
  const result = await runFixture('filter-threads.ts', ['thread:thumb=trace,tid:0=warn'])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(countByThreadAndLevel(result.appRecords()), {
    'resize-1:info': 3, 'resize-2:info': 3, 'thumb:debug': 3, 'thumb:info': 3, 'thumb:trace': 3
  })
})

test('THREADLOG replaces the filter option', async () => {
  const result = await runFixture('filter-threads.ts', ['thread:thumb=trace'], { THREADLOG: 'thread:resize-2=debug,warn' })
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(countByThreadAndLevel(result.appRecords()), { 'resize-2:debug': 3, 'resize-2:info': 3 })
})

test('a bad THREADLOG is an error at startup that quotes the term', async () => {
  const result = await runFixture('filter-threads.ts', [], { THREADLOG: 'info,thread:resize-*=verbose' })
  assert.equal(result.code, 1)
  assert.match(result.stderr, /TypeError: threadlog: environment variable THREADLOG: bad term "thread:resize-\*=verbose": unknown level "verbose"; expected one of trace, debug, info, warn, error, fatal, silent/)
  assert.equal(result.stdout, '')
})

test('a bad filter option throws a TypeError naming the option and quoting the term', () => {
  assert.throws(() => createLogger({ filter: 'debug,proc=info', destination: collectLines() }), {
    name: 'TypeError',
    message: 'threadlog: option "filter": bad term "proc=info": "proc" is not a selector; expected thread:<glob>, tid:<n>, proc:<glob>, pid:<n> or ctx.<key>:<glob> before "="'
  })
  assert.throws(() => createLogger({ filter: 3 as never, destination: collectLines() }), { name: 'TypeError', message: /^threadlog: option "filter" must be a string/ })
})

test('a filtered-out level is one of pino\'s disabled methods; the directives set the logger\'s level', () => {
  const log = createLogger({ filter: 'warn,thread:other=trace', destination: collectLines() })
  assert.equal(log.level, 'warn')
  assert.equal(log.isLevelEnabled('info'), false)
  assert.equal(log.info, log.debug)
})

test('ctx selectors decide per record, and a dropped record takes no seq', () => {
  const sink = collectLines()
  const log = createLogger({ filter: 'warn,ctx.user:bo*=trace', destination: sink })
  log.info('dropped')
  withContext({ user: 'bob' }, () => log.trace('kept'))
  withContext({ user: 'al' }, () => log.info('dropped'))
  withContext({ user: 42 }, () => log.error('kept'))
  assert.deepEqual(sink.records().map((r) => [r.msg, r.seq, r.level]), [['kept', 1, 10], ['kept', 2, 50]])
})

test('log.level = … takes a logger out of the directives, as in pino; children follow their parent unless leveled', () => {
  const sink = collectLines()
  const log = createLogger({ filter: 'error', destination: sink })
  const child = log.child({ c: 1 })
  const leveled = log.child({ c: 2 }, { level: 'info' })
  log.info('no'); child.info('no'); leveled.info('leveled')
  log.level = 'debug'
  log.debug('parent'); child.debug('child'); leveled.debug('no')
  assert.deepEqual(sink.records().map((r) => r.msg), ['leveled', 'parent', 'child'])
  assert.equal(log.level, 'debug')
})

test('the directives apply to the hub\'s own records too: its thread is threadlog-hub', async () => {
  const hubMessages = (records: Array<Record<string, unknown>>) =>
    records.filter((r) => r.thread === 'threadlog-hub').map((r) => `${String(r.msg)} ${String(r.threadName)}`)
  const shown = await runFixture('filter-threads.ts', [], { THREADLOG: 'debug' })
  assert.equal(shown.code, 0, shown.stderr)
  assert.deepEqual(hubMessages(shown.records()), [
    'thread started main',
    'thread started resize-1', 'thread exited resize-1',
    'thread started resize-2', 'thread exited resize-2',
    'thread started thumb', 'thread exited thumb'
  ])
  const hidden = await runFixture('filter-threads.ts', ['debug'], { THREADLOG: 'debug,thread:threadlog-hub=warn' })
  assert.equal(hidden.code, 0, hidden.stderr)
  assert.deepEqual(hubMessages(hidden.records()), [])
  assert.equal(hidden.appRecords().length, 24)
})

test('ctx. terms do not filter a child logger whose level the program chose, nor that child\'s children', () => {
  const sink = collectLines()
  const log = createLogger({ filter: 'warn,ctx.user:bob=trace', destination: sink })
  const leveled = log.child({ c: 1 }, { level: 'info' })
  const grandchild = leveled.child({ c: 2 })
  withContext({ user: 'al' }, () => {
    log.info('dropped')
    leveled.info('leveled')
    grandchild.info('grandchild')
    leveled.debug('below its level')
  })
  assert.deepEqual(sink.records().map((r) => r.msg), ['leveled', 'grandchild'])
})
