// Runs one program of bench/scenarios in a fresh child process, so that no contender's threads,
// heap or page cache state leaks into another's measurement.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface ScenarioRun {
  /** process.hrtime (ns) when the child had exited: one monotonic clock for every process here. */
  exitedAt: number
  /** What the scenario wrote to its report file, parsed. */
  report: unknown
}

/**
 * Spawns `node bench/scenarios/<program>` with `config` as JSON in SCENARIO (it must contain the
 * `report` path the scenario writes to). `stdoutTo`: a file that receives the child's stdout through
 * a pipe. Throws when the child fails or writes anything to stderr, so that no broken run is timed.
 */
export async function runScenario<Config extends { report: string }> (program: string, config: Config, stdoutTo?: string):
  Promise<ScenarioRun> {
  const child = spawn(process.execPath, [fileURLToPath(new URL(`./scenarios/${program}`, import.meta.url))], {
    env: { ...process.env, SCENARIO: JSON.stringify(config) },
    stdio: ['ignore', stdoutTo === undefined ? 'ignore' : 'pipe', 'pipe']
  })
  const copied = stdoutTo === undefined || child.stdout === null
    ? Promise.resolve()
    : once(child.stdout.pipe(createWriteStream(stdoutTo)), 'finish')
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  let exitedAt = 0
  child.once('exit', () => { exitedAt = Number(process.hrtime.bigint()) })
  const [code, signal] = await once(child, 'close') as [number | null, NodeJS.Signals | null]
  await copied
  if (code !== 0 || stderr !== '') {
    throw new Error(`scenario ${program} failed (exit ${code ?? signal}):\n${stderr}`)
  }
  return { exitedAt, report: JSON.parse(readFileSync(config.report, 'utf8')) }
}

export function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** The q-quantile (0..1) of a sample, nearest rank. */
export function quantile (values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
}
