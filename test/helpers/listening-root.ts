import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import type { TestContext } from 'node:test'
import { FrameDecoder, FrameType, PROTOCOL_VERSION, encodeFrame } from '../../src/tree/frames.ts'
import { readRecords, type LogRecord } from './read-records.ts'
import { fixturePath } from './run-fixture.ts'
import { minimalEnv } from './run-process.ts'
import { tempFile } from './temp-file.ts'

export interface ListeningRoot {
  /** The socket the root's hub listens on (its THREADLOG_HUB). */
  readonly path: string
  readonly pid: number
  /** Resolves once the root has written `text` to its stderr (it reports there what it refuses). */
  readonly stderrIncludes: (text: string) => Promise<void>
  /** Closes the root's stdin, which ends it; resolves with what it wrote. */
  readonly finish: () => Promise<{ code: number | null, stderr: string, records: LogRecord[] }>
}

/**
 * Starts test/fixtures/listening-root.ts and resolves once its hub takes connections. A test that
 * fails before `finish()` must not leave the root running (the test file would never end): it is
 * killed after the test.
 */
export async function startListeningRoot (t: TestContext, env: NodeJS.ProcessEnv = {}): Promise<ListeningRoot> {
  const out = tempFile()
  const root = spawn(process.execPath, [fixturePath('listening-root.ts')], {
    env: minimalEnv({ ...env, OUT: out }), stdio: 'pipe'
  })
  t.after(() => { if (root.exitCode === null && root.signalCode === null) root.kill() })
  let stderr = ''
  root.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const stderrIncludes = async (text: string) => {
    while (!stderr.includes(text)) {
      const [event] = await Promise.race([once(root.stderr, 'data').then(() => ['data']), once(root.stderr, 'end').then(() => ['end'])])
      if (event === 'end' && !stderr.includes(text)) throw new Error(`the root ended without writing ${JSON.stringify(text)}:\n${stderr}`)
    }
  }
  const [path] = await once(createInterface({ input: root.stdout }), 'line') as [string]
  return {
    path,
    pid: root.pid as number,
    stderrIncludes,
    finish: async () => {
      root.stdin.end()
      const [code] = await once(root, 'close') as [number | null]
      return { code, stderr, records: readRecords(out) }
    }
  }
}

/** A hand-driven child hub: speaks the relay protocol frame by frame. */
export class Peer {
  readonly socket: Socket
  readonly #answers = new Map<number, () => void>()
  readonly closed: Promise<unknown>
  /** Why the root refused this peer, when it said so before closing. */
  refusal: string | undefined

  constructor (path: string) {
    this.socket = connect(path)
    this.closed = once(this.socket, 'close')
    this.socket.on('error', () => {})
    const decoder = new FrameDecoder()
    this.socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.type === FrameType.REFUSED) {
          this.refusal = frame.payload.toString('utf8')
          continue
        }
        const { id } = JSON.parse(frame.payload.toString('utf8')) as { id: number }
        this.#answers.get(id)?.()
      }
    })
  }

  hello (pid: number): void {
    this.socket.write(encodeFrame(FrameType.HELLO, JSON.stringify({ v: PROTOCOL_VERSION, pid, ppid: process.pid, proc: 'peer' })))
  }

  records (lines: readonly string[]): void {
    this.socket.write(encodeFrame(FrameType.RECORDS, lines.join('')))
  }

  /** Sends EXIT and resolves when the root has written everything sent before it. */
  async exit (id: number, exitCode: number): Promise<void> {
    const answered = new Promise<void>((resolve) => this.#answers.set(id, resolve))
    this.socket.write(encodeFrame(FrameType.EXIT, JSON.stringify({ id, exitCode })))
    await answered
  }
}
