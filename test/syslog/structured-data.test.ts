import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { escapeParamValue, formatSdElement, toSdName, unescapeParamValue } from '../../src/syslog/structured-data.ts'

const SD_NAME = /^[\x21-\x7e]{1,32}$/

/** A reader of one SD-ELEMENT as RFC 5424 6.3 defines it, independent of the writer. */
function parseSdElement (text: string): { id: string, params: Array<[string, string]> } {
  const match = /^\[([^ =\]"]+)((?: [^ =\]"]+="(?:[^"\\\]]|\\["\\\]])*")*)\]$/u.exec(text)
  if (match === null) throw new Error(`not an SD-ELEMENT: ${text}`)
  const params = [...(match[2] as string).matchAll(/ ([^ =\]"]+)="((?:[^"\\\]]|\\["\\\]])*)"/gu)]
    .map((param) => [param[1] as string, unescapeParamValue(param[2] as string)] as [string, string])
  return { id: match[1] as string, params }
}

test('SD-NAME: every character outside printable US-ASCII, and = space ] ", becomes _; cut to 32; the empty key is dropped', () => {
  assert.equal(toSdName('reqId'), 'reqId')
  assert.equal(toSdName('a b=c]d"e'), 'a_b_c_d_e')
  assert.equal(toSdName('ünï🧵'), '_n__')
  assert.equal(toSdName('k'.repeat(40)), 'k'.repeat(32))
  assert.equal(toSdName(''), undefined)
  assert.equal(formatSdElement('x@1', [['', 'dropped'], ['a', undefined], ['b', 1]]), '[x@1 b="1"]')
  assert.equal(formatSdElement('x@1', [['', 'dropped']]), '-')
})

test('PARAM-VALUE: ", \\ and ] escaped, nothing else; values of other types as JSON', () => {
  assert.equal(escapeParamValue('a"b\\c]d[e\n'), 'a\\"b\\\\c\\]d[e\n')
  assert.equal(formatSdElement('x@1', [['n', 1], ['b', false], ['z', null], ['o', { a: ['"]'] }]]), '[x@1 n="1" b="false" z="null" o="{\\"a\\":[\\"\\\\\\"\\]\\"\\]}"]')
})

test('property: any keys and values make a valid SD-ELEMENT that reads back as the sanitized keys and the exact values', () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 })
  fc.assert(fc.property(fc.array(fc.tuple(text, text), { maxLength: 8 }), (fields) => {
    const element = formatSdElement('threadlog@32473', fields)
    const expected = fields.filter(([key]) => key !== '').map(([key, value]) => [toSdName(key), value])
    if (expected.length === 0) return element === '-'
    const parsed = parseSdElement(element)
    assert.equal(parsed.id, 'threadlog@32473')
    assert.deepEqual(parsed.params, expected)
    for (const [name] of parsed.params) assert.match(name, SD_NAME)
    return true
  }), { numRuns: 2000 })
})

test('property: unescaping an escaped value gives it back, and an escaped value holds no bare " ] or lone \\', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => {
    const escaped = escapeParamValue(value)
    assert.equal(unescapeParamValue(escaped), value)
    assert.match(escaped, /^(?:[^"\\\]]|\\["\\\]])*$/u)
  }), { numRuns: 2000 })
})
