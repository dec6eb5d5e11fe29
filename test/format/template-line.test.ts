import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { fieldKeyColor } from '../../src/format/colors.ts'
import { createLineFormatter, type LineFormatterOptions } from '../../src/format/pretty.ts'
import { parseLineTemplate } from '../../src/format/template.ts'
import { compileTemplateLine } from '../../src/format/template-line.ts'

process.env.TZ = 'UTC' // {time} is local time

// 2023-11-14T22:13:21.234Z
const RECORD = {
  level: 30, time: 1700000001234, pid: 4242, ppid: 1, hostname: 'h', proc: 'api', tid: 3, thread: 'resize', seq: 7,
  reqId: '7f3a', user: 42, msg: 'resized image'
}
const ISSUE_FORMAT = '{time} p[{proc}:{pid}] t[{thread}:{tid}] | {caller} [{level}] : {msg} {fields}'

function render (format: string, record: Record<string, unknown>, options: Partial<LineFormatterOptions> = {}): string {
  return createLineFormatter({ colorLevel: 0, ...options, format })(record)
}

test('the template of the issue, without color', () => {
  assert.equal(render(ISSUE_FORMAT, { ...RECORD, caller: 'src/img.ts:10:5' }),
    '22:13:21.234 p[api:4242] t[resize:3] | src/img.ts:10:5 [INFO] : resized image reqId=7f3a user=42\n')
})

test('any record key is a placeholder, printed like a bare value', () => {
  assert.equal(render('{hostname}/{ppid}/{seq} {reqId} {user} {ok} {none} {list}', { ...RECORD, ok: true, none: null, list: [1, 'a b'] }),
    'h/1/7 7f3a 42 true null [1,"a b"]\n')
})

test('a dotted placeholder reads a nested key', () => {
  assert.equal(render('{req.id} {req.headers.user-agent} {msg}', { req: { id: 9, headers: { 'user-agent': 'curl' } }, msg: 'm' }), '9 curl m\n')
})

test('a dotted placeholder does not read a flat key with dots in its name', () => {
  assert.equal(render('[{req.id}]', { 'req.id': 9 }), '[]\n')
})

test('a missing value prints nothing: the literal text around it stays', () => {
  assert.equal(render('p[{proc}:{pid}] [{caller}]', { pid: 1 }), 'p[:1] []\n')
})

test('a missing value takes the template whitespace before it along', () => {
  assert.equal(render('{time} {level} {caller} {msg}', { level: 30, msg: 'm' }), 'INFO m\n')
  assert.equal(render('{a}  |  {b}', { a: 1 }), '1  |\n')
})

test('template whitespace never starts nor ends a line', () => {
  assert.equal(render('  {time} {msg} {fields}  ', { msg: 'm' }), 'm\n')
})

test('whitespace inside a value is kept, also at the end of the line', () => {
  assert.equal(render('{msg} {fields}', { msg: ' spaced ' }), ' spaced \n')
})

test('values JSON cannot hold (functions, symbols) print nothing, like missing ones', () => {
  assert.equal(render('[{f}][{s}]', { f: () => 1, s: Symbol('s') }), '[][]\n')
})

test('nothing of a prototype reaches the line: methods print nothing, __proto__ and paths read own keys only', () => {
  assert.equal(render('[{constructor}][{toString}][{__proto__}][{a.__proto__}][{a.length}]', { a: 'str' }), '[][][][][]\n')
})

test('an own __proto__ key (JSON.parse makes one) is printed', () => {
  assert.equal(render('[{__proto__}]', JSON.parse('{"__proto__":1}') as Record<string, unknown>), '[1]\n')
})

test('{fields} leaves out the identity keys and every key a placeholder prints', () => {
  assert.equal(render('{reqId}: {fields}', { ...RECORD, worker: 2, extra: 'x' }), '7f3a: user=42 extra=x\n')
})

test('a dotted placeholder leaves its top-level field in {fields}', () => {
  assert.equal(render('{req.id} {fields}', { req: { id: 9 } }), '9 req={"id":9}\n')
})

test('{fields} may be left out: the other fields are then not shown', () => {
  assert.equal(render('{msg}', RECORD), 'resized image\n')
})

test('{time}, {level} and {msg} print what the default columns print', () => {
  assert.equal(render('{time}|{level}|{msg}', { time: '2023-11-14T22:13:21.234Z', level: 'warn', msg: 42 }), '22:13:21.234|WARN|42\n')
  assert.equal(render('{time}|{level}|{msg}', { time: 'yesterday', level: 45, msg: '' }), '|LVL45|\n')
})

test('an err with a stack prints below, and only its other properties are fields', () => {
  const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x', code: 'E1' }
  assert.equal(render('[{level}] {msg} {fields}', { level: 50, msg: 'boom', err }), '[ERROR] boom err.code=E1\n    Error: boom\n        at x\n')
})

test('{{ and }} print braces', () => {
  assert.equal(render('{{{msg}}} {{fields}}', { msg: 'm' }), '{m} {fields}\n')
})

