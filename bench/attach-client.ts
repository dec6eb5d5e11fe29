// A real `threadlog attach` process reading along with a bench's service: started from the sources,
// its stdout written straight to a file (no pipe through the bench, whose own CPU would count), its
// stderr read for what it says (attached, missed N records).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { checkRecords } from './check-records.ts'

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const CPU_REPORT = fileURLToPath(new URL('./cpu-report.ts', import.meta.url))
/** The CLI attaches within this (it loads from .ts sources), and ends within this once the service has. */
const DEADLINE_MS = 30_000

/** What the client got of the workload: records of the thread it selected, and what the hub said it missed. */
export interface ClientRun {
  /** Records of the workload in its output, each once, whole. */
  received: number
  /** Lines in its output that are not such records: corrupt, duplicated, or of a thread it did not select. */
  stray: number
  /** The sum of its `missed N records` lines: records of any thread the hub could not hand it. */
  missed: number
  /** CPU time from the service's `go` to the client's exit. */
  cpuMs: number
  /** The service ended while the hub still held records for it (no ENDED reached it): those are lost to it. */
  endLost: boolean
}

/** A started client: {@link AttachedClient.finished} once the service has ended. */
export interface AttachedClient {
  readonly finished: () => Promise<ClientRun>
}

function deadline<T> (promise: Promise<T>, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout()
      reject(new Error(`threadlog attach ${what} within ${DEADLINE_MS} ms`))
    }, DEADLINE_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Starts `threadlog attach <pid> <args…>` in `env` (the service's registry) and resolves once it
 * said it is attached; its CPU counts from then on. `files`: where its output and CPU report go.
 */
export async function attachClient (pid: number, args: readonly string[], env: NodeJS.ProcessEnv,
  files: { output: string, cpuReport: string }, workload: { workers: number, perWorker: number }): Promise<AttachedClient> {
  const output = openSync(files.output, 'w')
  const child = spawn(process.execPath, ['--import', CPU_REPORT, CLI, 'attach', String(pid), ...args], {
    env: { ...env, CPU_REPORT: files.cpuReport, NO_COLOR: '1' },
    stdio: ['ignore', output, 'pipe']
  })
  closeSync(output)
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
  let stderr = ''
  const attached = new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      if (stderr.includes('threadlog: attached to ')) resolve()
    })
    void closed.then(() => reject(new Error(`threadlog attach ended before it attached:\n${stderr}`)))
  })
  await deadline(attached, 'did not attach', () => child.kill('SIGKILL'))
  child.kill('SIGUSR2')
  return {
    finished: async () => {
      const [code, signal] = await deadline(closed, 'did not end', () => child.kill('SIGKILL'))
      if (code !== 0) throw new Error(`threadlog attach failed (exit ${code ?? signal}):\n${stderr}`)
      const { cpuMs, fromSignal } = JSON.parse(readFileSync(files.cpuReport, 'utf8')) as { cpuMs: number, fromSignal: boolean }
      if (!fromSignal) throw new Error('threadlog attach ended before it took SIGUSR2: its CPU would include its start-up')
      const arrival = checkRecords(files.output, workload.workers, workload.perWorker)
      const received = workload.workers * workload.perWorker - arrival.lost
      const missed = [...stderr.matchAll(/threadlog: missed (\d+) records/g)].reduce((sum, match) => sum + Number(match[1]), 0)
      return { received, stray: arrival.lines - received, missed, cpuMs, endLost: stderr.includes('ended without saying it had sent everything') }
    }
  }
}
