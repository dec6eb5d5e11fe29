// Child processes logging through the root's hub into one file, against each child writing its own
// file: 4 forked children × 50 000 records, every contender in fresh processes (scenarios/processes.ts),
// ROUNDS times, interleaved. Every run's output is checked before its time counts: a run that lost,
// duplicated, reordered or corrupted a record is reported on stderr and makes the bench fail.
//
//   npm run bench:processes            (ROUNDS=5 for more rounds; -- --dist: the built package,
//                                       after npm run build, which starts faster than .ts sources)
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkSources, type SourceArrival } from './check-records.ts'
import { median, runScenario } from './run-scenario.ts'
import type { ProcessesConfig, ProcessesContender } from './scenarios/processes.ts'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const CHILDREN = 4
const PER_CHILD = 50_000
const PAD = 100
const RECORDS = CHILDREN * PER_CHILD
/** The throughput ratio the hub must reach against the separate-files baseline. */
const GOAL = 0.5
const DIST = process.argv.includes('--dist')
const ENTRY = new URL(DIST ? '../dist/src/index.js' : '../src/index.ts', import.meta.url).href

const CONTENDERS: Readonly<Record<string, ProcessesContender>> = {
  'plain pino, own files': 'pino-files',
  'threadlog, own files': 'threadlog-files',
  'threadlog → root hub, 1 file': 'threadlog-hub'
}
const BASELINE = 'plain pino, own files'

interface ProcessesReport {
  forkedAt: number
  goAt: number
  cpuMs: number
  maxRSS: number
  childCpuMs: number
  childMaxRSS: number
}

interface ProcessesRun {
  /** From forking the children until the root has exited (everything on disk). */
  perSecond: number
  /** From the go (every child's logger ready) until the root has exited. */
  perSecondFromGo: number
  /** From forking the children until every one had its logger ready. */
  startMs: number
  /** CPU time of the root's threads, and of all the children's, per record. */
  rootCpuUs: number
  childCpuUs: number
  rootMaxRSS: number
  childMaxRSS: number
  arrival: SourceArrival
  /** Lines in each file the run wrote. */
  linesPerFile: number[]
}

const dir = mkdtempSync(join(tmpdir(), 'threadlog-bench-'))
const group = (n: number) => Math.round(n).toLocaleString('en-US').replaceAll(',', ' ')
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ')

/** The files a run writes: one per child, or the root's one. */
function filesOf (contender: ProcessesContender, runDir: string): string[] {
  if (contender === 'threadlog-hub') return [join(runDir, 'all.ndjson')]
  return Array.from({ length: CHILDREN }, (_, w) => join(runDir, `child-${w}.ndjson`))
}

/** What the run left on disk: one ordered stream of 4 sources, or 4 files of one source each. */
function checkOutput (contender: ProcessesContender, paths: readonly string[]): { arrival: SourceArrival, linesPerFile: number[] } {
  if (contender === 'threadlog-hub') {
    const arrival = checkSources(paths[0] as string, CHILDREN, PER_CHILD)
    return { arrival, linesPerFile: [arrival.lines] }
  }
  const files = paths.map((path) => checkSources(path, 1, PER_CHILD))
  const sum = (key: keyof SourceArrival) => files.reduce((total, file) => total + file[key], 0)
  const arrival: SourceArrival = {
    lines: sum('lines'),
    corrupt: sum('corrupt'),
    sources: sum('sources'),
    lost: sum('lost'),
    duplicated: sum('duplicated'),
    disordered: sum('disordered'),
    bytesPerLine: files.reduce((total, file) => total + file.bytesPerLine * file.lines, 0) / Math.max(sum('lines'), 1)
  }
  return { arrival, linesPerFile: files.map((file) => file.lines) }
}

/** What is wrong with a run's output, or undefined when every record arrived once, whole and in order. */
function faultOf ({ corrupt, lost, duplicated, disordered, sources }: SourceArrival): string | undefined {
  const faults = Object.entries({ corrupt, lost, duplicated, disordered }).filter(([, count]) => count > 0)
  if (sources !== CHILDREN) faults.push(['sources (expected 4)', sources])
  return faults.length === 0 ? undefined : faults.map(([what, count]) => `${what} ${count}`).join(', ')
}

