// A running service (test/fixtures/live-service.ts) in its own registry, and the CLI's live commands against it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { FrameDecoder, FrameType, encodeFrame, type Frame } from '../../src/tree/frames.ts'
import { fixturePath } from './run-fixture.ts'
import { BIN } from './run-cli.ts'
import { minimalEnv, runProcess } from './run-process.ts'

/** A registry of the test's own: XDG_RUNTIME_DIR for the service and for every CLI run against it. */
export function liveEnv (t: TestContext, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const runtime = mkdtempSync(join(tmpdir(), 'threadlog-live-'))
  t.after(() => rmSync(runtime, { recursive: true, force: true }))
  return minimalEnv({ XDG_RUNTIME_DIR: runtime, TZ: 'UTC', NO_COLOR: '1', ...extra })
}

/** Collects a child's stderr, and resolves `waitFor(text)` once the text has appeared in it. */
function watchStderr (child: ChildProcessWithoutNullStreams): { text: () => string, waitFor: (text: string) => Promise<void> } {
  let text = ''
  const waiters: Array<{ text: string, resolve: () => void }> = []
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk
    for (const waiter of waiters.filter((w) => text.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  return {
    text: () => text,
    waitFor: async (wanted) => {
      if (text.includes(wanted)) return
      await new Promise<void>((resolve) => waiters.push({ text: wanted, resolve }))
    }
  }
}

export interface Service {
  readonly pid: number
  readonly stderr: () => string
  /** Resolves once the service wrote `text` on stderr (after what it wrote before). */
  readonly waitFor: (text: string) => Promise<void>
  /** `n` info records from the main thread; resolves once they are written. */
  readonly burst: (n: number) => Promise<void>
  readonly stop: () => Promise<void>
}

/** Starts the service in `env`'s registry; resolves once it is ready (its hub registered). */
export async function startService (t: TestContext, env: NodeJS.ProcessEnv): Promise<Service> {
  // Its own process group: a failed test kills the service's child process with it.
  const child = spawn(process.execPath, [fixturePath('live-service.ts')], { env, stdio: 'pipe', detached: true })
  t.after(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL')
    } catch {
      // Gone already.
    }
  })
  if (env.OUT === undefined) child.stdout.resume()
  const stderr = watchStderr(child)
  await stderr.waitFor('ready\n')
  let bursts = 0
  return {
    pid: child.pid as number,
    stderr: stderr.text,
    waitFor: stderr.waitFor,
    burst: async (n) => {
      child.stdin.write(`burst ${n}\n`)
      bursts++
      const done = bursts
      // Each burst says `burst done` once: wait for as many as were asked.
      while (stderr.text().split('burst done\n').length - 1 < done) await once(child.stderr, 'data')
    },
    stop: async () => {
      child.stdin.end()
      if (child.exitCode === null) await once(child, 'close')
    }
  }
}

/** A running `threadlog <args>`, its stdout read as NDJSON records as they come. */
export interface LiveCli {
  readonly child: ChildProcessWithoutNullStreams
  readonly records: Array<Record<string, unknown>>
  readonly stdout: () => string
  readonly stderr: () => string
  readonly waitForStderr: (text: string) => Promise<void>
  /** Resolves once a record for which `test` holds has arrived; returns it. */
  readonly waitForRecord: (test: (record: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>
  /** Resolves with the exit code once the CLI has ended. */
  readonly closed: Promise<number | null>
}

export function startCli (t: TestContext, args: string[], env: NodeJS.ProcessEnv): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'pipe' })
  t.after(() => child.kill('SIGKILL'))
  const closed = once(child, 'close').then(([code]) => code as number | null)
  const records: Array<Record<string, unknown>> = []
  let stdout = ''
  let partial = ''
  const waiters: Array<{ test: (record: Record<string, unknown>) => boolean, resolve: (record: Record<string, unknown>) => void }> = []
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() as string
    for (const line of lines) {
      if (!line.startsWith('{')) continue
      const record = JSON.parse(line) as Record<string, unknown>
      records.push(record)
      for (const waiter of waiters.filter((w) => w.test(record))) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(record)
      }
    }
  })
  const stderr = watchStderr(child)
  return {
    child,
    records,
    stdout: () => stdout,
    stderr: stderr.text,
    waitForStderr: stderr.waitFor,
    waitForRecord: async (test) => {
      const found = records.find(test)
      if (found !== undefined) return found
      return await new Promise((resolve, reject) => {
        waiters.push({ test, resolve })
        void closed.then(() => reject(new Error(`the CLI ended first; stderr: ${stderr.text()}`)))
      })
    },
    closed
  }
}

/** Runs `threadlog <args>` to its end. */
export async function runLiveCli (args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return await runProcess(process.execPath, [BIN, ...args], { env })
}

/** `threadlog ps --json`, parsed. */
export async function ps (env: NodeJS.ProcessEnv): Promise<Array<Record<string, unknown>>> {
  const { code, stdout, stderr } = await runLiveCli(['ps', '--json'], env)
  if (code !== 0) throw new Error(`threadlog ps exited with ${code}: ${stderr}`)
  return JSON.parse(stdout) as Array<Record<string, unknown>>
}

/** The service's attach socket in `env`'s registry. */
export function socketOf (env: NodeJS.ProcessEnv, pid: number): string {
  return join(env.XDG_RUNTIME_DIR as string, 'threadlog', `${pid}.sock`)
}

/** A raw client of the attach socket, for what the CLI never sends. */
export class RawClient {
  readonly socket: Socket
  readonly #decoder = new FrameDecoder()
  readonly #frames: Frame[] = []
  #wake: (() => void) | undefined
  readonly closed: Promise<void>

  constructor (path: string) {
    this.socket = connect(path)
    this.socket.on('error', () => {})
    this.closed = once(this.socket, 'close').then(() => { this.#wake?.() })
    this.socket.on('data', (chunk: Buffer) => {
      this.#frames.push(...this.#decoder.push(chunk))
      this.#wake?.()
    })
  }

  send (type: FrameType, payload: unknown): void {
    this.socket.write(encodeFrame(type, typeof payload === 'string' ? payload : JSON.stringify(payload)))
  }

  /** The next frame, or undefined once the hub closed the connection. */
  async next (): Promise<Frame | undefined> {
    while (this.#frames.length === 0) {
      if (this.socket.destroyed) return undefined
      await new Promise<void>((resolve) => { this.#wake = resolve })
    }
    return this.#frames.shift()
  }
}

/** Asks the service's STATUS until `test` holds of it (the hub answers each at once); returns it. */
export async function waitForStatus (path: string, test: (status: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const client = new RawClient(path)
  try {
    for (let id = 1; ; id++) {
      client.send(FrameType.STATUS, { id })
      const frame = await client.next()
      if (frame === undefined) throw new Error('the hub closed the connection')
      const status = JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>
      if (test(status)) return status
    }
  } finally {
    client.socket.destroy()
  }
}
