// The threadlog demo: a main thread hands image jobs to three named worker threads, and the jobs they
// finish to an archiver, a child process. Every job runs inside withContext({ reqId, user }); the
// context is captured in main and restored in the worker and in the archiver, so each line says which
// process and thread wrote it and which request it belongs to — one stream, from both processes.
//
//   npm run demo            (colored on a terminal; NDJSON when piped: npm run demo | cat)
//   npm run demo -- --serve (runs on at info, a job every 250 ms, until Ctrl-C: try threadlog ps and
//                            threadlog attach demo --set 'thread:resize=debug' in another terminal)
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { Worker, isMainThread, parentPort } from 'node:worker_threads'
import { captureContext, createLogger, withContext } from '../src/index.ts'

interface Job { id: number, file: string, context: Record<string, unknown> }
interface Done extends Job { ok: boolean }

const isArchiver = process.env.DEMO_ROLE === 'archiver'
// Workers and the archiver inherit the environment: they serve too.
if (process.argv.includes('--serve')) process.env.DEMO_SERVE = '1'
const serving = process.env.DEMO_SERVE === '1'
// The archiver is another process: its logger relays to the demo's hub (THREADLOG_HUB), nothing to set up.
const log = createLogger({ name: isArchiver ? 'archiver' : 'demo', level: serving ? 'info' : 'debug' })

async function work (job: Job): Promise<void> {
  await withContext(job.context, async () => {
    log.debug({ file: job.file }, 'job started')
    const ms = 5 + (job.id * 7) % 20
    await sleep(ms)
    if (job.file.endsWith('.bmp')) log.warn({ file: job.file }, 'legacy format, converting first')
    const ok = job.id !== 7
    if (ok) log.info({ file: job.file, ms }, 'job done')
    else log.error(new Error(`cannot decode ${job.file}: truncated header`), 'job failed')
    parentPort?.postMessage({ ...job, ok } satisfies Done)
  })
}

function archive (job: Job): void {
  withContext(job.context, () => log.info({ file: job.file, bucket: 'images-2026' }, 'archived'))
}

async function main (): Promise<void> {
  const names = ['resize', 'thumbnail', 'upload']
  const workers = names.map((name) => new Worker(new URL(import.meta.url), { name }))
  const archiver = fork(new URL(import.meta.url), { env: { ...process.env, DEMO_ROLE: 'archiver' } })
  const files = ['cat.png', 'dog.jpg', 'scan.bmp', 'logo.svg', 'beach.jpg', 'receipt.bmp', 'map.png', 'corrupt.jpg', 'team.png']
  log.info({ workers: names.length, jobs: files.length }, 'demo started')
  let pending = files.length
  const allDone = new Promise<void>((resolve) => {
    for (const worker of workers) {
      worker.on('message', (done: Done) => {
        if (done.ok) archiver.send(done)
        if (--pending === 0) resolve()
      })
    }
  })
  const dispatch = (id: number) => {
    const file = files[id % files.length] as string
    withContext({ reqId: `req-${(0x3a7f + id * 0x1b3).toString(16)}`, user: 40 + (id % 3) }, () => {
      const worker = workers[id % workers.length] as Worker
      log.info({ job: id, file, to: names[id % names.length] }, 'dispatching job')
      worker.postMessage({ id, file, context: captureContext() } satisfies Job)
    })
  }
  if (serving) {
    let id = 0
    setInterval(() => dispatch(id++), 250)
    return
  }
  files.forEach((_, id) => dispatch(id))
  await allDone
  // Workers and the archiver leave on their own (exit code 0); the hub logs each exit.
  for (const worker of workers) worker.postMessage('stop')
  archiver.disconnect()
  await Promise.all([...workers.map(async (worker) => await once(worker, 'exit')), once(archiver, 'exit')])
  log.info('all jobs processed')
}

if (isArchiver) {
  process.on('message', archive)
} else if (isMainThread) {
  await main()
} else {
  parentPort?.on('message', (message: Job | 'stop') => {
    if (message === 'stop') parentPort?.close()
    else void work(message)
  })
}
