import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { BIN, ROOT, cliEnv, fixture, runCli } from '../helpers/run-cli.ts'

const MIXED_PLAIN =
  '22:13:21.234 INFO  p[api:4242] t[main:0] listening  port=8080\n' +
  '22:13:21.300 DEBUG p[api:4242] t[resize:3] resizing  reqId=7f3a size=1024x768\n' +
  'plain text from console.log\n' +
  '22:13:21.450 WARN  p[api#2:4300] t[main:0] slow query  ms=812.5 sql="select * from t where a = 1"\n' +
  '22:13:21.500 ERROR p[api:4242] t[resize:3] boom  reqId=7f3a err.code=EIMG\n' +
  '    Error: boom\n' +
  '        at resize (/app/img.js:10:5)\n' +
  '        at process (/app/worker.js:4:3)\n' +
  '22:13:21.600 INFO  p[api:4242] t[main:0] user said \\x1b[2Jhi \\u202egnp.exe  user={"id":42,"tags":["a","b"]}\n' +
  '22:13:21.700 FATAL p[api:4242] t[main:0] shutting down\n'

const MIXED_COLORED =
  '22:13:21.234 \x1b[32mINFO\x1b[39m  \x1b[32mp[api:4242] t[main:0]\x1b[39m listening  \x1b[2mport=\x1b[22m8080\n' +
  '22:13:21.300 \x1b[36mDEBUG\x1b[39m \x1b[33mp[api:4242] t[resize:3]\x1b[39m resizing  \x1b[2mreqId=\x1b[22m7f3a \x1b[2msize=\x1b[22m1024x768\n' +
  'plain text from console.log\n' +
  '22:13:21.450 \x1b[33mWARN\x1b[39m  \x1b[93mp[api#2:4300] t[main:0]\x1b[39m slow query  \x1b[2mms=\x1b[22m812.5 \x1b[2msql=\x1b[22m"select * from t where a = 1"\n' +
  '22:13:21.500 \x1b[31mERROR\x1b[39m \x1b[33mp[api:4242] t[resize:3]\x1b[39m boom  \x1b[2mreqId=\x1b[22m7f3a \x1b[2merr.code=\x1b[22mEIMG\n' +
  '    Error: boom\n' +
  '        at resize (/app/img.js:10:5)\n' +
  '        at process (/app/worker.js:4:3)\n' +
  '22:13:21.600 \x1b[32mINFO\x1b[39m  \x1b[32mp[api:4242] t[main:0]\x1b[39m user said \\x1b[2Jhi \\u202egnp.exe  \x1b[2muser=\x1b[22m{"id":42,"tags":["a","b"]}\n' +
  '22:13:21.700 \x1b[1m\x1b[37m\x1b[41mFATAL\x1b[49m\x1b[39m\x1b[22m \x1b[32mp[api:4242] t[main:0]\x1b[39m shutting down\n'

test('NO_COLOR=1: a file prints as plain pretty lines', async () => {
  assert.deepEqual(await runCli([fixture('mixed-sources.ndjson')], { NO_COLOR: '1' }), { code: 0, stdout: MIXED_PLAIN, stderr: '' })
})

test('FORCE_COLOR=1: a file prints with basic ANSI colors', async () => {
  assert.deepEqual(await runCli([fixture('mixed-sources.ndjson')], { FORCE_COLOR: '1' }), { code: 0, stdout: MIXED_COLORED, stderr: '' })
})

test('with neither variable and stdout a pipe, there is no color', async () => {
  assert.deepEqual(await runCli([fixture('mixed-sources.ndjson')], {}), { code: 0, stdout: MIXED_PLAIN, stderr: '' })
})

test('--no-color beats FORCE_COLOR, --color beats NO_COLOR', async () => {
  assert.equal((await runCli(['--no-color', fixture('mixed-sources.ndjson')], { FORCE_COLOR: '1' })).stdout, MIXED_PLAIN)
  assert.equal((await runCli(['--color', fixture('mixed-sources.ndjson')], { NO_COLOR: '1' })).stdout, MIXED_COLORED)
})

test('non-JSON lines pass through unchanged', async () => {
  const result = await runCli([fixture('non-json-lines.txt')], { NO_COLOR: '1' })
  assert.deepEqual(result, {
    code: 0,
    stdout: 'starting...\n\n[1,2,3]\n42\n{"broken":\nINFO  indented json\ndone \\o/\n',
    stderr: ''
  })
})

test('a last line without a newline is printed, with one', async () => {
  const result = await runCli([fixture('no-final-newline.ndjson')], { NO_COLOR: '1' })
  assert.equal(result.stdout, '22:13:22.000 INFO  p[7] t[0] first\n22:13:22.001 INFO  p[7] t[0] last, no newline\n')
})

