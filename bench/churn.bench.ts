// Worker churn: 1000 short-lived workers, 10 at a time, each logging 100 records through threadlog
// into a file, against the same churn of empty workers, in one run (each in a process of its own).
// Prints, every 100 workers, the time those 100 took and the RSS after a GC; then the RSS growth
// after the warm-up (the first 100 workers), the OS threads before and after the churn, the rings
// the hub still drains, and how many records reached the file.
//
//   node bench/churn.bench.ts [workers] [--dist]     (--dist: the built package, after npm run build,
//                                                     so that workers do not pay for type stripping)
// Goal (the churn issue): all records delivered; RSS growth ≤ 20 MB; one hub thread, no ring leak.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

const BATCH = 10
const PER_WORKER = 100
const WARM_UP = 100

type Mode = 'empty' | 'threadlog'
interface Args { mode: Mode, workers: number, entry: string, file: string }

/** The workers' code: plain JavaScript, so that an empty worker costs what a worker costs. */
const WORKER_CODE: Record<Mode, (entry: string) => string> = {
  empty: () => '',
  threadlog: (entry) => `import(${JSON.stringify(entry)}).then(({ createLogger }) => {
    const log = createLogger()
    for (let n = 1; n <= ${PER_WORKER}; n++) log.info({ n }, 'record')
  })`
}

function osThreads (): number {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN)
  } catch {
    return Number.NaN
  }
}

function rssAfterGc (): number {
  globalThis.gc?.()
  return process.memoryUsage.rss()
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1)

async function churn ({ mode, workers, entry, file }: Args): Promise<void> {
  let flush = async () => {}
  let ringCount = () => Number.NaN
  if (mode === 'threadlog') {
    const { createLogger, flushAll } = await import(entry) as typeof import('../src/index.ts')
    const { controlBlock, ControlSlot } = await import(entry.replace(/index\.(ts|js)$/, 'hub/control.$1')) as
      typeof import('../src/hub/control.ts')
    createLogger({ name: 'churn', targets: [{ target: 'file', options: { path: file } }] })
    flush = async () => { await flushAll() }
    ringCount = () => {
      const control = controlBlock()
      return control === undefined || !('RING_COUNT' in ControlSlot) ? Number.NaN : Atomics.load(control, ControlSlot.RING_COUNT)
    }
  }
  const threadsBefore = osThreads()
  let warmRss = Number.NaN
  let warmThreads = Number.NaN
  let last = performance.now()
  let failed = 0
  for (let done = 0; done < workers;) {
    const batch = Array.from({ length: Math.min(BATCH, workers - done) }, () =>
      new Worker(WORKER_CODE[mode](entry), { eval: true }))
    for (const worker of batch) worker.on('error', (error) => { failed++; console.error(error) })
    await Promise.all(batch.map((worker) => new Promise((resolve) => worker.once('exit', resolve))))
    done += batch.length
    if (done % 100 === 0 || done === workers) {
      const rss = rssAfterGc()
      if (done === WARM_UP) {
        warmRss = rss
        warmThreads = osThreads()
      }
      console.log(`  ${mode.padEnd(9)} ${String(done).padStart(5)} workers  ${(performance.now() - last).toFixed(0).padStart(6)} ms` +
        `  rss ${mb(rss).padStart(6)} MB`)
      last = performance.now()
    }
  }
  await flush()
  const rss = rssAfterGc()
  console.log(JSON.stringify({ mode, failed, growth: rss - warmRss, threadsBefore, warmThreads, threadsAfter: osThreads(), rings: ringCount() }))
}

if (process.argv[2] === 'child') {
  const [, mode, workers, entry, file] = process.argv.slice(2) as [string, Mode, string, string, string]
  await churn({ mode, workers: Number(workers), entry, file })
} else {
  const workers = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 1000)
  const dist = process.argv.includes('--dist')
  const entry = new URL(dist ? '../dist/src/index.js' : '../src/index.ts', import.meta.url).href
  const self = fileURLToPath(import.meta.url)
  console.log(`worker churn: ${workers} workers, ${BATCH} at a time, ${PER_WORKER} records each (${dist ? 'dist' : 'src'})`)
  const summaries = new Map<Mode, Record<string, number>>()
  let delivered = 0
  for (const mode of ['empty', 'threadlog'] as const) {
    const file = join(mkdtempSync(join(tmpdir(), 'threadlog-churn-')), 'out.ndjson')
    const run = spawnSync(process.execPath, ['--expose-gc', self, 'child', mode, String(workers), entry, file],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    const lines = run.stdout.trimEnd().split('\n')
    for (const line of lines.slice(0, -1)) console.log(line)
    if (run.status !== 0) throw new Error(`the ${mode} run failed (exit code ${run.status}): ${lines.at(-1)}`)
    summaries.set(mode, JSON.parse(lines.at(-1) ?? '{}') as Record<string, number>)
    if (mode === 'threadlog') delivered = readFileSync(file, 'utf8').split('\n').filter((line) => line.includes('"msg":"record"')).length
  }
  console.log('\nRSS growth after the first 100 workers (goal for threadlog: ≤ 20 MB)')
  for (const [mode, s] of summaries) {
    console.log(`  ${mode.padEnd(9)} ${mb(s.growth ?? Number.NaN).padStart(6)} MB   OS threads: ${s.threadsBefore} before, ` +
      `${s.warmThreads} after warm-up, ${s.threadsAfter} at the end${s.failed ? `; ${s.failed} workers failed` : ''}`)
  }
  console.log(`threadlog: ${delivered} of ${workers * PER_WORKER} records delivered; rings still drained: ${summaries.get('threadlog')?.rings}`)
}
