import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { createLineFormatter, formatNdjsonLine } from '../../src/format/pretty.ts'

process.env.TZ = 'UTC' // the time column is local time

const plain = createLineFormatter({ colorLevel: 0 })
const colored = createLineFormatter({ colorLevel: 1 })

// 2023-11-14T22:13:21.234Z
const RECORD = {
  level: 30, time: 1700000001234, pid: 4242, ppid: 1, hostname: 'h', proc: 'api', tid: 3, thread: 'resize', seq: 7,
  reqId: '7f3a', user: 42, msg: 'resized image'
}
const STACK = 'Error: boom\n    at resize (/app/img.js:10:5)\n    at main (/app/index.js:3:1)'

test('a record without color: time, level, source tag, message, fields', () => {
  assert.equal(plain(RECORD), '22:13:21.234 INFO  p[api:4242] t[resize:3] resized image  reqId=7f3a user=42\n')
})

test('a record with color level 1: level, tag and field keys colored', () => {
  assert.equal(colored(RECORD),
    '22:13:21.234 \x1b[32mINFO\x1b[39m  \x1b[33mp[api:4242] t[resize:3]\x1b[39m resized image  ' +
    '\x1b[2mreqId=\x1b[22m7f3a \x1b[2muser=\x1b[22m42\n')
})

test('error and fatal labels with color level 1', () => {
  const record = { level: 60, pid: 4242, tid: 3, msg: 'down' }
  assert.equal(colored(record), '\x1b[1m\x1b[37m\x1b[41mFATAL\x1b[49m\x1b[39m\x1b[22m \x1b[33mp[4242] t[3]\x1b[39m down\n')
  assert.equal(colored({ ...record, level: 50 }), '\x1b[31mERROR\x1b[39m \x1b[33mp[4242] t[3]\x1b[39m down\n')
})

test('every level label is upper-case and padded to five characters', () => {
  const lines = [10, 20, 30, 40, 50, 60, 45].map((level) => plain({ level, msg: 'm' }))
  assert.deepEqual(lines, ['TRACE m\n', 'DEBUG m\n', 'INFO  m\n', 'WARN  m\n', 'ERROR m\n', 'FATAL m\n', 'LVL45 m\n'])
})

test('a string level (pino formatters.level) prints upper-cased', () => {
  assert.equal(plain({ level: 'warn', msg: 'm' }), 'WARN  m\n')
  assert.equal(colored({ level: 'warn', msg: 'm' }), '\x1b[33mWARN\x1b[39m  m\n')
})

test('a cluster worker id shows in the process tag', () => {
  assert.equal(plain({ ...RECORD, worker: 2, user: undefined }), '22:13:21.234 INFO  p[api#2:4242] t[resize:3] resized image  reqId=7f3a\n')
})

test('missing or invalid time leaves the time column out', () => {
  const { time, ...untimed } = RECORD
  const expected = 'INFO  p[api:4242] t[resize:3] resized image  reqId=7f3a user=42\n'
  assert.equal(plain(untimed), expected)
  assert.equal(plain({ ...RECORD, time: 'yesterday' }), expected)
  assert.equal(plain({ ...RECORD, time: 8.64e15 + 1 }), expected)
  assert.equal(plain({ ...RECORD, time: '2023-11-14T22:13:21.234Z' }), '22:13:21.234 ' + expected)
})

test('a tag shows whatever part of the identity the record has', () => {
  assert.equal(plain({ pid: 1, thread: 'main', msg: 'm' }), 'p[1] t[main] m\n')
  assert.equal(plain({ proc: 'api', msg: 'm' }), 'p[api] m\n')
  assert.equal(plain({ msg: 'm' }), 'm\n')
})

test('fields without a message follow the columns after two spaces', () => {
  assert.equal(plain({ level: 30, pid: 1, a: 1 }), 'INFO  p[1]  a=1\n')
  assert.equal(plain({ level: 30, a: 1 }), 'INFO  a=1\n')
  assert.equal(plain({ a: 1 }), 'a=1\n')
})