test('without files, stdin is read', async () => {
  const input = readFileSync(fixture('mixed-sources.ndjson'), 'utf8')
  assert.deepEqual(await runCli([], { NO_COLOR: '1' }, input), { code: 0, stdout: MIXED_PLAIN, stderr: '' })
})

test('files and "-" (stdin) are printed in the order given', async () => {
  const result = await runCli([fixture('no-final-newline.ndjson'), '-', fixture('non-json-lines.txt')], { NO_COLOR: '1' }, 'from stdin\n')
  assert.equal(result.stdout,
    '22:13:22.000 INFO  p[7] t[0] first\n22:13:22.001 INFO  p[7] t[0] last, no newline\n' +
    'from stdin\n' +
    'starting...\n\n[1,2,3]\n42\n{"broken":\nINFO  indented json\ndone \\o/\n')
})

test('--multiline keeps line breaks of messages', async () => {
  const file = fixture('multiline-message.ndjson')
  assert.equal((await runCli([file], { NO_COLOR: '1' })).stdout, '22:13:23.000 INFO  p[7] t[0] line one\\nline two\n')
  assert.equal((await runCli(['--multiline', file], { NO_COLOR: '1' })).stdout, '22:13:23.000 INFO  p[7] t[0] line one\nline two\n')
})

test('a very long line is printed whole', async () => {
  const message = 'x'.repeat(3 * 1024 * 1024)
  const result = await runCli([], { NO_COLOR: '1' }, `{"level":30,"msg":"${message}"}\nafter\n`)
  assert.equal(result.stdout, `INFO  ${message}\nafter\n`)
})

test('a missing file is reported on stderr, the other files are printed, exit code 2 as grep', async () => {
  const missing = join(ROOT, 'test', 'fixtures', 'cli', 'missing.ndjson')
  const result = await runCli([missing, fixture('no-final-newline.ndjson')], { NO_COLOR: '1' })
  assert.deepEqual(result, {
    code: 2,
    stdout: '22:13:22.000 INFO  p[7] t[0] first\n22:13:22.001 INFO  p[7] t[0] last, no newline\n',
    stderr: `threadlog: ${missing}: no such file or directory\n`
  })
})

test('--help and -h print the help and exit 0', async () => {
  const help = readFileSync(join(ROOT, 'src', 'cli', 'help.txt'), 'utf8')
  assert.deepEqual(await runCli(['--help'], { NO_COLOR: '1' }), { code: 0, stdout: help, stderr: '' })
  assert.deepEqual(await runCli(['-h'], { NO_COLOR: '1' }), { code: 0, stdout: help, stderr: '' })
})

test('--version prints the package version and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  assert.deepEqual(await runCli(['-v'], { NO_COLOR: '1' }), { code: 0, stdout: `${version}\n`, stderr: '' })
})

test('an unknown option exits 2 with a message on stderr', async () => {
  assert.deepEqual(await runCli(['--bogus', fixture('mixed-sources.ndjson')], { NO_COLOR: '1' }), {
    code: 2,
    stdout: '',
    stderr: "threadlog: unknown option '--bogus'\nTry 'threadlog --help' for more information.\n"
  })
})

test('only --color has a --no- form, and options take no value', async () => {
  const negated = await runCli(['--no-multiline'], { NO_COLOR: '1' })
  assert.deepEqual([negated.code, negated.stderr.split('\n')[0]], [2, "threadlog: unknown option '--no-multiline'"])
  const valued = await runCli(['--color=always'], { NO_COLOR: '1' })
  assert.deepEqual([valued.code, valued.stderr.split('\n')[0]], [2, "threadlog: option '--color' takes no value"])
})

test('a reader that goes away (EPIPE) ends the CLI quietly with exit code 0', async () => {
  const child = spawn(process.execPath, [BIN], { env: cliEnv({ NO_COLOR: '1' }), stdio: 'pipe' })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.on('error', () => {}) // the CLI may exit before it has read all of its input
  // The first output closes the pipe; the input is large enough to still be printing then.
  child.stdout.once('data', () => child.stdout.destroy())
  child.stdin.end('{"level":30,"msg":"line"}\n'.repeat(200_000))
  const [code] = await once(child, 'close') as [number | null]
  assert.deepEqual({ code, stderr }, { code: 0, stderr: '' })
})

const FORMAT = '{time} [{level}] t[{thread}:{tid}] {msg} {fields}'

