import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import type { Readable } from 'node:stream'
import { test } from 'node:test'
import { assertWholeAndOrdered, readRecords } from '../helpers/read-records.ts'
import { fixturePath } from '../helpers/run-fixture.ts'
import { minimalEnv } from '../helpers/run-process.ts'
import { tempFile } from '../helpers/temp-file.ts'

/**
 * Runs the fixture under a shell, sends `signal` to it as soon as it has printed its pid (its burst
 * logged), and returns the status the shell saw and what the program wrote on stderr.
 */
async function signalAfterBurst (file: string, signal: NodeJS.Signals, abort: AbortSignal): Promise<{ shell: string, stderr: string }> {
  // The program's stderr goes to fd 3, from a subshell that runs it: no notice of the shell's own
  // ("Terminated") mixes with it. $? is what a shell sees of a process killed by a signal: 128 + its number.
  const child = spawn('sh', ['-c', '("$0" "$1" "$2" 2>&3); echo "status $?"', process.execPath, fixturePath('faults/signal-burst.ts'), file],
    { env: minimalEnv(), signal: abort, stdio: ['ignore', 'pipe', 'ignore', 'pipe'] })
  child.on('error', () => {}) // an abort kills the shell: 'close' still follows
  let stdout = ''
  let stderr = ''
  let signalled = false
  const [, out, , programStderr] = child.stdio as unknown as [null, Readable, null, Readable]
  out.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (signalled || !stdout.includes('\n')) return
    signalled = true
    process.kill(Number(stdout.split('\n')[0]), signal)
  })
  programStderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  await once(child, 'close')
  return { shell: stdout.split('\n').slice(1).join('\n'), stderr }
}

for (const [signal, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`${signal} right after a burst: every record logged before it is written, then the process dies of it (status ${status})`, { timeout: 60_000 }, async (t) => {
    const file = tempFile()
    const { shell, stderr } = await signalAfterBurst(file, signal, t.signal)
    assert.equal(shell, `status ${status}\n`)
    assert.equal(stderr, '')
    assert.deepEqual(Object.fromEntries(assertWholeAndOrdered(readRecords(file))), { main: 20_000, w0: 20_000, w1: 20_000, w2: 20_000 })
  })
}
