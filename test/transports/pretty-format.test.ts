import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import prettyTransport, { createPrettySink } from '../../transports/pretty.ts'
import { runFixture } from '../helpers/run-fixture.ts'

const dir = mkdtempSync(join(tmpdir(), 'threadlog-pretty-format-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const tmpFile = () => join(dir, `out-${++files}.log`)

const LINE = JSON.stringify({ level: 40, time: 1700000001234, pid: 4242, proc: 'api', tid: 3, thread: 'resize', msg: 'slow', ms: 812 })

test('createPrettySink renders with the format option', () => {
  const destination = tmpFile()
  createPrettySink({ destination, colorize: false, format: '{thread}:{tid} [{level}] {msg} {fields}' }).write(LINE + '\n')
  assert.equal(readFileSync(destination, 'utf8'), 'resize:3 [WARN] slow ms=812\n')
})

test('createPrettySink with colorLine colors the whole line by level', () => {
  const destination = tmpFile()
  createPrettySink({ destination, colorize: true, colorLine: true, format: '[{level}] {msg} {fields}' }).write(LINE + '\n')
  assert.equal(readFileSync(destination, 'utf8'), '\x1b[33m[WARN] slow ms=812\x1b[39m\n')
})

test('a bad format fails at creation, naming the option and the position', () => {
  assert.throws(() => createPrettySink({ destination: tmpFile(), format: '{time} [{level' }), {
    name: 'RangeError', message: 'threadlog: pretty option "format": unclosed "{" at position 8'
  })
})

test('a format that is not a string, or a colorLine that is not a boolean, is a TypeError', () => {
  assert.throws(() => createPrettySink({ format: 1 as unknown as string }), {
    name: 'TypeError', message: 'threadlog: pretty option "format" must be a string, got number'
  })
  assert.throws(() => createPrettySink({ colorLine: 'yes' as unknown as boolean }), {
    name: 'TypeError', message: 'threadlog: pretty option "colorLine" must be a boolean, got string'
  })
})

// The transport opens its destination asynchronously, on libuv's pool: wait until no file
// operation is pending (state, not time) before looking for the file.
async function settleFileOperations (): Promise<void> {
  while (process.getActiveResourcesInfo().includes('FSReqCallback')) await new Promise(setImmediate)
}

test('the pino transport rejects a bad format before it opens its destination', async () => {
  const destination = tmpFile()
  await assert.rejects(prettyTransport({ destination, format: '{}' }), {
    name: 'RangeError', message: 'threadlog: pretty option "format": empty placeholder "{}" at position 0'
  })
  await settleFileOperations()
  assert.equal(existsSync(destination), false)
})

test('the hub\'s pretty target takes format and colorLine from its options', async () => {
  const prettyFile = tmpFile()
  const result = await runFixture('pretty-target-format.ts', [prettyFile, '[{level}] {msg} {req.id} {fields}'])
  assert.equal(result.code, 0, result.stderr)
  // The hub's own records (`thread started`…) go there too; this test is about the two logged here.
  const lines = readFileSync(prettyFile, 'utf8').split('\n').filter((line) => /hello|careful/.test(line))
  assert.deepEqual(lines, ['\x1b[32m[INFO] hello reqId=r1\x1b[39m', '\x1b[33m[WARN] careful 7 req={"id":7}\x1b[39m'])
})
