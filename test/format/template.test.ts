import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseLineTemplate } from '../../src/format/template.ts'

test('literals and placeholders, in order', () => {
  assert.deepEqual(parseLineTemplate('[{level}] {msg}').parts, [
    { kind: 'literal', text: '[' },
    { kind: 'placeholder', name: 'level', path: ['level'] },
    { kind: 'literal', text: '] ' },
    { kind: 'placeholder', name: 'msg', path: ['msg'] }
  ])
})

test('a dotted placeholder is a path into nested keys', () => {
  assert.deepEqual(parseLineTemplate('{req.headers.user-agent}').parts, [
    { kind: 'placeholder', name: 'req.headers.user-agent', path: ['req', 'headers', 'user-agent'] }
  ])
})

test('names may hold letters of any script, digits, _ $ @ -', () => {
  const names = parseLineTemplate('{@timestamp}{_id}{$x}{été}{a1}').parts.map((part) => part.kind === 'placeholder' ? part.name : '')
  assert.deepEqual(names, ['@timestamp', '_id', '$x', 'été', 'a1'])
})

test('{{ and }} are literal braces, merged with the text around them', () => {
  assert.deepEqual(parseLineTemplate('a{{b}}c {{{msg}}}').parts, [
    { kind: 'literal', text: 'a{b}c {' },
    { kind: 'placeholder', name: 'msg', path: ['msg'] },
    { kind: 'literal', text: '}' }
  ])
})

test('the source text is kept', () => {
  assert.equal(parseLineTemplate('{msg}').source, '{msg}')
})

test('an unclosed brace names its position', () => {
  assert.throws(() => parseLineTemplate('{time} [{level'), {
    name: 'RangeError', message: 'threadlog: option "format": unclosed "{" at position 8'
  })
})

test('a brace opened inside a placeholder leaves the first one unclosed', () => {
  assert.throws(() => parseLineTemplate('ab {a{b}}'), {
    name: 'RangeError', message: 'threadlog: option "format": unclosed "{" at position 3'
  })
})

test('a lone closing brace names its position', () => {
  assert.throws(() => parseLineTemplate('{msg} }'), {
    name: 'RangeError', message: 'threadlog: option "format": unmatched "}" (write "}}" for a literal one) at position 6'
  })
})

test('{{a} is a literal brace then an unmatched one', () => {
  assert.throws(() => parseLineTemplate('{{a}'), {
    name: 'RangeError', message: 'threadlog: option "format": unmatched "}" (write "}}" for a literal one) at position 3'
  })
})

test('an empty placeholder names its position', () => {
  assert.throws(() => parseLineTemplate('x {}'), {
    name: 'RangeError', message: 'threadlog: option "format": empty placeholder "{}" at position 2'
  })
})

test('a placeholder with spaces, a format spec or a stray dot is invalid syntax', () => {
  const rules = '(a record key: letters, digits, "_", "$", "@", "-", with dots between nested keys)'
  for (const [template, name] of [['{a b}', '{a b}'], ['{level:5}', '{level:5}'], ['{.a}', '{.a}'], ['{a.}', '{a.}'], ['{a..b}', '{a..b}']]) {
    assert.throws(() => parseLineTemplate(`>${template}`), {
      name: 'RangeError', message: `threadlog: option "format": invalid placeholder "${name}" ${rules} at position 1`
    }, template)
  }
})

test('a control character in a bad name is shown escaped in the message', () => {
  assert.throws(() => parseLineTemplate('{a\x1bb}'), (error: Error) => error.message.includes('"{a\\u001bb}"'))
})

test('an empty template is refused', () => {
  assert.throws(() => parseLineTemplate(''), { name: 'RangeError', message: 'threadlog: option "format" must not be empty' })
})

test('a template that is not a string is a TypeError', () => {
  assert.throws(() => parseLineTemplate(42), { name: 'TypeError', message: 'threadlog: option "format" must be a string, got number' })
  assert.throws(() => parseLineTemplate(null), { name: 'TypeError', message: 'threadlog: option "format" must be a string, got null' })
})

test('errors name the option the way the caller passes it', () => {
  assert.throws(() => parseLineTemplate('{', 'option "targets[0].options.format"'), {
    name: 'RangeError', message: 'threadlog: option "targets[0].options.format": unclosed "{" at position 0'
  })
})

test('property: parsing throws nothing but TypeError and RangeError, whatever the input', () => {
  const braces = fc.string({ unit: fc.constantFrom('{', '}', 'a', '.', ' ', ':', 'é', '\x1b'), maxLength: 20 })
  fc.assert(fc.property(fc.oneof(braces, fc.string({ unit: 'binary' }), fc.anything()), (template) => {
    try {
      parseLineTemplate(template)
    } catch (error) {
      assert.ok(error instanceof TypeError || error instanceof RangeError, String(error))
      assert.match(error.message, /^threadlog: option "format"/)
    }
  }), { numRuns: 2000 })
})

test('property: a valid template parses back to its own text', () => {
  const escapeBraces = (text: string) => text.replaceAll('{', '{{').replaceAll('}', '}}')
  const piece = fc.oneof(
    fc.string({ unit: fc.constantFrom('{', '}', 'a', ' ', '[') }).map(escapeBraces),
    fc.stringMatching(/^[a-z_@$-]+(\.[a-z0-9]+)*$/).map((name) => `{${name}}`)
  )
  fc.assert(fc.property(fc.array(piece, { minLength: 1 }).map((pieces) => pieces.join('')).filter((t) => t !== ''), (template) => {
    const rebuilt = parseLineTemplate(template).parts
      .map((part) => part.kind === 'literal' ? escapeBraces(part.text) : `{${part.name}}`).join('')
    assert.equal(rebuilt, template)
  }), { numRuns: 500 })
})
