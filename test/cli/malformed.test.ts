import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { test } from 'node:test'
import { BIN, cliEnv, runCli } from '../helpers/run-cli.ts'

async function runBytes (args: string[], input: Buffer): Promise<{ code: number | null, stdout: Buffer, stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv({ NO_COLOR: '1' }), stdio: 'pipe' })
  const chunks: Buffer[] = []
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.end(input)
  const [code] = await once(child, 'close') as [number | null]
  return { code, stdout: Buffer.concat(chunks), stderr }
}

test('malformed lines never stop the CLI: broken JSON passes through in pretty output', async () => {
  const input = '{"tid":3,"msg":"ok"}\n{"tid":3,"msg":"trunc\n{"tid":3,}\n{"tid":3,"msg":"ok again"}\n'
  const pretty = await runCli(['--thread', '3'], { NO_COLOR: '1' }, input)
  assert.deepEqual(pretty, { code: 0, stdout: 't[3] ok\n{"tid":3,"msg":"trunc\n{"tid":3,}\nt[3] ok again\n', stderr: '' })
  const ndjson = await runCli(['--thread', '3', '-o', 'ndjson'], { NO_COLOR: '1' }, input)
  assert.equal(ndjson.stdout, '{"tid":3,"msg":"ok"}\n{"tid":3,"msg":"ok again"}\n')
})

test('a 10 MB line is selected and re-emitted whole, and the lines around it are not lost', async () => {
  const message = 'x'.repeat(10 * 1024 * 1024)
  const huge = `{"level":30,"tid":3,"msg":"${message}"}`
  const input = Buffer.from(`{"tid":3,"msg":"before"}\n${huge}\n{"tid":4,"msg":"${message}"}\n{"tid":3,"msg":"after"}\n`)
  const result = await runBytes(['--thread', '3', '-o', 'ndjson'], input)
  assert.equal(result.code, 0)
  assert.equal(result.stdout.toString(), `{"tid":3,"msg":"before"}\n${huge}\n{"tid":3,"msg":"after"}\n`)
})

test('a 10 MB line pretty-prints whole', async () => {
  const message = 'y'.repeat(10 * 1024 * 1024)
  const result = await runCli(['--level', 'info'], { NO_COLOR: '1' }, `{"level":30,"msg":"${message}"}\n`)
  assert.deepEqual(result, { code: 0, stdout: `INFO  ${message}\n`, stderr: '' })
})

test('a 10 MB line that is not JSON passes through in pretty output', async () => {
  const text = 'z'.repeat(10 * 1024 * 1024)
  const result = await runBytes([], Buffer.from(`${text}\n{"msg":"m"}\n`))
  assert.equal(result.stdout.toString(), `${text}\nm\n`)
})

test('invalid UTF-8: records print with U+FFFD in pretty output, text lines pass as bytes', async () => {
  const input = Buffer.concat([
    Buffer.from('{"tid":3,"msg":"bad '), Buffer.from([0xff]), Buffer.from(' byte"}\nraw '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')
  ])
  const result = await runBytes(['--thread', '3'], input)
  assert.deepEqual(result.stdout, Buffer.concat([
    Buffer.from('t[3] bad \ufffd byte\nraw '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')
  ]))
})

test('a multi-byte character split across chunks decodes whole', async () => {
  // 64 KiB reads from a pipe: the é sits across a chunk boundary for some reads; every one is whole.
  const line = `{"tid":3,"msg":"${'é'.repeat(70_000)}"}\n`
  const result = await runBytes(['--thread', '3'], Buffer.from(line.repeat(3)))
  assert.equal(result.stdout.toString(), `t[3] ${'é'.repeat(70_000)}\n`.repeat(3))
})

test('values that look like a selection inside strings or nested objects do not select a line', async () => {
  const input = [
    '{"tid":4,"msg":"\\"tid\\":3"}', '{"tid":4,"ctx":{"tid":3}}', '{"xtid":3,"tid":5}', '{"tid":"3"}', '{"tid":31}', '{"tid":3}'
  ].join('\n') + '\n'
  const result = await runCli(['--thread', '3', '-o', 'ndjson'], { NO_COLOR: '1' }, input)
  assert.deepEqual(result, { code: 0, stdout: '{"tid":3}\n', stderr: '' })
})

test('numbers written another way than JSON.stringify writes them are still compared as numbers', async () => {
  const input = '{"tid":3.0,"msg":"a"}\n{"tid":3e0,"msg":"b"}\n{"tid":30e-1,"msg":"c"}\n{"tid":3.5,"msg":"d"}\n'
  const result = await runCli(['--thread', '3', '-o', 'ndjson'], { NO_COLOR: '1' }, input)
  assert.equal(result.stdout, '{"tid":3.0,"msg":"a"}\n{"tid":3e0,"msg":"b"}\n{"tid":30e-1,"msg":"c"}\n')
})

test('levels and times in any JSON spacing are read like compact ones', async () => {
  const input = '{ "level" : 50 , "time" : 1765101600000, "msg":"a"}\n{"level":\t"error","msg":"b"}\n{"level": 30,"msg":"c"}\n'
  const result = await runCli(['--level', 'error', '--since', '2025-01-01', '-o', 'ndjson'], { NO_COLOR: '1' }, input)
  assert.equal(result.stdout, '{ "level" : 50 , "time" : 1765101600000, "msg":"a"}\n')
})
