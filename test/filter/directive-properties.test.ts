import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseDirectives, type DirectiveTerm, type FilterSubject } from '../../src/filter/directives.ts'

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const
type Level = keyof typeof LEVELS

const levelArb = fc.constantFrom(...(Object.keys(LEVELS) as Level[]))
const nameArb = fc.stringMatching(/^[a-z0-9_.-]{1,6}$/)
// Literal names, with * and ? wildcards sprinkled in.
const globArb = fc.stringMatching(/^[a-z0-9_.*?-]{1,6}$/)
const keyArb = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.]{0,5}$/)

/** A valid term, built directly: what parsing its printed form must give back. */
const termArb: fc.Arbitrary<DirectiveTerm> = fc.oneof(
  levelArb.map((level): DirectiveTerm => ({ kind: 'level', level, value: LEVELS[level] })),
  fc.tuple(fc.constantFrom('tid' as const, 'pid' as const), fc.nat(99), levelArb)
    .map(([kind, n, level]): DirectiveTerm => ({ kind, pattern: String(n), level, value: LEVELS[level] })),
  fc.tuple(fc.constantFrom('thread' as const, 'proc' as const), globArb, levelArb)
    .map(([kind, pattern, level]): DirectiveTerm => ({ kind, pattern, level, value: LEVELS[level] })),
  fc.tuple(keyArb, globArb, levelArb)
    .map(([key, pattern, level]): DirectiveTerm => ({ kind: 'ctx', key, pattern, level, value: LEVELS[level] }))
)

function print (term: DirectiveTerm): string {
  if (term.kind === 'level') return term.level
  return `${term.kind === 'ctx' ? `ctx.${term.key}` : term.kind}:${term.pattern}=${term.level}`
}

const blankArb = fc.stringMatching(/^[ \t]{0,2}$/)

/** Prints a term with blanks around its parts and its level in a random case. */
function printLoosely (term: DirectiveTerm, blanks: string[], upper: boolean): string {
  const level = upper ? term.level.toUpperCase() : term.level
  const [a = '', b = '', c = '', d = ''] = blanks
  if (term.kind === 'level') return `${a}${level}${b}`
  const kind = term.kind === 'ctx' ? `ctx.${term.key}` : term.kind
  return `${a}${kind}${b}:${c}${term.pattern}${d}=${b}${level}${a}`
}

test('parse(print(terms)) gives the terms back, and its text is the printed form', () => {
  fc.assert(fc.property(fc.array(termArb, { maxLength: 6 }), (terms) => {
    const text = terms.map(print).join(',')
    const directives = parseDirectives(text)
    assert.deepEqual(directives.terms, terms)
    assert.equal(directives.text, text)
    assert.equal(parseDirectives(directives.text).text, text)
  }))
})

test('blanks around terms, ":" and "=", case of levels and empty terms change nothing', () => {
  const looseArb = fc.tuple(termArb, fc.array(blankArb, { minLength: 4, maxLength: 4 }), fc.boolean(), fc.boolean())
  fc.assert(fc.property(fc.array(looseArb, { maxLength: 6 }), ([...loose]) => {
    const terms = loose.map(([term]) => term)
    const text = loose.map(([term, blanks, upper, extraComma]) => printLoosely(term, blanks, upper) + (extraComma ? ',' : '')).join(',')
    assert.deepEqual(parseDirectives(text).terms, terms)
  }))
})

test('any string either parses or throws a TypeError quoting a term; nothing else escapes', () => {
  const soup = fc.string({ unit: fc.constantFrom(...'thread:tid:proc:pid:ctx.=,{}[]*?!()@+|\\ \tinfodebugsilent0123'.split('')), maxLength: 40 })
  fc.assert(fc.property(fc.oneof(soup, fc.string()), (text) => {
    try {
      parseDirectives(text)
    } catch (error) {
      assert.ok(error instanceof TypeError, `${String(error)} for ${JSON.stringify(text)}`)
      assert.match(error.message, /^threadlog: filter directives: bad term "/)
    }
  }), { numRuns: 2000 })
})

const subjectArb = fc.record({
  tid: fc.nat(99),
  pid: fc.nat(99),
  thread: nameArb,
  proc: nameArb,
  values: fc.dictionary(keyArb, fc.oneof(nameArb, fc.nat(99)), { maxKeys: 3 })
})

test('thresholdFor agrees with levelFor for every identity and context, and its floor is never above it', () => {
  fc.assert(fc.property(fc.array(termArb, { maxLength: 6 }), subjectArb, fc.constantFrom(10, 30, 60), (terms, s, fallback) => {
    const directives = parseDirectives(terms.map(print).join(','))
    const context = (key: string): unknown => s.values[key]
    const subject: FilterSubject = { tid: s.tid, pid: s.pid, thread: s.thread, proc: s.proc, context }
    const expected = directives.levelFor(subject, fallback)
    const threshold = directives.thresholdFor({ tid: s.tid, pid: s.pid, thread: s.thread, proc: s.proc }, fallback)
    assert.equal(threshold.forContext === undefined ? threshold.floor : threshold.forContext(context), expected)
    assert.ok(threshold.floor <= expected)
  }))
})

test('the most specific matching term decides, whatever order the terms are written in', () => {
  const identity = { tid: 1, pid: 2, thread: 'w', proc: 'p' }
  fc.assert(fc.property(fc.shuffledSubarray(['tid:1=trace', 'thread:w=debug', 'ctx.k:v=info', 'warn'], { minLength: 1 }),
    (terms) => {
      const expected = terms.includes('tid:1=trace') ? 10 : terms.includes('thread:w=debug') ? 20 : terms.includes('ctx.k:v=info') ? 30 : 40
      assert.equal(parseDirectives(terms.join(',')).levelFor({ ...identity, context: () => 'v' }, 60), expected)
    }))
})
