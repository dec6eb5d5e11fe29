import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { BIN, cliEnv } from '../helpers/run-cli.ts'
import { tempFile } from '../helpers/temp-file.ts'

const record = (tid: number, msg: string): string => `{"tid":${tid},"msg":"${msg}"}\n`

/** A running `threadlog --follow`: its output so far, and a way to wait until some text has arrived. */
function follow (path: string, args: string[], signal: AbortSignal) {
  const child = spawn(process.execPath, [BIN, '--follow', ...args, path], { env: cliEnv({ NO_COLOR: '1' }), stdio: 'pipe', signal })
  child.on('error', () => {}) // the abort at the end kills it
  let stdout = ''
  let waiter: { text: string, resolve: () => void } | undefined
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (waiter !== undefined && stdout.includes(waiter.text)) waiter.resolve()
  })
  return {
    get stdout () { return stdout },
    /** Resolves once the output contains `text`; the test's timeout bounds the wait. */
    until: async (text: string) => {
      if (stdout.includes(text)) return
      await new Promise<void>((resolve) => { waiter = { text, resolve } })
    },
    stop: async () => {
      child.kill('SIGTERM')
      await once(child, 'close')
    }
  }
}

function freshDir (): string {
  const dir = tempFile('follow')
  mkdirSync(dir)
  return dir
}

test('--follow prints the file, then what is appended, selecting as usual', { timeout: 20_000 }, async (t) => {
  const path = join(freshDir(), 'app.log')
  writeFileSync(path, record(3, 'one') + record(4, 'skip'))
  const tail = follow(path, ['--thread', '3', '-o', 'ndjson'], t.signal)
  await tail.until('one')
  appendFileSync(path, record(4, 'skip again') + record(3, 'two'))
  await tail.until('two')
  await tail.stop()
  assert.equal(tail.stdout, record(3, 'one') + record(3, 'two'))
})

test('--follow survives rotation: the old file is read to its end, then the new one from its start', { timeout: 20_000 }, async (t) => {
  const dir = freshDir()
  const path = join(dir, 'app.log')
  writeFileSync(path, record(3, 'old-1'))
  const tail = follow(path, ['-o', 'ndjson'], t.signal)
  await tail.until('old-1')
  renameSync(path, join(dir, 'app.log.1'))
  appendFileSync(join(dir, 'app.log.1'), record(3, 'old-2'))
  await tail.until('old-2')
  writeFileSync(path, record(3, 'new-1'))
  await tail.until('new-1')
  appendFileSync(path, record(3, 'new-2'))
  await tail.until('new-2')
  await tail.stop()
  assert.equal(tail.stdout, record(3, 'old-1') + record(3, 'old-2') + record(3, 'new-1') + record(3, 'new-2'))
})

test('--follow survives removal and re-creation of the file', { timeout: 20_000 }, async (t) => {
  const path = join(freshDir(), 'app.log')
  writeFileSync(path, record(3, 'first'))
  const tail = follow(path, ['-o', 'ndjson'], t.signal)
  await tail.until('first')
  rmSync(path)
  writeFileSync(path, record(3, 'second'))
  await tail.until('second')
  await tail.stop()
  assert.equal(tail.stdout, record(3, 'first') + record(3, 'second'))
})

test('--follow survives truncation: it reads the file again from its start', { timeout: 20_000 }, async (t) => {
  const path = join(freshDir(), 'app.log')
  writeFileSync(path, record(3, 'a long first record before the truncation'))
  const tail = follow(path, [], t.signal)
  await tail.until('truncation')
  writeFileSync(path, record(3, 'short'))
  await tail.until('short')
  appendFileSync(path, record(3, 'more'))
  await tail.until('more')
  await tail.stop()
  assert.equal(tail.stdout, 't[3] a long first record before the truncation\nt[3] short\nt[3] more\n')
})

test('--follow waits for a file that does not exist yet', { timeout: 20_000 }, async (t) => {
  const path = join(freshDir(), 'later.log')
  const tail = follow(path, ['-o', 'ndjson'], t.signal)
  // No output to wait on before the file exists: the CLI may open it at start-up or on the event.
  writeFileSync(path, record(3, 'arrived'))
  await tail.until('arrived')
  await tail.stop()
  assert.equal(tail.stdout, record(3, 'arrived'))
})
