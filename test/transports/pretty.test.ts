import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test, type TestContext } from 'node:test'
import pino from 'pino'
import prettyTransport, { createPrettySink } from '../../transports/pretty.ts'

process.env.TZ = 'UTC' // the time column is local time; workers inherit the environment

const TARGET = join(import.meta.dirname, '..', '..', 'transports', 'pretty.ts')
const dir = mkdtempSync(join(tmpdir(), 'threadlog-pretty-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const tmpFile = () => join(dir, `out-${++files}.log`)

// 2023-11-14T22:13:21.234Z; identity as the logger core writes it.
const BASE = { pid: 4242, ppid: 1, hostname: 'h', proc: 'api', tid: 3, thread: 'resize' }
const timestamp = () => ',"time":1700000001234'
const ERR = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at resize (/app/img.js:10:5)' }
// Colors decided by the options alone: no NO_COLOR/FORCE_COLOR from the calling shell.
function clearColorEnv (t: TestContext): void {
  const keys = ['NO_COLOR', 'FORCE_COLOR', 'TERM', 'COLORTERM']
  const saved = keys.map((key) => [key, process.env[key]] as const)
  t.after(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  })
  for (const key of keys) delete process.env[key]
}

/**
 * thread-stream unrefs its worker, and on Node 22 nothing else keeps this test file's event loop
 * alive while it awaits the transport's 'close'. A real program has its own handles; this one stands
 * in for them (it is not used to wait: the test waits on the event).
 */
function keepAliveUntil (done: Promise<unknown>): void {
  const handle = setInterval(() => {}, 60_000)
  void done.finally(() => clearInterval(handle))
}

const LINE = JSON.stringify({ level: 30, time: 1700000001234, ...BASE, seq: 1, msg: 'hello' })

test('as a pino transport target: every record arrives formatted, and close waits for the file', async () => {
  const destination = tmpFile()
  const transport = pino.transport({ target: TARGET, options: { destination, colorize: false } })
  keepAliveUntil(once(transport, 'close'))
  const logger = pino({ base: BASE, timestamp }, transport)
  logger.info({ reqId: '7f3a', user: 42 }, 'resized image')
  logger.warn('slow \x1b[31mdisk')
  logger.error({ err: ERR }, 'boom')
  const closed = once(transport, 'close')
  transport.end()
  await closed
  assert.equal(readFileSync(destination, 'utf8'),
    '22:13:21.234 INFO  p[api:4242] t[resize:3] resized image  reqId=7f3a user=42\n' +
    '22:13:21.234 WARN  p[api:4242] t[resize:3] slow \\x1b[31mdisk\n' +
    '22:13:21.234 ERROR p[api:4242] t[resize:3] boom\n' +
    '    Error: boom\n' +
    '        at resize (/app/img.js:10:5)\n')
})

test('as a pino transport target with colorize: true, the file gets color level 1', async (t) => {
  clearColorEnv(t) // the worker copies the environment when it starts
  const destination = tmpFile()
  const transport = pino.transport({ target: TARGET, options: { destination, colorize: true } })
  keepAliveUntil(once(transport, 'close'))
  const logger = pino({ base: { pid: 4242, tid: 3 }, timestamp: false }, transport)
  logger.info({ k: 'v' }, 'hi')
  const closed = once(transport, 'close')
  transport.end()
  await closed
  assert.equal(readFileSync(destination, 'utf8'),
    '\x1b[32mINFO\x1b[39m  \x1b[33mp[4242] t[3]\x1b[39m hi  \x1b[2mk=\x1b[22mv\n')
})

test('driven directly: lines keep their order, non-JSON lines pass through unchanged', async () => {
  const destination = tmpFile()
  const stream = await prettyTransport({ destination, colorize: false })
  stream.write('starting up\n')
  stream.write(LINE + '\n{"msg":"second"}\n[1,2]\n')
  stream.end('last line without newline')
  await once(stream, 'close')
  assert.equal(readFileSync(destination, 'utf8'),
    'starting up\n22:13:21.234 INFO  p[api:4242] t[resize:3] hello\nsecond\n[1,2]\nlast line without newline\n')
})

test('driven directly: many records are all written before close', async () => {
  const destination = tmpFile()
  const stream = await prettyTransport({ destination, colorize: false })
  const count = 20_000
  for (let i = 0; i < count; i++) stream.write(`{"level":30,"msg":"record ${i}"}\n`)
  stream.end()
  await once(stream, 'close')
  const lines = readFileSync(destination, 'utf8').split('\n')
  assert.equal(lines.length, count + 1)
  assert.equal(lines[count - 1], `INFO  record ${count - 1}`)
})

test('createPrettySink writes each line synchronously', () => {
  const destination = tmpFile()
  const sink = createPrettySink({ destination, colorize: false })
  sink.write(LINE + '\n')
  assert.equal(readFileSync(destination, 'utf8'), '22:13:21.234 INFO  p[api:4242] t[resize:3] hello\n')
  sink.write('{"msg":"a"}\nnot json\n')
  assert.equal(readFileSync(destination, 'utf8'), '22:13:21.234 INFO  p[api:4242] t[resize:3] hello\na\nnot json\n')
})

test('createPrettySink with multiline keeps message line breaks', () => {
  const destination = tmpFile()
  createPrettySink({ destination, colorize: false, multiline: true }).write('{"msg":"one\\ntwo"}\n')
  assert.equal(readFileSync(destination, 'utf8'), 'one\ntwo\n')
})

test('the isTTY hint turns colors on when the environment says nothing', (t) => {
  clearColorEnv(t)
  const withHint = tmpFile()
  const withoutHint = tmpFile()
  createPrettySink({ destination: withHint, isTTY: true }).write('{"level":50}\n')
  createPrettySink({ destination: withoutHint }).write('{"level":50}\n')
  assert.equal(readFileSync(withHint, 'utf8'), '\x1b[31mERROR\x1b[39m\n')
  assert.equal(readFileSync(withoutHint, 'utf8'), 'ERROR\n')
})

test('invalid options are rejected with the option named', () => {
  assert.throws(() => createPrettySink({ destination: -1 }), {
    name: 'TypeError', message: 'threadlog: pretty option "destination" must be a file descriptor or a non-empty path'
  })
  assert.throws(() => createPrettySink({ colorize: 'yes' as unknown as boolean }), {
    name: 'TypeError', message: 'threadlog: pretty option "colorize" must be a boolean, got string'
  })
})

test('createPrettySink fails at creation when the file cannot be opened', () => {
  assert.throws(() => createPrettySink({ destination: join(dir, 'missing', 'out.log') }), { code: 'ENOENT' })
})