test('string fields are bare unless empty or holding a space, =, " or a control', () => {
  const record = { a: 'plain', b: 'two words', c: 'k=v', d: 'say "hi"', e: '', f: 'tab\there', g: 'C:\\dir', h: 'ünï' }
  assert.equal(plain(record), 'a=plain b="two words" c="k=v" d="say \\"hi\\"" e="" f="tab\\there" g=C:\\dir h=ünï\n')
})

test('numbers, booleans and null print as JSON; objects and arrays as compact JSON', () => {
  const record = { n: -1.5, t: true, f: false, z: null, o: { a: 1, b: [1, 'x y'] }, l: [], big: 10n }
  assert.equal(plain(record), 'n=-1.5 t=true f=false z=null o={"a":1,"b":[1,"x y"]} l=[] big=10\n')
})

test('values JSON cannot hold are skipped', () => {
  assert.equal(plain({ msg: 'm', u: undefined, fn: () => 1, s: Symbol('s'), k: 1 }), 'm  k=1\n')
})

test('a key that needs quoting is JSON-quoted too', () => {
  assert.equal(plain({ 'two words': 1, 'a=b': 2, '': 3 }), '"two words"=1 "a=b"=2 ""=3\n')
})

test('an error prints its stack below the line, indented by four spaces', () => {
  const record = { level: 50, pid: 1, msg: 'boom', err: { type: 'Error', message: 'boom', stack: STACK } }
  assert.equal(plain(record),
    'ERROR p[1] boom\n' +
    '    Error: boom\n' +
    '        at resize (/app/img.js:10:5)\n' +
    '        at main (/app/index.js:3:1)\n')
})

test('error properties the stack does not show become err.<key> fields', () => {
  const record = { msg: 'boom', reqId: 'r1', err: { type: 'Error', message: 'boom', stack: 'Error: boom', code: 'ENOENT', errno: -2 } }
  assert.equal(plain(record), 'boom  reqId=r1 err.code=ENOENT err.errno=-2\n    Error: boom\n')
})

test('a cause with its own stack prints below, as "caused by"', () => {
  const record = { msg: 'outer', err: { stack: 'Error: outer\n    at a', cause: { stack: 'Error: inner\n    at b', cause: { message: 'no stack' } } } }
  assert.equal(plain(record), 'outer\n    Error: outer\n        at a\n    caused by: Error: inner\n        at b\n')
})

test('a cause without a stack stays a field', () => {
  const record = { msg: 'outer', err: { stack: 'Error: outer', cause: 'disk full' } }
  assert.equal(plain(record), 'outer  err.cause="disk full"\n    Error: outer\n')
})

test('an err without a stack is an ordinary field', () => {
  assert.equal(plain({ msg: 'm', err: { type: 'Error', message: 'x' } }), 'm  err={"type":"Error","message":"x"}\n')
})