test('hostile values in placeholders are escaped, nested ones too', () => {
  const record = { msg: 'a\x1b[2Jb', caller: '\u202eevil', req: { id: 'x\x07\ny' }, pid: '\x9b1' }
  assert.equal(render('{pid} {caller} {req.id} {msg}', record), '\\x9b1 \\u202eevil x\\x07\\ny a\\x1b[2Jb\n')
})

test('multiline keeps line breaks in {msg} only', () => {
  assert.equal(render('{msg} {k}', { msg: 'one\ntwo', k: 'a\nb' }, { multiline: true }), 'one\ntwo a\\nb\n')
})

test('color: the level in its color, the source stretch in the source color, keys dimmed', () => {
  assert.equal(render('{time} p[{proc}:{pid}] t[{thread}:{tid}] [{level}] {msg} {fields}', RECORD, { colorLevel: 1 }),
    '22:13:21.234 \x1b[33mp[api:4242] t[resize:3]\x1b[39m [\x1b[32mINFO\x1b[39m] resized image ' +
    '\x1b[2mreqId=\x1b[22m7f3a \x1b[2muser=\x1b[22m42\n')
})

test('color: separate source placeholders are colored separately, with the text touching them', () => {
  assert.equal(render('{pid}| {msg} |<{tid}>', RECORD, { colorLevel: 1 }),
    '\x1b[33m4242|\x1b[39m resized image \x1b[33m|<3>\x1b[39m\n')
})

test('colorLine: the whole line in the level color, the source keeping its own, keys not dimmed', () => {
  assert.equal(render('{time} [{level}] t[{thread}:{tid}] {msg} {fields}', { ...RECORD, level: 40, pid: 1 }, { colorLevel: 1, colorLine: true }),
    '\x1b[33m22:13:21.234 [WARN] \x1b[32mt[resize:3]\x1b[39m\x1b[33m resized image reqId=7f3a user=42\x1b[39m\n')
})

test('colorLine without color writes no escape sequence', () => {
  assert.equal(render('[{level}] {msg}', RECORD, { colorLine: true }), '[INFO] resized image\n')
})

test('colorLine on a record without a level leaves the line uncolored', () => {
  assert.equal(render('{msg} {fields}', { msg: 'm', k: 1 }, { colorLevel: 1, colorLine: true }), 'm k=1\n')
})

test('colorLine also applies to the default line', () => {
  assert.equal(createLineFormatter({ colorLevel: 1, colorLine: true })({ level: 50, pid: 1, tid: 0, msg: 'm', k: 1 }),
    '\x1b[31mERROR \x1b[36mp[1] t[0]\x1b[39m\x1b[31m m  k=1\x1b[39m\n')
})

test('a bad template fails when the formatter is created', () => {
  assert.throws(() => createLineFormatter({ colorLevel: 0, format: '{msg' }), {
    name: 'RangeError', message: 'threadlog: option "format": unclosed "{" at position 0'
  })
})

const anyRecord = fc.dictionary(
  fc.oneof(fc.constantFrom('level', 'time', 'msg', 'pid', 'tid', 'proc', 'err', 'req', 'stack', 'type'), fc.string({ unit: 'binary' })),
  fc.anything({ withBigInt: true, withNullPrototype: true })
)
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/
const formats = [ISSUE_FORMAT, '{req.id} {err.code} {0} {fields}', '{level}{msg}{fields}{x.y.z}']

for (const colorLine of [false, true]) {
  test(`property: rendering never throws and prints no raw control (colorLine: ${String(colorLine)})`, () => {
    // The compiled template itself: createLineFormatter would hide a throw behind its JSON fallback.
    const settings = { colorLevel: 2, multiline: false, colorLine, keyStyle: fieldKeyColor(colorLine ? 0 : 2) } as const
    const renderers = formats.map((format) => compileTemplateLine(parseLineTemplate(format), settings))
    fc.assert(fc.property(anyRecord, fc.constantFrom(...renderers), (record, renderLine) => {
      const text = renderLine(record).replace(/\x1b\[[0-9;]*m/g, '')
      assert.ok(text.endsWith('\n'))
      for (const line of text.slice(0, -1).split('\n')) assert.doesNotMatch(line, RAW_CONTROL)
    }), { numRuns: 1000 })
  })
}

test('property: colors change no character of the line, whatever is missing', () => {
  const sourceKeys = fc.dictionary(fc.constantFrom('proc', 'pid', 'thread', 'tid', 'worker', 'msg', 'level', 'a'),
    fc.oneof(fc.constantFrom(undefined, '', ' ', 'x'), fc.nat()))
  const piece = fc.constantFrom('{proc}', '{pid}', '{thread}', '{tid}', '{worker}', '{msg}', '{level}', '{a}', '{fields}', ' ', '  ', '[', ']', ':', '|', ' p[', '] ')
  const template = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join('')).filter((t) => t.trim() !== '')
  fc.assert(fc.property(template, sourceKeys, fc.boolean(), (format, record, colorLine) => {
    const plainLine = render(format, record)
    const coloredLine = render(format, record, { colorLevel: 1, colorLine }).replace(/\x1b\[[0-9;]*m/g, '')
    assert.equal(coloredLine, plainLine)
  }), { numRuns: 3000 })
})
