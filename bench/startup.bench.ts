// Start-up: a one-line program, `log.info('hello')`, run as a fresh process, from the built
// package (what users run). Rounds alternate between contenders so that drift cancels out; each
// row prints the median wall time and peak RSS, and its ratio to plain pino's.
// Goal (issue 18): threadlog ≤ 1.3× pino's wall time and ≤ pino + 8 MiB peak RSS. Two rows show
// where the time goes: Node alone (an empty program, the floor of every row) and threadlog's import
// without a logger (loading its code, against making a logger and writing the record).
//   npm run bench:startup        (ROUNDS=15 for more rounds on a busy machine)
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROUNDS = Number(process.env.ROUNDS ?? 9)
const root = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'threadlog-startup-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

execFileSync(process.execPath, [join(root, 'scripts/build.ts')], { stdio: 'inherit' })
const pino = JSON.stringify(join(root, 'node_modules/pino/pino.js'))
const threadlog = JSON.stringify(join(root, 'dist/src/index.js'))
const programs = {
  'pino': `import pino from ${pino}\npino({ name: 'app' }).info('hello')\n`,
  'pino with a transport': `import pino from ${pino}\npino({ name: 'app', transport: { target: 'pino/file' } }).info('hello')\n`,
  'threadlog': `import { createLogger } from ${threadlog}\ncreateLogger({ name: 'app' }).info('hello')\n`,
  'node, empty program': '',
  'threadlog, import only': `import { createLogger } from ${threadlog}\nvoid createLogger\n`
}

// GNU time's %M is the peak RSS of the child in KiB, which Node cannot read of another process.
function runOnce (file: string): { ms: number, rssMiB: number } {
  const start = performance.now()
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, file], { encoding: 'utf8', env: { PATH: process.env.PATH } })
  const ms = performance.now() - start
  if (result.status !== 0) throw new Error(`${file} failed: ${result.stderr}`)
  return { ms, rssMiB: Number(result.stderr.trim().split('\n').at(-1)) / 1024 }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
const files = Object.entries(programs).map(([name, source]) => {
  const file = join(dir, `${name.replaceAll(' ', '-')}.mjs`)
  writeFileSync(file, source)
  return { name, file, times: [] as number[], rss: [] as number[] }
})
for (const contender of files) runOnce(contender.file) // warm the file cache
for (let round = 0; round < ROUNDS; round++) {
  for (const contender of files) {
    const { ms, rssMiB } = runOnce(contender.file)
    contender.times.push(ms)
    contender.rss.push(rssMiB)
  }
}
const [baseline] = files
console.log(`\none-line program, fresh process, medians of ${ROUNDS} — goal: threadlog ≤ 1.3× pino's time, ≤ pino + 8 MiB`)
for (const { name, times, rss } of files) {
  const ratio = median(times.map((ms, round) => ms / (baseline?.times[round] ?? Number.NaN)))
  const extra = median(rss) - median(baseline?.rss ?? [])
  console.log(`  ${name.padEnd(24)} ${median(times).toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}×   ${median(rss).toFixed(1).padStart(6)} MiB peak  ${extra >= 0 ? '+' : ''}${extra.toFixed(1)} MiB`)
}
