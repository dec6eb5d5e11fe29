// A queue pipeline: numbers 1..999 go through a job queue to 8 primality testers — 4 worker threads
// and 4 child processes — whose results go through a result queue to 4 consumer threads that log
// `>> result`. Each job runs inside withContext({ job }), and its context travels with it across
// both queues, so every line says which process and thread wrote it, which job it belongs to, and
// (for a result) which tester produced it.
//
//   npm run example:pipeline                 (colored on a terminal; NDJSON when piped)
//   LOG_LEVEL=debug npm run example:pipeline (also each tester's own line per job)
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { Worker, isMainThread, parentPort, threadId, threadName, workerData } from 'node:worker_threads'
import { captureContext, createLogger, withContext, type ContextFields } from '../src/index.ts'

const NUMBERS = 999
const TESTERS = 4 // of each kind: threads and processes
const CONSUMERS = 4

interface Job { n: number, context: ContextFields }
interface Result extends Job { prime: boolean, producedBy: string }
type Role = { kind: 'tester' | 'consumer', name: string }

/** A line in the spirit of the formatter this example comes from: who wrote it, from where, what happened. */
const FORMAT = '{time} p[{proc}:{pid}] t[{thread}:{tid}] | {caller} [{level}] : {msg} {fields}'

const role = (isMainThread ? JSON.parse(process.env.PIPELINE_ROLE ?? 'null') ?? undefined : workerData) as Role | undefined
const log = createLogger({
  name: role?.kind === 'tester' && isMainThread ? role.name : 'pipeline',
  level: process.env.LOG_LEVEL ?? 'info',
  caller: true,
  // The root process configures the one hub of the tree (child processes relay to it, whatever they pass).
  ...(role === undefined ? { targets: [process.stdout.isTTY ? { target: 'pretty', options: { format: FORMAT } } : { target: 'ndjson' }] } : {})
})

function isPrime (n: number): boolean {
  if (n < 2) return false
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false
  return true
}

/** A tester: takes a job, answers with its result and who produced it. */
function test (job: Job): Result {
  return withContext(job.context, () => {
    const prime = isPrime(job.n)
    log.debug({ n: job.n, prime }, 'tested')
    // The producer's tag, as its own lines show it: p[process:pid] t[thread:tid].
    const producedBy = `p[${isMainThread ? role?.name : 'pipeline'}:${process.pid}] t[${threadName || 'main'}:${threadId}]`
    return { ...job, prime, producedBy }
  })
}

/** A consumer: logs a result inside the job's context, under its own identity. */
function consume (result: Result): void {
  withContext(result.context, () => {
    log.info({ n: result.n, prime: result.prime, producedBy: result.producedBy }, '>> result')
  })
}

/** One end of a queue: a worker thread or a child process, seen through the same two calls. */
interface Endpoint { send: (message: unknown) => void, on: (listener: (message: unknown) => void) => void, done: Promise<unknown> }

function threadEndpoint (worker: Worker): Endpoint {
  return { send: (m) => worker.postMessage(m), on: (l) => worker.on('message', l), done: once(worker, 'exit') }
}

function processEndpoint (child: ChildProcess): Endpoint {
  return { send: (m) => child.send(m as object), on: (l) => child.on('message', l), done: once(child, 'exit') }
}

async function runPipeline (): Promise<void> {
  const self = new URL(import.meta.url)
  const testers = [
    ...Array.from({ length: TESTERS }, (_, i) => threadEndpoint(new Worker(self, { name: `tester-${i + 1}`, workerData: { kind: 'tester', name: `tester-${i + 1}` } }))),
    ...Array.from({ length: TESTERS }, (_, i) => processEndpoint(fork(self, { env: { ...process.env, PIPELINE_ROLE: JSON.stringify({ kind: 'tester', name: `tester-p${i + 1}` }) } })))
  ]
  const consumers = Array.from({ length: CONSUMERS }, (_, i) =>
    threadEndpoint(new Worker(self, { name: `consumer-${i + 1}`, workerData: { kind: 'consumer', name: `consumer-${i + 1}` } })))
  const jobs: Job[] = Array.from({ length: NUMBERS }, (_, i) => withContext({ job: i + 1 }, () => ({ n: i + 1, context: captureContext() })))
  log.info({ jobs: jobs.length, testers: testers.length, consumers: consumers.length }, 'pipeline started')
  let next = 0
  let results = 0
  let ready = 0
  const dispatch = (tester: Endpoint) => tester.send(next < jobs.length ? jobs[next++] : 'stop')
  const finished = new Promise<void>((resolve) => {
    for (const tester of testers) {
      // Pull-based: a tester asks for its next job by answering the last one (null: it is ready).
      tester.on((result) => {
        if (result === null) {
          // Threads start faster than processes: deal the first jobs once every tester is ready.
          if (++ready === testers.length) testers.forEach(dispatch)
          return
        }
        consumers[results++ % CONSUMERS]?.send(result)
        dispatch(tester)
        if (results === jobs.length) resolve()
      })
    }
  })
  await finished
  for (const consumer of consumers) consumer.send('stop')
  await Promise.all([...testers, ...consumers].map(async (endpoint) => await endpoint.done))
  log.info({ results }, 'pipeline finished')
}

/** The loop of a tester or consumer, wherever it runs: `send` answers, 'stop' ends. */
function serve (on: Endpoint['on'], send: (message: unknown) => void, stop: () => void): void {
  on((message) => {
    if (message === 'stop') stop()
    else if (role?.kind === 'tester') send(test(message as Job))
    else consume(message as Result)
  })
  if (role?.kind === 'tester') send(null)
}

if (role === undefined) {
  await runPipeline()
} else if (isMainThread) {
  serve((listener) => process.on('message', listener), (message) => process.send?.(message as object), () => process.disconnect())
} else {
  serve((listener) => parentPort?.on('message', listener), (message) => parentPort?.postMessage(message), () => parentPort?.close())
}
