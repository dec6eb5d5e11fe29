import { spawn } from 'node:child_process'
import { once } from 'node:events'

export interface ProcessResult {
  pid: number | undefined
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Written to stdin, which is then closed. */
  input?: string
  /** Kills the program when aborted: pass a test's `t.signal` so that a timed-out test leaves nothing running. */
  signal?: AbortSignal
}

// What a spawned program may inherit from the test process: enough to find node and a temporary
// directory. Anything else (THREADLOG_HUB of a hub the test process started, FORCE_COLOR, CI…)
// would make a fixture's outcome depend on where the suite runs.
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'SYSTEMROOT'] as const

/** A minimal environment for a spawned program: the few inherited variables, plus `extra`. */
export function minimalEnv (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const key of INHERITED) if (process.env[key] !== undefined) env[key] = process.env[key]
  return { ...env, ...extra }
}

/** Runs a program to its end, collecting its output, and resolves when it has closed. */
export async function runProcess (command: string, args: string[], { cwd, env = minimalEnv(), input = '', signal: abort }: RunOptions = {}): Promise<ProcessResult> {
  // SIGKILL on abort: a program whose main thread spins, or whose exit flush waits, would outlive a
  // timed-out test if sent SIGTERM (threadlog handles it by flushing).
  const child = spawn(command, args, { cwd, env, stdio: 'pipe', ...(abort === undefined ? {} : { signal: abort, killSignal: 'SIGKILL' }) })
  child.on('error', () => {}) // an abort kills the program: 'close' still follows
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.on('error', () => {}) // a program may exit without reading its input
  child.stdin.end(input)
  const [code, signal] = await once(child, 'close') as [number | null, NodeJS.Signals | null]
  return { pid: child.pid, code, signal, stdout, stderr }
}
