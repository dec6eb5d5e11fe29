// The hub against what people do without it, each contender in fresh child processes, side by side:
// throughput of worker threads logging into one destination, memory of a burst, idle latency.
// Every contender runs ROUNDS times, interleaved with the others; the tables show medians. CPU µs/rec
// is the CPU time of all the contender's threads per record: on a busy machine, rec/s also measures
// how much of it the contender's threads got (more threads, bigger share); CPU time does not.
//
//   npm run bench:hub              every table
//   npm run bench:hub -- threads   only the 4 workers × 50 000 → one file table (what issue 18's goal reads)
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkRecords, type Arrival } from './check-records.ts'
import { median, quantile, roundRobin, runScenario } from './run-scenario.ts'
import type { ThreadsConfig } from './scenarios/workload.ts'

const ROUNDS = 3
const dir = mkdtempSync(join(tmpdir(), 'threadlog-bench-'))
const report = join(dir, 'report.json')

const group = (n: number) => Math.round(n).toLocaleString('en-US').replaceAll(',', ' ')
const mb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 2 ** 20).toFixed(0)} MB`
const took = (since: number) => `   [${((performance.now() - since) / 1000).toFixed(0)} s]`
const worst = (runs: Arrival[], key: 'corrupt' | 'lost' | 'duplicated') => Math.max(...runs.map((run) => run[key]))

const rounds = <C extends string, T> (contenders: readonly C[], run: (contender: C) => Promise<T>) => roundRobin(ROUNDS, contenders, run)

const FLOOR = 'workers serialize + encode (floor)'
const IO_FLOOR = 'workers append own 64 KiB (I/O floor)'

interface ThreadsVariant {
  title: string
  workers: number
  perWorker: number
  padMin: number
  padMax: number
  /** Through a pipe (the child's stdout, which this process copies to a file) instead of a file. */
  pipe: boolean
  /** Whether this table carries the goals of the throughput ratios. */
  goals: boolean
}

const THREADS_CONTENDERS = {
  threadlog: 'threads-threadlog.ts',
  'pino.transport per worker': 'threads-pino-transport.ts',
  'pino.transport, same fields': 'threads-pino-fields.ts',
  'postMessage per record': 'threads-post-message.ts',
  // What no way of moving records can beat: threadlog's records serialized and encoded in the workers, then dropped.
  [FLOOR]: 'threads-floor.ts',
  // What no way of writing them to the file can beat: the same, each worker appending its own large writes.
  [IO_FLOOR]: 'threads-io-floor.ts'
} as const
type ThreadsContender = keyof typeof THREADS_CONTENDERS
/** Contenders threadlog's throughput is divided by, with the goal of the ratio where there is one. */
const THREADS_RATIOS: Readonly<Partial<Record<ThreadsContender, number | undefined>>> = {
  'pino.transport per worker': 1.5, 'pino.transport, same fields': undefined, 'postMessage per record': 5
}
/** The floors, and the share of each that threadlog must reach. */
const THREADS_FLOORS: Readonly<Partial<Record<ThreadsContender, number | undefined>>> = { [FLOOR]: undefined, [IO_FLOOR]: 0.95 }

/** `arrival` is undefined for the floor, which writes nothing. */
interface ThreadsRun { perSecond: number, cpuPerRecordUs: number, arrival: Arrival | undefined }

async function runThreads (variant: ThreadsVariant, program: string): Promise<ThreadsRun> {
  const file = join(dir, 'out.ndjson')
  const config: ThreadsConfig = {
    destination: variant.pipe ? 1 : file,
    workers: variant.workers,
    perWorker: variant.perWorker,
    padMin: variant.padMin,
    padMax: variant.padMax,
    report
  }
  const { exitedAt, report: { start, cpuMs } } = await runScenario(program, config, variant.pipe ? file : undefined) as
    { exitedAt: number, report: { start: number, cpuMs: number } }
  const records = variant.workers * variant.perWorker
  const arrival = program === THREADS_CONTENDERS[FLOOR] ? undefined : checkRecords(file, variant.workers, variant.perWorker)
  rmSync(file, { force: true })
  return { perSecond: records / ((exitedAt - start) / 1e9), cpuPerRecordUs: cpuMs * 1000 / records, arrival }
}

/** The median over rounds of threadlog's run against `run` of the same round. */
function perRound (ours: ThreadsRun[], runs: ThreadsRun[], of: (run: ThreadsRun) => number): number {
  return median(runs.map((run, round) => of(ours[round] ?? { perSecond: Number.NaN, cpuPerRecordUs: Number.NaN, arrival: undefined }) / of(run)))
}

async function benchThreads (variant: ThreadsVariant): Promise<void> {
  const startedAt = performance.now()
  // The I/O floor appends to a file itself; a pipe would need its writes made blocking first.
  const names = (Object.keys(THREADS_CONTENDERS) as ThreadsContender[]).filter((name) => !(variant.pipe && name === IO_FLOOR))
  const results = await rounds(names, (name) => runThreads(variant, THREADS_CONTENDERS[name]))
  console.log(`\n${variant.title}${took(startedAt)}`)
  const ours = results.get('threadlog') ?? []
  const rate = (name: ThreadsContender) => median((results.get(name) ?? []).map((run) => run.perSecond))
  for (const [name, runs] of results) {
    const arrivals = runs.map((run) => run.arrival).filter((arrival) => arrival !== undefined)
    const cpu = median(runs.map((run) => run.cpuPerRecordUs))
    let line = `  ${name.padEnd(38)} ${group(rate(name)).padStart(9)} rec/s   CPU ${cpu.toFixed(cpu < 100 ? 1 : 0).padStart(5)} µs/rec   `
    if (arrivals.length === 0) {
      line += '(writes nothing)'.padEnd(41)
    } else {
      line += `corrupt ${String(worst(arrivals, 'corrupt')).padEnd(5)} lost ${String(worst(arrivals, 'lost')).padEnd(5)}` +
        ` ${group(median(arrivals.map((arrival) => arrival.bytesPerLine))).padStart(6)} B/line`
      if (worst(arrivals, 'duplicated') > 0) line += `   DUPLICATED ${worst(arrivals, 'duplicated')}`
    }
    if (name in THREADS_FLOORS) {
      // CPU share: the floor's CPU per record over threadlog's, which a busy machine skews least.
      const share = perRound(ours, runs, (run) => run.perSecond)
      const cpuShare = 1 / perRound(ours, runs, (run) => run.cpuPerRecordUs)
      const goal = THREADS_FLOORS[name]
      line += `   threadlog reaches ${(100 * share).toFixed(0)} % of it (CPU ${(100 * cpuShare).toFixed(0)} %)`
      if (goal !== undefined && variant.goals) line += ` (goal ≥ ${(100 * goal).toFixed(0)} %)`
    }
    if (name in THREADS_RATIOS) {
      const goal = THREADS_RATIOS[name]
      line += `   threadlog ${perRound(ours, runs, (run) => run.perSecond).toFixed(2)}×`
      if (goal !== undefined && variant.goals) line += ` (goal ≥ ${goal}×: ${(100 * goal * rate(name) / rate(FLOOR)).toFixed(0)} % of the floor)`
    }
    console.log(line)
  }
}

interface BurstReport { start: number, baseline: number, peakSampled: number, maxRSS: number, loopMs: number }

async function benchBurst (records: number): Promise<void> {
  const startedAt = performance.now()
  const file = join(dir, 'out.ndjson')
  const contenders = ['threadlog', 'pino.transport', 'pino-noop']
  const results = await rounds(contenders, async (contender) => {
    const run = await runScenario('burst.ts', { contender, file, records, report })
    const burst = run.report as BurstReport
    const lost = contender === 'pino-noop' ? 0 : checkRecords(file, 1, records).lost
    rmSync(file, { force: true })
    const growth = Math.max(burst.peakSampled, burst.maxRSS) - burst.baseline
    return { growth, loopMs: burst.loopMs, totalMs: (run.exitedAt - burst.start) / 1e6, lost }
  })
  console.log(`\n${group(records)}-record burst from main → one file: peak RSS growth (goal: threadlog ≤ +32 MB, 0 lost)` +
    took(startedAt))
  const labels: Record<string, string> = { 'pino-noop': 'plain pino → no-op (floor)' }
  for (const [name, runs] of results) {
    const seconds = (key: 'loopMs' | 'totalMs') => `${(median(runs.map((run) => run[key])) / 1000).toFixed(2)} s`
    const onDisk = name === 'pino-noop' ? '' : `   all on disk ${seconds('totalMs')}   lost ${Math.max(...runs.map((run) => run.lost))}`
    console.log(`  ${(labels[name] ?? name).padEnd(28)} ${mb(median(runs.map((run) => run.growth))).padStart(9)}` +
      `   logging loop ${seconds('loopMs')}${onDisk}`)
  }
}

async function benchLatency (samples: number, intervalMs: number): Promise<void> {
  const startedAt = performance.now()
  const results = await rounds(['threadlog', 'pino.transport'], async (contender) => {
    const latencies = (await runScenario('latency.ts', { contender, samples, intervalMs, report })).report as number[]
    rmSync(report)
    return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: Math.max(...latencies), arrived: latencies.length }
  })
  console.log(`\nIdle latency, log call → target: 1 record every ${intervalMs} ms, ${samples} per run ` +
    `(goal: threadlog p99 ≤ 5 ms)${took(startedAt)}`)
  for (const [name, runs] of results) {
    const ms = (key: 'p50' | 'p99' | 'max') => `${median(runs.map((run) => run[key])).toFixed(2)} ms`.padStart(8)
    console.log(`  ${name.padEnd(28)} p50 ${ms('p50')}   p99 ${ms('p99')}   max ${ms('max')}` +
      `   arrived ${Math.min(...runs.map((run) => run.arrived))}/${samples}`)
  }
}

try {
  // Every contender is CPU-bound on a small machine: other load skews the absolute numbers most.
  const load = loadavg()[0] ?? 0
  console.log(`Medians of ${ROUNDS} interleaved runs, each in fresh processes; corrupt and lost: the worst run.\n` +
    `${availableParallelism()} CPUs, load average ${load.toFixed(1)}${load > availableParallelism() ? ' (busy machine: expect noise)' : ''}`)
  await benchThreads({
    title: '4 workers × 50 000 records (170–240 B) → one file',
    workers: 4, perWorker: 50_000, padMin: 0, padMax: 0, pipe: false, goals: true
  })
  if (!process.argv.includes('threads')) {
    // Lines past the pipe's atomic write size (PIPE_BUF) are where several writers can interleave.
    await benchThreads({
      title: '4 workers × 100 records (8–40 KB) → one pipe (stdout)',
      workers: 4, perWorker: 100, padMin: 8192, padMax: 40_960, pipe: true, goals: false
    })
    await benchBurst(400_000)
    await benchLatency(200, 20)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
