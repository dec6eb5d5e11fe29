import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { createLogger, withContext } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'
import { callSiteOf } from '../helpers/source-position.ts'

const HERE = import.meta.filename

function located () {
  const sink = collectLines()
  return { sink, log: createLogger({ destination: sink, caller: true }) }
}

const cases: Array<[string, unknown, string, RegExp]> = [
  ['caller not a boolean', { caller: 'yes' }, 'TypeError', /option "caller" must be a boolean/],
  ['callerIgnore not an array', { callerIgnore: '/srv/log.ts' }, 'TypeError', /option "callerIgnore"/],
  ['callerIgnore entry not a string', { callerIgnore: [42] }, 'TypeError', /option "callerIgnore\[0\]"/],
  ['callerIgnore entry relative', { callerIgnore: ['/srv/a.ts', 'lib/log.ts'] }, 'RangeError', /option "callerIgnore\[1\]" must be an absolute path/]
]

for (const [title, options, name, message] of cases) {
  test(`bad configuration throws at construction: ${title}`, () => {
    assert.throws(() => createLogger({ destination: collectLines(), ...options as object }), { name, message })
  })
}

test('a call field named caller wins over the location; fn is still written', () => {
  const { sink, log } = located()
  function shadowing (): void {
    log.info({ caller: 'billing' }, 'shadowed')
  }
  shadowing()
  assert.deepEqual(sink.lines[0]?.match(/"(caller|fn)":"[^"]*"/g), ['"fn":"shadowing"', '"caller":"billing"'])
})

test('a child binding named fn wins over the function name; caller is still written', () => {
  const { sink, log } = located()
  function bound (): void {
    log.child({ fn: 'job-7' }).info('bound fn')
  }
  bound()
  assert.deepEqual(sink.lines[0]?.match(/"(caller|fn)":"[^"]*"/g),
    [`"caller":"${callSiteOf(HERE, 'info', "'bound fn'")}"`, '"fn":"job-7"'])
})

test('a binding with a nested caller or fn key keeps both fields: only a top-level key wins', () => {
  const { sink, log } = located()
  function nested (): void {
    log.child({ req: { id: 1, caller: 'x', fn: 'y' } }).info('nested')
  }
  nested()
  const record = sink.records()[0] ?? {}
  assert.deepEqual([record.caller, record.fn, record.req],
    [callSiteOf(HERE, 'info', "'nested'"), 'nested', { id: 1, caller: 'x', fn: 'y' }])
})

test('a caller binding added by setBindings after a first record wins from the next record on', () => {
  const { sink, log } = located()
  const child = log.child({ req: { caller: 'x' } })
  child.info('before')
  child.setBindings({ caller: 'billing' })
  child.info('after')
  assert.deepEqual(sink.lines.map((line) => line.match(/"caller":"[^"]*"/g)),
    [[`"caller":"${callSiteOf(HERE, 'info', "'before'")}"`, '"caller":"x"'], ['"caller":"x"', '"caller":"billing"']])
})

test('a context field named fn wins over the function name, written once', () => {
  const { sink, log } = located()
  function inContext (): void {
    log.info('context fn')
  }
  withContext({ fn: 'resize' }, inContext)
  assert.deepEqual(sink.lines[0]?.match(/"(caller|fn)":"[^"]*"/g),
    [`"caller":"${callSiteOf(HERE, 'info', "'context fn'")}"`, '"fn":"resize"'])
})

test('when the stack cannot be captured, the record is written without caller nor fn', () => {
  const { sink, log } = located()
  const descriptor = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')
  Object.defineProperty(Error, 'stackTraceLimit', { value: 10, writable: false, configurable: true })
  try {
    log.info('no stack')
  } finally {
    Object.defineProperty(Error, 'stackTraceLimit', descriptor ?? { value: 10, writable: true, configurable: true })
  }
  const record = sink.records()[0] ?? {}
  assert.deepEqual([record.msg, 'caller' in record, 'fn' in record], ['no stack', false, false])
})

test('the application\'s Error.prepareStackTrace and stackTraceLimit are left as they were', () => {
  const { log } = located()
  const prepare = (error: Error) => `custom: ${error.message}`
  const previousPrepare = Error.prepareStackTrace
  const previousLimit = Error.stackTraceLimit
  Error.prepareStackTrace = prepare
  Error.stackTraceLimit = 3
  try {
    log.info('settings kept')
    assert.equal(Error.prepareStackTrace, prepare)
    assert.equal(Error.stackTraceLimit, 3)
    assert.equal(new Error('after').stack, 'custom: after')
  } finally {
    Error.prepareStackTrace = previousPrepare
    Error.stackTraceLimit = previousLimit
  }
})

test('with caller: true a log call never throws and writes one record per call, whatever the arguments', () => {
  const { sink, log } = located()
  const hostile = new Proxy({}, { get () { throw new Error('trap') }, ownKeys () { throw new Error('trap') } })
  fc.assert(fc.property(fc.oneof(fc.anything({ withBigInt: true }), fc.constant(Symbol('s')), fc.constant(hostile)), (value) => {
    const before = sink.lines.length
    log.info(value as object, 'message')
    log.child({ value } as object).warn(value as string)
    assert.equal(sink.lines.length, before + 2)
  }), { numRuns: 200 })
})
