// The CLI against the tools people would use instead, on one generated file of threadlog records
// (1 000 000 lines of ~250 bytes: 3 processes, 8 threads each, every level), whole process from
// spawn to exit, output to /dev/null, threadlog from the built package (dist/). Rounds alternate between contenders so that drift cancels
// out; each comparison prints the median times and the median of the per-round ratios.
// Goals (issue 14): --thread 3 --output ndjson ≥ 10× jq and ≥ 1 000 000 lines/s; pretty ≥ 10×
// pino-pretty --colorize; --stats ≥ 5× jq computing the same table.
//
//   npm run bench:cli                      # 1 000 000 lines, 3 rounds
//   npm run bench:cli -- 200000 5          # lines, rounds
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const LINES = Number(process.argv[2] ?? 1_000_000)
const ROUNDS = Number(process.argv[3] ?? 3)
const root = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'threadlog-cli-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
const file = join(dir, 'records.ndjson')

const PROCESSES = [{ proc: 'api', pid: 4242, ppid: 1 }, { proc: 'api', pid: 4300, ppid: 4242, worker: 2 }, { proc: 'billing', pid: 4400, ppid: 1 }]
const THREADS = ['main', 'resize', 'resize', 'encode', 'encode', 'db', 'db', 'threadlog-hub']
const LEVELS = [10, 20, 20, 30, 30, 30, 30, 30, 40, 50, 60]
const MESSAGES = ['resized image', 'request received', 'query done', 'cache miss for key', 'slow query', 'job finished']

// A fixed sequence (a linear congruential generator), so that every run measures the same file.
function writeRecords (): void {
  const fd = openSync(file, 'w')
  const seqs = new Map<string, number>()
  let seed = 42
  const next = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 16) % n }
  let batch = ''
  for (let i = 0; i < LINES; i++) {
    const source = PROCESSES[next(PROCESSES.length)] as (typeof PROCESSES)[number]
    const tid = next(THREADS.length)
    const key = `${source.pid}/${tid}`
    const seq = (seqs.get(key) ?? 0) + 1
    seqs.set(key, seq)
    const worker = source.worker === undefined ? '' : `,"worker":${source.worker}`
    batch += `{"level":${LEVELS[next(LEVELS.length)]},"time":${1_765_000_000_000 + i * 3},"pid":${source.pid},"hostname":"web-1",` +
      `"ppid":${source.ppid},"proc":"${source.proc}"${worker},"tid":${tid},"thread":"${THREADS[tid]}","seq":${seq},` +
      `"reqId":"${(i >>> 4).toString(16).padStart(8, '0')}","user":${next(1000)},"method":"GET","route":"/items/:id","path":"/items/${next(100000)}",` +
      `"durationMs":${next(5000) / 10},"msg":"${MESSAGES[next(MESSAGES.length)]} ${i}"}\n`
    if (batch.length > 1 << 20) { writeSync(fd, batch); batch = '' }
  }
  writeSync(fd, batch)
  closeSync(fd)
}

const cpuFile = join(dir, 'cpu.txt')

/**
 * Runs a command with stdout to /dev/null (or captured) and resolves with its wall time and its CPU
 * time (user + system, its children included), in ms. On a shared machine the wall time also
 * measures the neighbours; the CPU time is what the command itself spent. GNU time reads the CPU.
 */
async function timeCommand (command: string, args: string[], capture = false): Promise<{ ms: number, cpuMs: number, stdout: string }> {
  const devNull = openSync('/dev/null', 'w')
  const start = performance.now()
  const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, command, ...args], {
    stdio: ['ignore', capture ? 'pipe' : devNull, 'inherit'], env: { PATH: process.env.PATH, TZ: 'UTC' }
  })
  let stdout = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  const [code] = await once(child, 'close') as [number | null]
  const ms = performance.now() - start
  closeSync(devNull)
  if (code !== 0 && code !== 1) throw new Error(`${command} ${args.join(' ')} exited with ${code}`)
  const [user = Number.NaN, system = Number.NaN] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? []
  return { ms, cpuMs: (user + system) * 1000, stdout }
}

