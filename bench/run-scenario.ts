// Runs one program of bench/scenarios in a fresh child process, so that no contender's threads,
// heap or page cache state leaks into another's measurement.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface ScenarioRun {
  /** process.hrtime (ns) when the child had exited: one monotonic clock for every process here. */
  exitedAt: number
  /** What the scenario wrote to its report file, parsed. */
  report: unknown
}

/** A scenario run with `gated: true` in its config (see workload.ts), and the environment it gets. */
export interface ScenarioGate {
  env: NodeJS.ProcessEnv
  /** Runs between the scenario's `ready` and the bench's `go`, with its pid; the clock starts after it. */
  whenReady: (pid: number) => Promise<void>
}

/**
 * Spawns `node bench/scenarios/<program>` with `config` as JSON in SCENARIO (it must contain the
 * `report` path the scenario writes to). `stdoutTo`: a file that receives the child's stdout through
 * a pipe. `gate`: what runs before the scenario's clock starts. Throws when the child fails or writes
 * anything to stderr, or the gate fails, so that no broken run is timed.
 */
export async function runScenario<Config extends { report: string }> (program: string, config: Config, stdoutTo?: string,
  gate?: ScenarioGate): Promise<ScenarioRun> {
  const child = spawn(process.execPath, [fileURLToPath(new URL(`./scenarios/${program}`, import.meta.url))], {
    env: { ...gate?.env ?? process.env, SCENARIO: JSON.stringify(config) },
    stdio: [gate === undefined ? 'ignore' : 'pipe', stdoutTo === undefined && gate === undefined ? 'ignore' : 'pipe', 'pipe']
  })
  // Settles with the gate's error, if any: it is thrown once the child (killed then) has closed.
  const opened = gate === undefined ? Promise.resolve(undefined) : openGate(child, gate).catch((error: unknown) => error)
  const copied = stdoutTo === undefined || child.stdout === null
    ? Promise.resolve()
    : once(child.stdout.pipe(createWriteStream(stdoutTo)), 'finish')
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  let exitedAt = 0
  child.once('exit', () => { exitedAt = Number(process.hrtime.bigint()) })
  const [code, signal] = await once(child, 'close') as [number | null, NodeJS.Signals | null]
  await copied
  const gateError = await opened
  if (gateError !== undefined) throw new Error(`scenario ${program}: ${(gateError as Error).message}\n${stderr}`)
  if (code !== 0 || stderr !== '') {
    throw new Error(`scenario ${program} failed (exit ${code ?? signal}):\n${stderr}`)
  }
  return { exitedAt, report: JSON.parse(readFileSync(config.report, 'utf8')) }
}

/** Waits for the scenario's `ready` on its stdout, runs the gate, then says `go` on its stdin. */
async function openGate (child: ChildProcess, gate: ScenarioGate): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let said = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      said += chunk
      if (said.includes('ready\n')) resolve()
    })
    child.once('close', () => reject(new Error('the scenario ended before it was ready')))
  })
  try {
    await gate.whenReady(child.pid as number)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  // A scenario that died meanwhile closed its stdin: its exit is reported, not an EPIPE.
  child.stdin?.on('error', () => {}).end('go\n')
}

/** Runs every contender `times` times, round-robin, so that drift on a noisy machine hits all alike. */
export async function roundRobin<C extends string, T> (times: number, contenders: readonly C[], run: (contender: C) => Promise<T>):
  Promise<Map<C, T[]>> {
  const results = new Map(contenders.map((contender) => [contender, [] as T[]]))
  for (let round = 0; round < times; round++) {
    for (const contender of contenders) results.get(contender)?.push(await run(contender))
  }
  return results
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