test('a record that is itself a serialized error prints its stack', () => {
  const record = { level: 50, type: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at x', msg: 'bad' }
  assert.equal(plain(record), 'ERROR bad  message=bad\n    TypeError: bad\n        at x\n')
})

test('stack lines are escaped one by one', () => {
  const record = { msg: 'm', err: { stack: 'Error: \x1b]0;pwned\x07\n    at \u202eevil\r' } }
  assert.equal(plain(record), 'm\n    Error: \\x1b]0;pwned\\x07\n        at \\u202eevil\\r\n')
})

test('control and bidi characters in message, keys and values are escaped', () => {
  const record = { msg: 'a\x1b[2Jb\u202ec\x85', 'k\x1bey': 'v\x9bal', o: { 'x\u2066': '\x7f' }, proc: 'p\x07', pid: 1 }
  assert.equal(plain(record), 'p[p\\x07:1] a\\x1b[2Jb\\u202ec\\x85  "k\\u001bey"="v\\x9bal" o={"x\\u2066":"\\x7f"}\n')
})

test('message line breaks are escaped by default', () => {
  assert.equal(plain({ level: 30, msg: 'one\ntwo\r\nthree' }), 'INFO  one\\ntwo\\r\\nthree\n')
})

test('multiline keeps message line breaks real, and escapes everything else', () => {
  const multiline = createLineFormatter({ colorLevel: 0, multiline: true })
  assert.equal(multiline({ level: 30, msg: 'one\ntwo\r\n\x1b', k: 'a\nb' }), 'INFO  one\ntwo\\r\n\\x1b  k="a\\nb"\n')
})

test('a non-string message prints like a bare value', () => {
  assert.equal(plain({ msg: 42 }), '42\n')
  assert.equal(plain({ msg: { a: 1 } }), '{"a":1}\n')
})

test('a record whose properties throw is still printed, as JSON', () => {
  const record = Object.defineProperty({ msg: 'm\x1b' }, 'level', { enumerable: true, get () { throw new Error('no') } })
  assert.equal(plain(record), '{"msg":"m\\u001b","level":"[unreadable]"}\n')
})

test('a record that cannot even be listed prints a placeholder', () => {
  const record = new Proxy({}, { ownKeys () { throw new Error('trap') }, get () { throw new Error('trap') } })
  assert.equal(plain(record), '[threadlog: unformattable record]\n')
})

test('an unusable colorLevel is rejected at creation', () => {
  assert.throws(() => createLineFormatter({ colorLevel: 4 as 0 }), {
    name: 'RangeError', message: 'threadlog: option "colorLevel" must be 0, 1, 2 or 3, got 4'
  })
})

test('formatNdjsonLine formats a JSON object line', () => {
  assert.equal(formatNdjsonLine(plain, JSON.stringify(RECORD) + '\n'), plain(RECORD))
  assert.equal(formatNdjsonLine(plain, '  {"msg":"m"}\r'), 'm\n')
})

test('formatNdjsonLine passes other lines through unchanged, ending them with a newline', () => {
  const lines = ['plain text\n', 'no newline', '', '[1,2]', '42', '"str"', 'null', '{"broken":', '{ not json }\n', 'raw \x1b[1mbold\x1b[22m\n']
  assert.deepEqual(lines.map((line) => formatNdjsonLine(plain, line)),
    ['plain text\n', 'no newline\n', '\n', '[1,2]\n', '42\n', '"str"\n', 'null\n', '{"broken":\n', '{ not json }\n', 'raw \x1b[1mbold\x1b[22m\n'])
})

const IDENTITY = ['level', 'time', 'pid', 'ppid', 'hostname', 'proc', 'tid', 'thread', 'seq', 'worker', 'msg', 'err', 'stack', 'type']
const anyRecord = fc.tuple(
  fc.dictionary(fc.constantFrom(...IDENTITY), fc.anything({ withBigInt: true, withNullPrototype: true })),
  fc.dictionary(fc.string({ unit: 'binary' }), fc.anything({ withBigInt: true })),
  fc.record({ err: fc.record({ stack: fc.string({ unit: 'binary' }), cause: fc.anything() }, { requiredKeys: ['stack'] }) }, { requiredKeys: [] })
).map(([identity, fields, err]) => ({ ...fields, ...identity, ...err }) as Record<string, unknown>)

// Anything a terminal could act on, newline excepted (lines are checked one by one).
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/

function assertSafeLines (text: string): void {
  assert.ok(text.endsWith('\n'))
  const [first, ...stack] = text.slice(0, -1).split('\n')
  assert.doesNotMatch(first ?? '', RAW_CONTROL)
  for (const line of stack) {
    assert.ok(line.startsWith('    '), `unindented continuation line ${JSON.stringify(line)}`)
    assert.doesNotMatch(line, RAW_CONTROL)
  }
}

test('property: any record gives one line (plus indented stack lines) with no raw control', () => {
  fc.assert(fc.property(anyRecord, (record) => assertSafeLines(plain(record))), { numRuns: 500 })
})

test('property: with colors, the only escape sequences are the formatter\'s own SGR codes', () => {
  fc.assert(fc.property(anyRecord, (record) => assertSafeLines(colored(record).replace(/\x1b\[[0-9;]*m/g, ''))), { numRuns: 500 })
})
