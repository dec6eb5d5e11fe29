import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDirectives, type FilterSubject } from '../../src/filter/directives.ts'

const FALLBACK = 30

function levelFor (text: string, subject: FilterSubject): number {
  return parseDirectives(text).levelFor(subject, FALLBACK)
}

test('the example of the issue parses into its four terms, in order', () => {
  const directives = parseDirectives('info,thread:resize-*=debug,proc:billing=warn,tid:3=trace')
  assert.deepEqual(directives.terms, [
    { kind: 'level', level: 'info', value: 30 },
    { kind: 'thread', pattern: 'resize-*', level: 'debug', value: 20 },
    { kind: 'proc', pattern: 'billing', level: 'warn', value: 40 },
    { kind: 'tid', pattern: '3', level: 'trace', value: 10 }
  ])
  assert.equal(directives.text, 'info,thread:resize-*=debug,proc:billing=warn,tid:3=trace')
  assert.equal(directives.defaultLevel, 30)
  assert.equal(directives.usesContext, false)
})

test('blanks around terms, "=" and ":" are dropped, levels are read in any case, blank terms are skipped', () => {
  const directives = parseDirectives('  WARN , thread : my worker = Debug ,, ctx.tenant :acme=error ,')
  assert.equal(directives.text, 'warn,thread:my worker=debug,ctx.tenant:acme=error')
  assert.equal(directives.usesContext, true)
})

test('an empty string filters nothing: the fallback decides', () => {
  const directives = parseDirectives('')
  assert.deepEqual([directives.terms, directives.text, directives.defaultLevel], [[], '', undefined])
  assert.equal(directives.levelFor({ tid: 1 }, 42), 42)
})

test('silent is Infinity, and the last bare level is the default', () => {
  assert.equal(parseDirectives('debug,silent').defaultLevel, Infinity)
  assert.equal(parseDirectives('silent,debug').defaultLevel, 20)
  assert.equal(levelFor('thread:noisy=silent', { thread: 'noisy' }), Infinity)
})

test('commas inside braces belong to the glob', () => {
  const directives = parseDirectives('thread:{resize,thumb}-*=debug,warn')
  assert.equal(directives.terms.length, 2)
  assert.equal(directives.levelFor({ thread: 'thumb-2' }, FALLBACK), 20)
  assert.equal(directives.levelFor({ thread: 'crop-2' }, FALLBACK), 40)
})

test('globs are picomatch globs where * crosses "/", and a literal must be equal', () => {
  assert.equal(levelFor('thread:pool*=debug', { thread: 'pool/1' }), 20)
  assert.equal(levelFor('thread:w?=debug', { thread: 'w7' }), 20)
  assert.equal(levelFor('thread:w[0-3]=debug', { thread: 'w4' }), FALLBACK)
  assert.equal(levelFor('thread:@(a|b)=debug', { thread: 'b' }), 20)
  assert.equal(levelFor('thread:!(main)=debug', { thread: 'main' }), FALLBACK)
  assert.equal(levelFor('thread:!(main)=debug', { thread: 'w' }), 20)
  assert.equal(levelFor('proc:api=debug', { proc: 'api-2' }), FALLBACK)
  assert.equal(levelFor('proc:.hidden=debug', { proc: '.hidden' }), 20)
})

test('tid and pid compare numbers', () => {
  assert.equal(levelFor('tid:3=trace', { tid: 3 }), 10)
  assert.equal(levelFor('tid:03=trace', { tid: 3 }), 10)
  assert.equal(levelFor('tid:3=trace', { tid: 30 }), FALLBACK)
  assert.equal(levelFor('pid:4242=error', { pid: 4242 }), 50)
  assert.equal(levelFor('pid:4242=error', { tid: 4242 }), FALLBACK)
})

test('a selector on a field the subject lacks matches nothing', () => {
  assert.equal(levelFor('thread:*=debug,proc:*=warn,tid:0=error,ctx.user:*=fatal', {}), FALLBACK)
})

