import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import pino, { type Logger, type LoggerOptions } from 'pino'
import { createLogger, type ThreadlogOptions } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

// Every case runs once with pino and once with threadlog, on the same fixed clock, and compares the
// lines byte for byte once threadlog's own identity fields (one contiguous run after `time`) are cut.
const IDENTITY = /,"ppid":\d+,"proc":"[^"]*","tid":\d+,"thread":"[^"]*"(?:,"worker":\d+)?,"seq":\d+/
const NOW = 1_700_000_000_123
const realNow = Date.now
before(() => { Date.now = () => NOW })
after(() => { Date.now = realNow })

function withoutIdentity (line: string): string {
  assert.match(line, IDENTITY, `a threadlog record carries the identity: ${line}`)
  return line.replace(IDENTITY, '')
}

type Scenario = (log: Logger) => void

function assertSameAsPino (options: LoggerOptions, scenario: Scenario): void {
  const expected = collectLines()
  const actual = collectLines()
  scenario(pino(options, expected))
  scenario(createLogger(options as ThreadlogOptions, actual))
  assert.ok(expected.lines.length > 0, 'the scenario writes records')
  assert.deepEqual(actual.lines.map(withoutIdentity), expected.lines)
}

// Made once, so that both loggers see the same stacks.
const BOOM = new Error('boom')
const TYPED = new TypeError('typed')

const basic: Scenario = (log) => {
  log.info('hello')
  log.info({ a: 1, nested: { b: [1, 2] } }, 'with %s and %d', 'format', 42)
  log.warn(BOOM)
  log.error({ err: TYPED }, 'failed')
  log.debug('below the level')
}

const cases: Array<[string, LoggerOptions, Scenario]> = [
  ['defaults', {}, basic],
  ['name', { name: 'api' }, basic],
  ['base: null', { base: null }, basic],
  ['a custom base', { base: { service: 'billing', region: 'eu' } }, basic],
  ['formatters.bindings', { formatters: { bindings: (b) => ({ host: b.hostname, process: b.pid }) } }, basic],
  ['formatters.level as a label', { formatters: { level: (label) => ({ level: label }) } }, basic],
  ['formatters.log', { formatters: { log: (o) => ({ ...o, logged: true }) } }, basic],
  ['mixin', { mixin: (_obj, level) => ({ fromMixin: level }) }, basic],
  ['mixin with mixinMergeStrategy', {
    mixin: () => ({ a: 'mixin' }),
    mixinMergeStrategy: (mergeObject, mixinObject) => ({ ...mergeObject, ...mixinObject })
  }, basic],
  ['redact paths', { redact: ['secret', 'user.password', 'list[*].token'] }, (log) => {
    log.info({ secret: 's', user: { name: 'u', password: 'p' }, list: [{ token: 't' }] }, 'redacted')
  }],
  ['redact with a censor', { redact: { paths: ['secret'], censor: '***' } }, (log) => log.info({ secret: 's' }, 'x')],
  ['redact with remove', { redact: { paths: ['secret'], remove: true } }, (log) => log.info({ secret: 's', kept: 1 }, 'x')],
  ['serializers', { serializers: { user: (u: { id: number }) => ({ id: u.id }), err: pino.stdSerializers.err } }, (log) => {
    log.info({ user: { id: 7, password: 'p' } }, 'serialized')
    log.error({ err: BOOM }, 'with err')
  }],
  ['messageKey', { messageKey: 'message' }, basic],
  ['errorKey', { errorKey: 'error' }, basic],
  ['nestedKey', { nestedKey: 'payload' }, basic],
  ['timestamp: isoTime', { timestamp: pino.stdTimeFunctions.isoTime }, basic],
  ['timestamp: unixTime', { timestamp: pino.stdTimeFunctions.unixTime }, basic],
  ['timestamp: false', { timestamp: false }, basic],
  ['customLevels', { customLevels: { audit: 35 }, level: 'audit' }, (log) => {
    (log as unknown as Record<'audit', (msg: string) => void>).audit('custom')
    log.info('below')
    log.warn('above')
  }],
  ['useOnlyCustomLevels', { customLevels: { low: 10, high: 50 }, useOnlyCustomLevels: true, level: 'low' }, (log) => {
    const custom = log as unknown as Record<'low' | 'high', (msg: string) => void>
    custom.low('low')
    custom.high('high')
  }],
  ['level changes on parents and children', { level: 'info' }, (log) => {
    const child = log.child({ part: 'c' })
    log.debug('hidden')
    log.level = 'debug'
    log.debug('shown')
    child.debug('child keeps its own level')
    child.level = 'trace'
    child.trace('child trace')
    log.trace('parent still debug')
  }],
  ['child(bindings, options)', { serializers: { a: (a: number) => a * 2 } }, (log) => {
    const child = log.child({ a: 1, req: 'r1' }, { level: 'warn', msgPrefix: '[c] ', redact: ['secret'] })
    child.info('hidden')
    child.warn({ secret: 'x', a: 3 }, 'child')
    child.child({ deeper: true }).error('grandchild')
  }],
  ['msgPrefix', { msgPrefix: '[app] ' }, (log) => {
    log.info('prefixed')
    log.child({}, { msgPrefix: '[child] ' }).info('twice')
  }],
  ['onChild', { onChild: (child) => { child.setBindings({ fromOnChild: true }) } }, (log) => log.child({ a: 1 }).info('x')],
  ['hooks.logMethod', {
    hooks: { logMethod (args, method) { method.apply(this, [`hooked: ${String(args[0])}`] as never) } }
  }, (log) => log.info('x')],
  ['hooks.streamWrite', { hooks: { streamWrite: (s) => s.replace('secret', '******') } }, (log) => log.info('a secret')],
  ['depthLimit and edgeLimit', { depthLimit: 2, edgeLimit: 2 }, (log) => {
    const circular: Record<string, unknown> = { a: { b: { c: { d: 1 } } }, x: 1, y: 2, z: 3 }
    circular.self = circular
    log.info({ circular }, 'limited')
  }],
  ['Symbol, BigInt, circular and toJSON values', {}, (log) => {
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    log.info({ sym: Symbol('s'), big: 10n, circular, when: { toJSON: () => 'json' } }, 'values')
  }],
  ['enabled: false', { enabled: false }, (log) => { log.fatal('nothing'); log.info('nothing') }],
  ['crlf', { crlf: true }, basic]
]

for (const [name, options, scenario] of cases) {
  if (name === 'enabled: false') continue
  test(`pino parity: ${name}`, () => assertSameAsPino(options, scenario))
}

test('pino parity: enabled: false writes nothing in either', () => {
  const expected = collectLines()
  const actual = collectLines()
  const scenario = cases.find(([name]) => name === 'enabled: false')![2]
  scenario(pino({ enabled: false }, expected))
  scenario(createLogger({ enabled: false }, actual))
  assert.deepEqual([actual.lines, expected.lines], [[], []])
})

test('pino parity: pino.multistream levels', () => {
  const lines = { pino: [collectLines(), collectLines()], threadlog: [collectLines(), collectLines()] }
  const streams = (pair: ReturnType<typeof collectLines>[]) =>
    pino.multistream([{ level: 'info', stream: pair[0]! }, { level: 'error', stream: pair[1]! }])
  const scenario: Scenario = (log) => { log.info('info'); log.error('error'); log.debug('none') }
  scenario(pino({ level: 'debug' }, streams(lines.pino)))
  scenario(createLogger({ level: 'debug' }, streams(lines.threadlog)))
  assert.deepEqual(lines.threadlog.map((sink) => sink.lines.map(withoutIdentity)), lines.pino.map((sink) => sink.lines))
  assert.deepEqual(lines.pino.map((sink) => sink.lines.length), [2, 1])
})
