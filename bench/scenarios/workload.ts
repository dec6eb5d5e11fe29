// The workload every "N worker threads → one destination" contender runs, so that they differ only
// in how records leave the threads: the configuration, the record, and the start gate.
import { writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

/** Given by hub.bench.ts in the SCENARIO environment variable (and to workers as workerData). */
export interface ThreadsConfig {
  /** A file path, or 1 for stdout (a pipe the bench reads). */
  destination: string | 1
  workers: number
  perWorker: number
  /** Padding of each record: its length varies between padMin and padMax bytes. */
  padMin: number
  padMax: number
  /** Where the main thread writes `{ start, cpuMs }` on exit: when logging began (process.hrtime, ns), CPU since. */
  report: string
  /**
   * The main thread says `ready` on stdout once every worker is ready and waits for `go` on stdin
   * before it lets them log: the bench does what must happen before the clock starts (live.bench.ts
   * attaches a client). Only with a file destination, since stdout then carries nothing else.
   */
  gated?: boolean
}

export interface WorkerData extends ThreadsConfig {
  /** Which worker this is: records carry it as `w`, so the bench can tell what was lost. */
  w: number
}

export const config = (isMainThread ? JSON.parse(process.env.SCENARIO ?? '{}') : workerData) as WorkerData

const padding = 'x'.repeat(config.padMax)

/** The fields of record n: about 100 bytes of its own before padding (pino adds level, time, pid…). */
export function fieldsOf (n: number): Record<string, unknown> {
  const fields: Record<string, unknown> = { n, w: config.w, user: 42, method: 'GET', path: `/api/items/${n}`, status: 200 }
  if (config.padMax > 0) fields.pad = padding.slice(0, config.padMin + ((n * 7919) % (config.padMax - config.padMin + 1)))
  return fields
}

/** Logs this worker's records: the loop every contender shares. */
export function logAll (info: (fields: object, msg: string) => void): void {
  for (let n = 1; n <= config.perWorker; n++) info(fieldsOf(n), 'request handled')
}

/**
 * Main thread: starts the workers, waits until every one has its logger ready (and, `gated`, for the
 * bench's `go`), notes the start time and CPU usage, and lets them go. Resolves when all have exited.
 * `onMessage` sees every other message.
 */
export async function runWorkers (entry: URL, onMessage: (message: unknown) => void = () => {}): Promise<void> {
  const workers = Array.from({ length: config.workers }, (_, w) =>
    new Worker(entry, { name: `w${w}`, workerData: { ...config, w } satisfies WorkerData }))
  const exited = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)))
  await Promise.all(workers.map((worker) => new Promise<void>((resolve) => {
    worker.on('message', (message) => { if (message === 'ready') resolve(); else onMessage(message) })
  })))
  if (config.gated === true) await waitForGo()
  const start = Number(process.hrtime.bigint())
  const cpuAtStart = process.cpuUsage()
  // CPU time of every thread of the process from here on, once everything is written: it does not
  // depend on how much of a busy machine the contender's threads got. (The loggers' own exit
  // handlers were registered earlier, so they have run by then.)
  process.on('exit', () => {
    const { user, system } = process.cpuUsage(cpuAtStart)
    writeFileSync(config.report, JSON.stringify({ start, cpuMs: (user + system) / 1000 }))
  })
  for (const worker of workers) worker.postMessage('go')
  await Promise.all(exited)
}

/** Says `ready` on stdout and resolves at the first line on stdin (run-scenario.ts sends `go`). */
async function waitForGo (): Promise<void> {
  process.stdout.write('ready\n')
  for await (const _line of createInterface({ input: process.stdin })) break
}

/** Worker: says its logger is ready, and resolves when the main thread says go. */
export function readyToGo (): Promise<void> {
  return new Promise((resolve) => {
    parentPort?.once('message', () => resolve())
    parentPort?.postMessage('ready')
  })
}
