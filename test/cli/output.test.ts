import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { test } from 'node:test'
import { BIN, cliEnv, fixture, runCli } from '../helpers/run-cli.ts'
import { tempFile } from '../helpers/temp-file.ts'

const FILE = fixture('threads.ndjson')
const LINES = readFileSync(FILE, 'utf8').split('\n')
const lines = (...numbers: number[]): string => numbers.map((n) => LINES[n - 1] + '\n').join('')

/** Runs the bin on `input` bytes and collects stdout as bytes. */
async function runBytes (args: string[], input: Buffer): Promise<{ code: number | null, stdout: Buffer }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv({ NO_COLOR: '1' }), stdio: 'pipe' })
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  child.stdin.end(input)
  const [code] = await once(child, 'close') as [number | null]
  return { code, stdout: Buffer.concat(chunks) }
}

test('--output ndjson re-emits selected lines byte for byte: spacing, escapes, CRLF, invalid UTF-8', async () => {
  const kept = [
    Buffer.from('{ "tid" : 3 , "msg" : "spaced" }'),
    Buffer.from('{"tid":3,"msg":"caf\\u00e9 \\"quoted\\"","n":1.50}\r'),
    Buffer.concat([Buffer.from('{"tid":3,"msg":"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])
  ]
  const input = Buffer.concat([
    kept[0] as Buffer, Buffer.from('\n{"tid":4,"msg":"other"}\nplain\n'), kept[1] as Buffer, Buffer.from('\n'), kept[2] as Buffer, Buffer.from('\n')
  ])
  const result = await runBytes(['--thread', '3', '-o', 'ndjson'], input)
  assert.equal(result.code, 0)
  assert.deepEqual(result.stdout, Buffer.concat(kept.flatMap((line) => [line, Buffer.from('\n')])))
})

test('--output ndjson drops lines that are not JSON, and ends a last line without \\n with one', async () => {
  const result = await runCli(['-o', 'ndjson'], { NO_COLOR: '1' }, 'text\n[1]\n{"broken":\n{"msg":"last"}')
  assert.deepEqual(result, { code: 0, stdout: '{"msg":"last"}\n', stderr: '' })
})

test('--output with another mode exits 2', async () => {
  const result = await runCli(['--output', 'json'], { NO_COLOR: '1' })
  assert.deepEqual([result.code, result.stderr.split('\n')[0]], [2, "threadlog: option '--output' must be pretty or ndjson, got 'json'"])
})

test('--group prints each source under a header, in order of first appearance; text lines last', async () => {
  const result = await runCli(['--group', '--level', 'info', FILE], { NO_COLOR: '1' })
  assert.deepEqual(result, {
    code: 0,
    stdout:
      '── p[api:4242] t[main:0] · 2 records\n' +
      '10:00:00.000 INFO  p[api:4242] t[main:0] listening  port=8080\n' +
      '10:00:10.000 FATAL p[api:4242] t[main:0] shutting down\n' +
      '── p[api:4242] t[db:3] · 3 records\n' +
      '10:00:02.000 INFO  p[api:4242] t[db:3] query started  reqId=r1\n' +
      '10:00:04.000 WARN  p[api:4242] t[db:3] slow query  reqId=r1 ms=812\n' +
      '10:00:07.000 INFO  p[api:4242] t[db:3] query done  reqId=r1\n' +
      '── p[billing:4400] t[main:0] · 2 records\n' +
      '10:00:03.000 INFO  p[billing:4400] t[main:0] charge requested  reqId=r2 req={"method":"POST"}\n' +
      '10:00:06.000 ERROR p[billing:4400] t[main:0] card declined: timeout  reqId=r2\n' +
      '── p[api#2:4300] t[main:0] · 1 record\n' +
      '10:00:08.000 WARN  p[api#2:4300] t[main:0] label level, ISO time\n' +
      '── p[api:4242] t[resize-1:1] · 1 record\n' +
      '10:00:09.000 INFO  p[api:4242] t[resize-1:1] resized  reqId=r1 req={"method":"GET"} nested={"tid":3,"pid":4400,"level":60}\n' +
      '── not JSON · 1 line\n' +
      'plain text from console.log\n',
    stderr: ''
  })
})

test('--group with FORCE_COLOR=1 colors each header like its source tag', async () => {
  const result = await runCli(['--group', '--pid', '4400', '--level', 'error', FILE], { FORCE_COLOR: '1' })
  assert.equal(result.stdout,
    '── \x1b[92mp[billing:4400] t[main:0]\x1b[39m · 1 record\n' +
    '10:00:06.000 \x1b[31mERROR\x1b[39m \x1b[92mp[billing:4400] t[main:0]\x1b[39m card declined: timeout  \x1b[2mreqId=\x1b[22mr2\n' +
    '── not JSON · 1 line\n' +
    'plain text from console.log\n')
})

test('--group with --output ndjson reorders the lines by source, without headers', async () => {
  const result = await runCli(['--group', '-o', 'ndjson', '--level', 'warn', FILE], { NO_COLOR: '1' })
  assert.equal(result.stdout, lines(6, 8, 10, 12))
  const all = await runCli(['--group', '-o', 'ndjson', '--proc', 'api', '--level', 'info', FILE], { NO_COLOR: '1' })
  assert.equal(all.stdout, lines(1, 12, 3, 6, 9, 10, 11))
})

test('--stats prints counts per source and level, with the first and last time, and a total', async () => {
  const result = await runCli(['--stats', FILE], { NO_COLOR: '1' })
  assert.deepEqual(result, {
    code: 0,
    stdout:
      'proc      pid  thread    tid  trace  debug  info  warn  error  fatal  total  first                    last\n' +
      'api      4242  main        0      0      0     1     0      0      1      2  2025-12-07 10:00:00.000  2025-12-07 10:00:10.000\n' +
      'api      4242  resize-1    1      0      1     1     0      0      0      2  2025-12-07 10:00:01.000  2025-12-07 10:00:09.000\n' +
      'api      4242  db          3      0      0     2     1      0      0      3  2025-12-07 10:00:02.000  2025-12-07 10:00:07.000\n' +
      'billing  4400  main        0      0      0     1     0      1      0      2  2025-12-07 10:00:03.000  2025-12-07 10:00:06.000\n' +
      'api      4242  resize-2    2      1      0     0     0      0      0      1  2025-12-07 10:00:05.000  2025-12-07 10:00:05.000\n' +
      'api      4300  main        0      0      0     0     1      0      0      1  2025-12-07 10:00:08.000  2025-12-07 10:00:08.000\n' +
      'all         -  -           -      1      1     5     2      1      1     11  2025-12-07 10:00:00.000  2025-12-07 10:00:10.000\n',
    stderr: ''
  })
})

test('--stats counts only the selected records', async () => {
  const result = await runCli(['--stats', '--proc', 'billing', FILE], { NO_COLOR: '1' })
  assert.equal(result.stdout,
    'proc      pid  thread  tid  trace  debug  info  warn  error  fatal  total  first                    last\n' +
    'billing  4400  main      0      0      0     1     0      1      0      2  2025-12-07 10:00:03.000  2025-12-07 10:00:06.000\n' +
    'all         -  -         -      0      0     1     0      1      0      2  2025-12-07 10:00:03.000  2025-12-07 10:00:06.000\n')
})

test('-B prints records of the same source before each match; -- separates runs', async () => {
  const result = await runCli(['--grep', 'slow|resized', '-B', '1', FILE], { NO_COLOR: '1' })
  assert.deepEqual(result, {
    code: 0,
    stdout:
      '10:00:02.000 INFO  p[api:4242] t[db:3] query started  reqId=r1\n' +
      '10:00:04.000 WARN  p[api:4242] t[db:3] slow query  reqId=r1 ms=812\n' +
      '--\n' +
      '10:00:01.000 DEBUG p[api:4242] t[resize-1:1] resizing  reqId=r1 req={"method":"GET"}\n' +
      '10:00:09.000 INFO  p[api:4242] t[resize-1:1] resized  reqId=r1 req={"method":"GET"} nested={"tid":3,"pid":4400,"level":60}\n',
    stderr: ''
  })
})

test('-A prints records of the same source after each match, skipping other sources', async () => {
  const result = await runCli(['--grep', 'started|requested', '-A', '1', '-o', 'ndjson', FILE], { NO_COLOR: '1' })
  assert.equal(result.stdout, lines(3, 4, 6, 8))
})

test('-C sets both; NDJSON output has no separators', async () => {
  const result = await runCli(['--grep', '^slow', '-C', '5', '-o', 'ndjson', FILE], { NO_COLOR: '1' })
  assert.equal(result.stdout, lines(3, 6, 9))
  const after = await runCli(['--grep', 'listening|resizing', '--after-context=1', '-o', 'ndjson', FILE], { NO_COLOR: '1' })
  assert.equal(after.stdout, lines(1, 2, 11, 12))
})

test('a file larger than a read, and a named pipe given as a file, are read whole and in order', async () => {
  // 2.5 reads of 1 MiB, lines cut across reads: a regular file is read on the main thread.
  const record = (n: number): string => `{"level":30,"tid":${n % 5},"msg":"record ${n}","pad":"${'x'.repeat(200)}"}\n`
  const records = Array.from({ length: 12_000 }, (_, n) => record(n)).join('')
  const file = tempFile('big.ndjson')
  writeFileSync(file, records)
  const selected = Array.from({ length: 12_000 }, (_, n) => n).filter((n) => n % 5 === 3).map(record).join('')
  assert.deepEqual(await runCli(['--thread', '3', '-o', 'ndjson', file], {}), { code: 0, stdout: selected, stderr: '' })
  // A pipe is not a regular file: it is read as a stream.
  const fifo = tempFile('pipe')
  execFileSync('mkfifo', [fifo])
  const [result] = await Promise.all([runCli(['--thread', '3', '-o', 'ndjson', fifo], {}), writeFile(fifo, records)])
  assert.deepEqual(result, { code: 0, stdout: selected, stderr: '' })
})