test('ctx selectors compare strings, numbers, booleans and bigints as written; objects and null match nothing', () => {
  const context = (values: Record<string, unknown>) => (key: string) => values[key]
  const text = 'ctx.user:4*=debug'
  assert.equal(levelFor(text, { context: context({ user: '42' }) }), 20)
  assert.equal(levelFor(text, { context: context({ user: 42 }) }), 20)
  assert.equal(levelFor(text, { context: context({ user: 42n }) }), 20)
  assert.equal(levelFor('ctx.beta:true=debug', { context: context({ beta: true }) }), 20)
  assert.equal(levelFor(text, { context: context({ user: { id: 42 } }) }), FALLBACK)
  assert.equal(levelFor(text, { context: context({ user: null }) }), FALLBACK)
  assert.equal(levelFor(text, { context: context({}) }), FALLBACK)
})

test('specificity: tid/pid beat thread/proc, which beat ctx, which beats the bare level, whatever the order', () => {
  const subject: FilterSubject = { tid: 3, pid: 9, thread: 'resize-1', proc: 'api', context: () => 'acme' }
  assert.equal(levelFor('tid:3=trace,thread:resize-1=debug,ctx.t:acme=error,fatal', subject), 10)
  assert.equal(levelFor('fatal,ctx.t:acme=error,thread:resize-1=debug,tid:3=trace', subject), 10)
  assert.equal(levelFor('fatal,ctx.t:acme=error,proc:api=debug', subject), 20)
  assert.equal(levelFor('ctx.t:acme=error,fatal', subject), 50)
  assert.equal(levelFor('pid:9=warn,thread:*=trace', subject), 40)
})

test('specificity ties: more literal characters win, then the later term', () => {
  const subject: FilterSubject = { thread: 'resize-1', proc: 'api' }
  assert.equal(levelFor('thread:resize-*=debug,thread:*=error', subject), 20)
  assert.equal(levelFor('thread:*=error,thread:resize-*=debug', subject), 20)
  assert.equal(levelFor('thread:r*=error,proc:api=warn', subject), 40)
  assert.equal(levelFor('thread:res*=error,proc:api=warn', subject), 40)
  assert.equal(levelFor('thread:resi*=error,proc:api=warn', subject), 50)
  assert.equal(levelFor('thread:[rx]esize-1=error,thread:*esize-1=warn', subject), 40)
  assert.equal(levelFor('proc:api=error,thread:r*-1=warn', subject), 40)
  assert.equal(levelFor('thread:r*-1=warn,proc:api=error', subject), 50)
})

test('thresholdFor resolves identity once: a matching identity term ignores context', () => {
  const directives = parseDirectives('warn,thread:w1=info,ctx.req:slow-*=trace,ctx.user:bot=silent')
  assert.deepEqual(directives.thresholdFor({ thread: 'w1' }, FALLBACK), { floor: 30, forContext: undefined })
  const other = directives.thresholdFor({ thread: 'w2' }, FALLBACK)
  assert.equal(other.floor, 10)
  assert.equal(other.forContext?.((key) => key === 'req' ? 'slow-7' : undefined), 10)
  assert.equal(other.forContext?.((key) => key === 'user' ? 'bot' : undefined), Infinity)
  assert.equal(other.forContext?.(() => undefined), 40)
  assert.deepEqual(parseDirectives('debug').thresholdFor({ thread: 'w2' }, FALLBACK), { floor: 20, forContext: undefined })
  assert.deepEqual(parseDirectives('').thresholdFor({}, 42), { floor: 42, forContext: undefined })
})

test('thresholdFor without a default uses the fallback for context misses and the floor', () => {
  const threshold = parseDirectives('ctx.user:admin=fatal').thresholdFor({ thread: 'main' }, FALLBACK)
  assert.equal(threshold.floor, FALLBACK)
  assert.equal(threshold.forContext?.(() => 'admin'), 60)
  assert.equal(threshold.forContext?.(() => 'guest'), FALLBACK)
})