test('--format lays each record out with the template; stacks and escapes as in the default line', async () => {
  const result = await runCli(['--format', FORMAT, fixture('mixed-sources.ndjson')], { NO_COLOR: '1' })
  assert.deepEqual(result, {
    code: 0,
    stdout:
      '22:13:21.234 [INFO] t[main:0] listening port=8080\n' +
      '22:13:21.300 [DEBUG] t[resize:3] resizing reqId=7f3a size=1024x768\n' +
      'plain text from console.log\n' +
      '22:13:21.450 [WARN] t[main:0] slow query ms=812.5 sql="select * from t where a = 1"\n' +
      '22:13:21.500 [ERROR] t[resize:3] boom reqId=7f3a err.code=EIMG\n' +
      '    Error: boom\n' +
      '        at resize (/app/img.js:10:5)\n' +
      '        at process (/app/worker.js:4:3)\n' +
      '22:13:21.600 [INFO] t[main:0] user said \\x1b[2Jhi \\u202egnp.exe user={"id":42,"tags":["a","b"]}\n' +
      '22:13:21.700 [FATAL] t[main:0] shutting down\n',
    stderr: ''
  })
})

test('--format=<template> works too, and non-JSON lines still pass through', async () => {
  const result = await runCli(['--format={msg}|{{x}}'], { NO_COLOR: '1' }, '{"msg":"m","x":1}\nplain\n')
  assert.equal(result.stdout, 'm|{x}\nplain\n')
})

test('--color-line with FORCE_COLOR=1 colors the whole line by level', async () => {
  const result = await runCli(['--color-line', '--format', '[{level}] {msg} {fields}'], { FORCE_COLOR: '1' }, '{"level":40,"msg":"slow","ms":812}\n')
  assert.equal(result.stdout, '\x1b[33m[WARN] slow ms=812\x1b[39m\n')
})

test('--color-line with the default line', async () => {
  const result = await runCli(['--color-line'], { FORCE_COLOR: '1' }, '{"level":50,"msg":"boom","k":1}\n')
  assert.equal(result.stdout, '\x1b[31mERROR boom  k=1\x1b[39m\n')
})

test('--color-line under NO_COLOR writes no escape sequence', async () => {
  const result = await runCli(['--color-line'], { NO_COLOR: '1' }, '{"level":50,"msg":"boom"}\n')
  assert.equal(result.stdout, 'ERROR boom\n')
})

test('a bad --format template exits 2, naming the option and the position', async () => {
  assert.deepEqual(await runCli(['--format', '{time} [{level'], { NO_COLOR: '1' }), {
    code: 2,
    stdout: '',
    stderr: 'threadlog: option \'--format\': unclosed "{" at position 8\nTry \'threadlog --help\' for more information.\n'
  })
})

test('--format without a template exits 2', async () => {
  const result = await runCli(['--format'], { NO_COLOR: '1' })
  assert.deepEqual([result.code, result.stderr.split('\n')[0]], [2, "threadlog: option '--format' needs a template"])
})

test('--format followed by an option or "--" exits 2: that is not a template', async () => {
  for (const next of ['--no-color', '--', '-']) {
    const result = await runCli(['--format', next], { NO_COLOR: '1' }, '{"msg":"m"}\n')
    assert.deepEqual([result.code, result.stdout, result.stderr.split('\n')[0]], [2, '', "threadlog: option '--format' needs a template"], next)
  }
})

test('--format=<template> may start with a dash', async () => {
  const result = await runCli(['--format=-- {msg}'], { NO_COLOR: '1' }, '{"msg":"m"}\n')
  assert.deepEqual(result, { code: 0, stdout: '-- m\n', stderr: '' })
})

test('records print the same without a filter (most unparsed) as with one that selects them all (all parsed)', async () => {
  const records = [
    '{"level":30,"time":1700000001234,"pid":4242,"hostname":"h","ppid":1,"proc":"api","tid":3,"thread":"resize","seq":7,"reqId":"7f3a","user":42,"msg":"done"}',
    '{"level":40,"time":1700000001300,"pid":4300,"proc":"api","worker":2,"tid":0,"thread":"main","ms":812.5,"sql":"select 1","empty":"","msg":"slow"}',
    '{"level":50,"time":1700000001400,"pid":4242,"tid":3,"thread":"resize","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at f"},"msg":"nested, parsed"}',
    '{"level":30,"time":1700000001500,"pid":4242,"tid":3,"thread":"resize","msg":"caf\u00e9 \\u202e, parsed","n":1e21}',
    'plain text',
    '{"level":35,"name":"api","proc":"api","pid":1,"tid":1,"msg":"custom level, name hidden"}'
  ]
  const input = records.join('\n') + '\n'
  for (const colorEnv of [{ NO_COLOR: '1' }, { FORCE_COLOR: '3' }]) {
    const unfiltered = await runCli([], colorEnv, input)
    assert.deepEqual(unfiltered, await runCli(['--level', '0'], colorEnv, input), JSON.stringify(colorEnv))
    assert.equal(unfiltered.stdout.split('\n').length, 9) // 6 lines, 2 stack lines, the end
  }
})
