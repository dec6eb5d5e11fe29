import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import type { ColorLevel } from '../../src/format/colors.ts'
import { DirectLinePrinter, type ByteOutput } from '../../src/format/direct-line.ts'
import { canonicalNumberEnd } from '../../src/format/flat-json.ts'
import { createLineFormatter } from '../../src/format/pretty.ts'

process.env.TZ = 'UTC' // the time column is local time

const COLOR_LEVELS: readonly ColorLevel[] = [0, 1, 2, 3]

/** Collects what the printer writes, in a buffer just large enough, to catch a wrong size. */
class Collector implements ByteOutput {
  buffer = Buffer.alloc(0)
  length = 0
  reserved = 0
  reserve (size: number): Buffer {
    this.buffer = Buffer.alloc(size, 0xff)
    this.length = 0
    this.reserved = size
    return this.buffer
  }

  commit (length: number): void {
    this.length = length
  }
}

/** What the printer prints for `line`, or `undefined` when it declines it. */
function printDirect (printer: DirectLinePrinter, line: string): string | undefined {
  const output = new Collector()
  // Within a larger chunk, as the CLI hands lines over: a line must not read past its end.
  const chunk = Buffer.from(`{"x":1}\n${line}\n"tail":2}\n`)
  const start = chunk.indexOf('\n') + 1
  const end = start + Buffer.byteLength(line)
  if (!printer.print(chunk, start, end, output)) {
    assert.equal(output.reserved, 0, 'a declined line writes nothing')
    return undefined
  }
  assert.equal(output.length, output.reserved, 'the reserved size is the printed size')
  return output.buffer.toString('utf8', 0, output.length)
}

/** Asserts the printer prints `line` as the formatter prints the parsed record, or declines it. */
function assertSameOrDeclined (printer: DirectLinePrinter, colorLevel: ColorLevel, line: string): string | undefined {
  const printed = printDirect(printer, line)
  if (printed !== undefined) assert.equal(printed, createLineFormatter({ colorLevel })(JSON.parse(line)), line)
  return printed
}

const RECORD = '{"level":30,"time":1700000001234,"pid":4242,"hostname":"h","ppid":1,"proc":"api","tid":3,"thread":"resize",' +
  '"seq":7,"reqId":"7f3a","user":42,"msg":"resized image"}'

test('a threadlog record prints as the formatter prints it, at every color level', () => {
  for (const colorLevel of COLOR_LEVELS) {
    const printed = assertSameOrDeclined(new DirectLinePrinter(colorLevel), colorLevel, RECORD)
    assert.notEqual(printed, undefined)
  }
  assert.equal(printDirect(new DirectLinePrinter(0), RECORD), '22:13:21.234 INFO  p[api:4242] t[resize:3] resized image  reqId=7f3a user=42\n')
})

test('records that print without a parse: missing columns, literals, quoted values, a hidden name', () => {
  const lines = [
    '{}', '{"msg":"only"}', '{"level":30}', '{"time":0}', '{"level":60,"msg":""}', '{"a":1}', '{"level":100,"a":1}',
    '{"pid":7,"tid":0,"msg":"m"}', '{"proc":"api","worker":2,"pid":4300,"tid":1,"thread":"db"}', '{"thread":null,"tid":-3}',
    '{"msg":42,"ok":true,"no":false,"none":null,"neg":-0.5,"small":0.000001,"big":123456789012345}',
    '{"empty":"","spaced":"a b","eq":"a=b","key with space":1,"k=v":2,"name":"api","proc":"api"}',
    '{"name":"x","proc":"api"}', '{"name":5,"proc":"5"}', '{"name":5,"proc":5}', '{"stack":"s","msg":"no type"}',
    '{"type":"t","stack":1}', '{"err":"text","level":30,"time":1700000001234}'
  ]
  for (const colorLevel of COLOR_LEVELS) {
    const printer = new DirectLinePrinter(colorLevel)
    for (const line of lines) assert.notEqual(assertSameOrDeclined(printer, colorLevel, line), undefined, line)
  }
})

test('lines whose parse the bytes cannot tell are declined', () => {
  const lines = [
    '{"a":1e3}', '{"a":0.0000001}', '{"a":-0}', '{"a":1.50}', '{"a":1234567890123456}', '{"a":01}', '{"a":"caf\u00e9"}',
    '{"a":"\\n"}', '{"a":{"b":1}}', '{"a":[1]}', '{"a":1,"a":2}', '{"1":1}', '{"__proto__":1}', '{ "a":1}', '{"a": 1}',
    '{"a":1} ', '{"a":1', '{"a":1,}', '{"a":tru}', '{"stack":"s","type":"Error"}', '{"time":"2026-01-01T00:00:00Z"}',
    '{"time":1.5}', '{"time":-1}', '{"level":"info"}', '{"level":30.5}', '{"pid":"7"}', '{"tid":1.5}', '{"a":"\x7f"}', '[1]'
  ]
  const printer = new DirectLinePrinter(1)
  for (const line of lines) assert.equal(printDirect(printer, line), undefined, line)
})

test('a source renamed, or another thread of the same pid, gets its own tag', () => {
  const printer = new DirectLinePrinter(1)
  for (const line of ['{"pid":1,"tid":1,"thread":"a"}', '{"pid":1,"tid":1,"thread":"b"}', '{"pid":1,"tid":2,"thread":"a"}',
    '{"pid":1,"tid":1}', '{"pid":1,"thread":"a"}', '{"pid":1,"tid":1,"thread":"a","worker":3}', '{"pid":1,"tid":1,"thread":"a"}']) {
    assert.notEqual(assertSameOrDeclined(printer, 1, line), undefined, line)
  }
})

test('property: a canonical number token is what String() of its value prints', () => {
  fc.assert(fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.stringMatching(/^-?\d{1,17}(\.\d{1,17})?$/)), (value) => {
    const token = typeof value === 'string' ? value : JSON.stringify(value)
    // A token ends where the number's grammar does; anything else after it is the reader's to refuse.
    const bytes = Buffer.from(token + ',', 'latin1')
    if (canonicalNumberEnd(bytes, 0, bytes.length) === token.length) assert.equal(String(JSON.parse(token)), token)
  }), { numRuns: 5000 })
})

const KEYS = ['level', 'time', 'pid', 'tid', 'proc', 'worker', 'thread', 'msg', 'name', 'hostname', 'seq', 'stack', 'type', 'err', 'reqId', 'a b', '1', 'x']
const flatValue = fc.oneof(
  fc.string({ maxLength: 8 }), fc.constantFrom('', 'a b', 'a=b', 'api', 'resize', '5'), fc.integer({ min: -5, max: 70 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(true, false, null), fc.constant(1700000001234)
)

test('property: whatever flat record, the printer prints what the formatter prints, or declines', () => {
  const printers = COLOR_LEVELS.map((colorLevel) => new DirectLinePrinter(colorLevel))
  let printed = 0
  fc.assert(fc.property(fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), flatValue), fc.constantFrom(...COLOR_LEVELS), (record, colorLevel) => {
    if (assertSameOrDeclined(printers[colorLevel] as DirectLinePrinter, colorLevel, JSON.stringify(record)) !== undefined) printed++
  }), { numRuns: 3000 })
  assert.ok(printed > 300, `only ${printed} of 3000 records printed without a parse`)
})
