import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { FrameDecoder, FrameType, encodeFrame } from '../../src/tree/frames.ts'
import { fixturePath, runFixture } from '../helpers/run-fixture.ts'
import { minimalEnv } from '../helpers/run-process.ts'

/** Starts the fixture with its own XDG_RUNTIME_DIR; resolves once it said `ready`, with its stderr so far. */
async function startRoot (t: TestContext, runtime: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [fixturePath('live-registered.ts')], { env: minimalEnv({ XDG_RUNTIME_DIR: runtime, ...env }), stdio: 'pipe' })
  t.after(() => child.kill('SIGKILL'))
  child.stdout.resume()
  let stderr = ''
  // The fixture writes `ready` on stderr (stdout is its target's), after any note of threadlog's.
  await new Promise<void>((resolve) => child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    if (stderr.endsWith('ready\n')) resolve()
  }))
  return { pid: child.pid as number, stderr: () => stderr, stop: async () => { child.stdin.end(); await once(child, 'close') } }
}

function runtimeDir (t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'threadlog-live-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function askStatus (path: string): Promise<Record<string, unknown>> {
  const socket = connect(path)
  const decoder = new FrameDecoder()
  socket.write(encodeFrame(FrameType.STATUS, JSON.stringify({ id: 7 })))
  for await (const chunk of socket as AsyncIterable<Buffer>) {
    for (const frame of decoder.push(chunk)) {
      socket.destroy()
      assert.equal(frame.type, FrameType.STATUS_REPORT)
      return JSON.parse(frame.payload.toString()) as Record<string, unknown>
    }
  }
  throw new Error('no answer')
}

test('a root registers an entry and answers STATUS on its socket; exiting removes both', async (t) => {
  const runtime = runtimeDir(t)
  const root = await startRoot(t, runtime)
  const entry = JSON.parse(readFileSync(join(runtime, 'threadlog', `${root.pid}.json`), 'utf8')) as Record<string, unknown>
  assert.deepEqual({ pid: entry.pid, proc: entry.proc, socket: entry.socket }, { pid: root.pid, proc: 'registered', socket: join(runtime, 'threadlog', `${root.pid}.sock`) })
  const status = await askStatus(entry.socket as string)
  assert.deepEqual({ pid: status.pid, processes: status.processes, threads: status.threads, dropped: status.dropped, lost: status.lost },
    { pid: root.pid, processes: 1, threads: 1, dropped: 0, lost: 0 })
  await root.stop()
  assert.equal(existsSync(join(runtime, 'threadlog', `${root.pid}.json`)), false)
  assert.equal(existsSync(join(runtime, 'threadlog', `${root.pid}.sock`)), false)
})

for (const [name, env] of [['registry: false', { REGISTRY: 'off' }], ['THREADLOG_REGISTRY=0', { THREADLOG_REGISTRY: '0' }]] as const) {
  test(`${name} registers nothing`, async (t) => {
    const runtime = runtimeDir(t)
    const root = await startRoot(t, runtime, env)
    assert.equal(existsSync(join(runtime, 'threadlog', `${root.pid}.json`)), false)
    await root.stop()
  })
}

test('a registry directory others could enter is refused: the root says so and runs unlisted', async (t) => {
  const runtime = runtimeDir(t)
  mkdirSync(join(runtime, 'threadlog'))
  chmodSync(join(runtime, 'threadlog'), 0o755)
  const root = await startRoot(t, runtime)
  assert.equal(existsSync(join(runtime, 'threadlog', `${root.pid}.json`)), false)
  assert.match(root.stderr(), /not registering for threadlog ps\/attach: .* has mode 755, not 700/)
  await root.stop()
})

test('a registered hub whose target takes longer than a second to open keeps running, and writes the record', { timeout: 30_000 }, async (t) => {
  const runtime = runtimeDir(t)
  const out = join(runtime, 'out.ndjson')
  const { code, stdout, stderr } = await runFixture('live-slow-target.ts', [], { XDG_RUNTIME_DIR: runtime, OUT: out })
  assert.deepEqual({ code, stdout, stderr }, { code: 0, stdout: 'written 1\n', stderr: '' })
  assert.deepEqual(readFileSync(out, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg), ['hello'])
})
