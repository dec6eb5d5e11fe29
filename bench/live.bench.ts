// What being attachable costs a running service (issue 15, "Cost"): the hub bench's threadlog row
// (4 workers × 50 000 records → one file) with the registry off, on with no client, and on with one
// real `threadlog attach <pid> --thread w1 -o ndjson` reading along. Each run is a fresh service in
// a registry of the bench's own; the clock starts once the client said it is attached. Rounds are
// interleaved; the table shows medians, and each goal's ratio is the median of per-round ratios.
//
//   npm run bench:live
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { attachClient, type AttachedClient, type ClientRun } from './attach-client.ts'
import { checkRecords } from './check-records.ts'
import { median, roundRobin, runScenario } from './run-scenario.ts'
import type { ThreadsConfig } from './scenarios/workload.ts'

const ROUNDS = 9
const WORKERS = 4
const PER_WORKER = 50_000
const RECORDS = WORKERS * PER_WORKER
/** The attached client selects one worker: the hub sends it that worker's records (a quarter). */
const CLIENT_ARGS = ['--thread', 'w1', '-o', 'ndjson']

const OFF = 'registry off (THREADLOG_REGISTRY=0)'
const ON = 'registry on, no client'
const ATTACHED = `registry on, 1 client: attach ${CLIENT_ARGS.join(' ')}`
const CONTENDERS = [OFF, ON, ATTACHED] as const
type Contender = typeof CONTENDERS[number]
/** Each ratio: a contender's throughput over another's in the same round, and its goal. */
const RATIOS: ReadonlyArray<{ ours: Contender, against: Contender, label: string, goal: string, min: number | undefined }> = [
  { ours: ON, against: OFF, label: 'registry on / off', goal: 'within noise', min: undefined },
  { ours: ATTACHED, against: ON, label: 'attached / unattached', goal: '≥ 90 %', min: 0.9 }
]

const dir = mkdtempSync(join(tmpdir(), 'threadlog-live-bench-'))
// The services register here, not in the user's registry: no other session's trees in it, none of ours in theirs.
const runtime = mkdtempSync(join(tmpdir(), 'threadlog-live-runtime-'))
chmodSync(runtime, 0o700)
const files = {
  output: join(dir, 'out.ndjson'), report: join(dir, 'report.json'), client: join(dir, 'client.ndjson'), cpuReport: join(dir, 'client-cpu.json')
}

const group = (n: number) => Math.round(n).toLocaleString('en-US').replaceAll(',', ' ')
const percent = (ratio: number) => `${(100 * ratio).toFixed(1)} %`

interface LiveRun {
  perSecond: number
  cpuPerRecordUs: number
  /** Records of the workload not in the service's file, and lines there that are not JSON. */
  lost: number
  corrupt: number
  client: ClientRun | undefined
}

function environmentOf (contender: Contender): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtime }
  if (contender === OFF) env.THREADLOG_REGISTRY = '0'
  else delete env.THREADLOG_REGISTRY
  return env
}

async function runContender (contender: Contender): Promise<LiveRun> {
  const config: ThreadsConfig = {
    destination: files.output, workers: WORKERS, perWorker: PER_WORKER, padMin: 0, padMax: 0, report: files.report, gated: true
  }
  const env = environmentOf(contender)
  let client: AttachedClient | undefined
  const { exitedAt, report } = await runScenario('threads-threadlog.ts', config, undefined, {
    env,
    whenReady: async (pid) => {
      if (contender === ATTACHED) client = await attachClient(pid, CLIENT_ARGS, env, { output: files.client, cpuReport: files.cpuReport }, config)
    }
  })
  const clientRun = await client?.finished()
  const { start, cpuMs } = report as { start: number, cpuMs: number }
  const { lost, corrupt } = checkRecords(files.output, WORKERS, PER_WORKER)
  rmSync(files.output, { force: true })
  rmSync(files.client, { force: true })
  return { perSecond: RECORDS / ((exitedAt - start) / 1e9), cpuPerRecordUs: cpuMs * 1000 / RECORDS, lost, corrupt, client: clientRun }
}

function describeClient (runs: readonly ClientRun[]): string {
  const cpu = median(runs.map((run) => run.cpuMs * 1000 / RECORDS))
  const received = runs.map((run) => run.received)
  const missed = runs.map((run) => run.missed)
  const stray = Math.max(...runs.map((run) => run.stray))
  const endLost = runs.filter((run) => run.endLost).length
  return `    the client: CPU ${cpu.toFixed(1)} µs per record of the tree; received ${group(Math.min(...received))}–${group(Math.max(...received))}` +
    ` of w1's ${group(PER_WORKER)} records, missed ${Math.min(...missed)}–${Math.max(...missed)} of all ${group(RECORDS)} the hub sent it` +
    `; the end lost (the service exited with records queued for it) in ${endLost} of ${runs.length} runs` +
    `${stray > 0 ? `; ${stray} STRAY lines` : ''}`
}

function printResults (results: Map<Contender, LiveRun[]>): void {
  for (const [name, runs] of results) {
    const cpu = median(runs.map((run) => run.cpuPerRecordUs))
    console.log(`  ${name.padEnd(56)} ${group(median(runs.map((run) => run.perSecond))).padStart(9)} rec/s` +
      `   service CPU ${cpu.toFixed(2)} µs/rec   corrupt ${Math.max(...runs.map((run) => run.corrupt))}` +
      `   lost ${Math.max(...runs.map((run) => run.lost))}`)
    const clients = runs.map((run) => run.client).filter((client) => client !== undefined)
    if (clients.length > 0) console.log(describeClient(clients))
  }
  for (const { ours, against, label, goal, min } of RATIOS) {
    const [mine, theirs] = [results.get(ours) ?? [], results.get(against) ?? []]
    const per = (of: (run: LiveRun) => number) => theirs.map((run, round) => of(mine[round] as LiveRun) / of(run))
    const rates = per((run) => run.perSecond)
    const ratio = median(rates)
    const verdict = min === undefined ? '' : ratio >= min ? ': met' : ': NOT met'
    console.log(`  ${label.padEnd(22)} throughput ${percent(ratio)} (rounds ${Math.min(...rates).toFixed(3)}–${Math.max(...rates).toFixed(3)})` +
      `   CPU per record ${percent(median(per((run) => run.cpuPerRecordUs)))}   goal ${goal}${verdict}`)
  }
}

try {
  const load = loadavg()[0] ?? 0
  console.log(`Medians of ${ROUNDS} interleaved runs, each a fresh service (and client); corrupt and lost: the worst run.\n` +
    `${availableParallelism()} CPUs, load average ${load.toFixed(1)}${load > availableParallelism() ? ' (busy machine: expect noise)' : ''}\n` +
    `\n${WORKERS} workers × ${group(PER_WORKER)} records → one file`)
  printResults(await roundRobin(ROUNDS, CONTENDERS, runContender))
} finally {
  rmSync(dir, { recursive: true, force: true })
  rmSync(runtime, { recursive: true, force: true })
}