// The built bin, as users run it: type stripping alone would add ~0.3 s of start-up to every run.
execFileSync(process.execPath, [join(root, 'scripts/build.ts')], { stdio: 'inherit' })
const node = process.execPath
const threadlog = (...args: string[]): [string, string[]] => [node, [join(root, 'dist/src/cli/main.js'), ...args, file]]
const jq = (...args: string[]): [string, string[]] => ['jq', [...args, file]]
// The same table as --stats: per source (proc, pid, thread, tid), counts per level, total, first and last time.
const JQ_STATS = 'reduce inputs as $r ({}; ([$r.proc, $r.pid, $r.thread, $r.tid] | tostring) as $k' +
  ' | .[$k].total += 1 | .[$k].levels[$r.level | tostring] += 1' +
  ' | .[$k].first = ([.[$k].first // $r.time, $r.time] | min) | .[$k].last = ([.[$k].last // $r.time, $r.time] | max))'

interface Comparison {
  title: string
  goal: number
  contenders: Array<{ name: string, command: [string, string[]] }>
}

const COMPARISONS: Comparison[] = [
  {
    title: 'one thread as NDJSON', goal: 10, contenders: [
      { name: 'threadlog --thread 3 --output ndjson', command: threadlog('--thread', '3', '--output', 'ndjson') },
      { name: "jq -c 'select(.tid==3)'", command: jq('-c', 'select(.tid==3)') }
    ]
  },
  {
    title: 'pretty, colored', goal: 10, contenders: [
      { name: 'threadlog --color', command: threadlog('--color') },
      { name: 'pino-pretty --colorize', command: ['sh', ['-c', `"${join(root, 'node_modules/.bin/pino-pretty')}" --colorize < "${file}"`]] }
    ]
  },
  {
    title: 'a table per source and level', goal: 5, contenders: [
      { name: 'threadlog --stats', command: threadlog('--stats') },
      { name: 'jq -n reduce … (the same table)', command: jq('-n', '-c', JQ_STATS) }
    ]
  }
]

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

writeRecords()
// The two tools must agree before their times mean anything.
const ours = await timeCommand(...threadlog('--thread', '3', '--output', 'ndjson'), true)
const theirs = await timeCommand(...jq('-c', 'select(.tid==3)'), true)
const jqLines = theirs.stdout.split('\n').length
if (ours.stdout.split('\n').length !== jqLines) throw new Error(`threadlog selected ${ours.stdout.split('\n').length - 1} lines, jq ${jqLines - 1}`)
console.log(`${LINES} lines (${(LINES / 1e6).toFixed(1)} M), ${ROUNDS} rounds; --thread 3 selects ${jqLines - 1}`)

const ratioText = (ratios: number[]): string => `${median(ratios).toFixed(1)}× (rounds: ${ratios.map((ratio) => ratio.toFixed(1)).join(', ')})`

for (const { title, goal, contenders } of COMPARISONS) {
  const runs = contenders.map(() => [] as Array<{ ms: number, cpuMs: number }>)
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, { command }] of contenders.entries()) runs[index]?.push(await timeCommand(...command))
  }
  const [ourRuns = [], theirRuns = []] = runs
  console.log(`\n${title} — goal ≥ ${goal}×`)
  for (const [index, { name }] of contenders.entries()) {
    const ms = median(runs[index]?.map((run) => run.ms) ?? [])
    const cpuMs = median(runs[index]?.map((run) => run.cpuMs) ?? [])
    console.log(`  ${name.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(6)} s wall ${Math.round(LINES / ms * 1000).toLocaleString('en').padStart(10)} lines/s` +
      `   ${(cpuMs / 1000).toFixed(2).padStart(6)} s CPU ${Math.round(LINES / cpuMs * 1000).toLocaleString('en').padStart(10)} lines/s`)
  }
  console.log(`  ratio, wall: ${ratioText(ourRuns.map((run, round) => (theirRuns[round]?.ms ?? Number.NaN) / run.ms))}`)
  console.log(`  ratio, CPU:  ${ratioText(ourRuns.map((run, round) => (theirRuns[round]?.cpuMs ?? Number.NaN) / run.cpuMs))}`)
}