async function runOnce (name: string, round: number): Promise<ProcessesRun> {
  const contender = CONTENDERS[name] as ProcessesContender
  const runDir = mkdtempSync(join(dir, `${contender}-`))
  const files = filesOf(contender, runDir)
  const config: ProcessesConfig = {
    contender, children: CHILDREN, perChild: PER_CHILD, pad: PAD, files,
    rootFile: join(runDir, 'root-own.ndjson'), entry: ENTRY, report: join(runDir, 'report.json')
  }
  const { exitedAt, report } = await runScenario('processes.ts', config) as { exitedAt: number, report: ProcessesReport }
  const { arrival, linesPerFile } = checkOutput(contender, files)
  rmSync(runDir, { recursive: true, force: true })
  const fault = faultOf(arrival)
  if (fault !== undefined) {
    console.error(`!! ${name}, round ${round + 1}: records LOST OR CORRUPTED: ${fault} (lines per file: ${linesPerFile.join(', ')})`)
    process.exitCode = 1
  }
  return {
    perSecond: RECORDS / ((exitedAt - report.forkedAt) / 1e9),
    perSecondFromGo: RECORDS / ((exitedAt - report.goAt) / 1e9),
    startMs: (report.goAt - report.forkedAt) / 1e6,
    rootCpuUs: report.cpuMs * 1000 / RECORDS,
    childCpuUs: report.childCpuMs * 1000 / RECORDS,
    rootMaxRSS: report.maxRSS,
    childMaxRSS: report.childMaxRSS,
    arrival,
    linesPerFile
  }
}

function printResults (results: Map<string, ProcessesRun[]>): void {
  const baseline = results.get(BASELINE) ?? []
  const indent = ' '.repeat(4)
  for (const [name, runs] of results) {
    const middle = (pick: (run: ProcessesRun) => number) => median(runs.map(pick))
    const worst = (key: 'corrupt' | 'lost' | 'duplicated' | 'disordered') => Math.max(...runs.map((run) => run.arrival[key]))
    let line = `  ${name.padEnd(29)} ${group(middle((run) => run.perSecond)).padStart(9)} rec/s` +
      `   from go ${group(middle((run) => run.perSecondFromGo)).padStart(9)} rec/s`
    if (name !== BASELINE) {
      const ratio = (pick: (run: ProcessesRun) => number) =>
        median(runs.map((run, round) => pick(run) / pick(baseline[round] as ProcessesRun)))
      line += `   ${ratio((run) => run.perSecond).toFixed(2)}× pino${CONTENDERS[name] === 'threadlog-hub' ? ` (goal ≥ ${GOAL}×)` : ''}` +
        `, from go ${ratio((run) => run.perSecondFromGo).toFixed(2)}×`
    }
    console.log(line)
    console.log(`${indent}children ready after ${middle((run) => run.startMs).toFixed(0)} ms` +
      `   CPU µs/rec: root ${middle((run) => run.rootCpuUs).toFixed(1)} + children ${middle((run) => run.childCpuUs).toFixed(1)}` +
      `   peak RSS: root ${megabytes(middle((run) => run.rootMaxRSS))}, largest child ${megabytes(middle((run) => run.childMaxRSS))}` +
      `   ${group(middle((run) => run.arrival.bytesPerLine))} B/line`)
    // Lines in each file, as 50000+50000+…, once for all runs that wrote the same.
    const lines = [...new Set(runs.map((run) => run.linesPerFile.join('+')))].join(' | ')
    const faults = runs.filter((run) => faultOf(run.arrival) !== undefined).length
    console.log(`${indent}lines ${lines}; worst run: corrupt ${worst('corrupt')}, lost ${worst('lost')},` +
      ` duplicated ${worst('duplicated')}, disordered ${worst('disordered')}` +
      (faults > 0 ? `   !! ${faults} of ${runs.length} runs INVALID: their times mean nothing` : ''))
  }
}

try {
  const cpus = availableParallelism()
  console.log(`Medians of ${ROUNDS} interleaved runs, each in fresh processes; times end when the root has exited.\n` +
    `${cpus} CPUs, load average ${load()} (1, 5, 15 min)${(loadavg()[0] ?? 0) > cpus ? ' (busy machine: expect noise)' : ''}`)
  const startedAt = performance.now()
  const results = new Map(Object.keys(CONTENDERS).map((name) => [name, [] as ProcessesRun[]]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, runs] of results) runs.push(await runOnce(name, round))
  }
  console.log(`\n${CHILDREN} child processes × ${group(PER_CHILD)} records (${PAD} B pad, threadlog from ${DIST ? 'dist' : 'src'}),` +
    ' from the root forking them' +
    `   [${((performance.now() - startedAt) / 1000).toFixed(0)} s]`)
  printResults(results)
  console.log(`\nload average at the end ${load()}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
