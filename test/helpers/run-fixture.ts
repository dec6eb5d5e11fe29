import { fileURLToPath } from 'node:url'
import { HUB_THREAD, parseNdjson } from './read-records.ts'
import { minimalEnv, runProcess } from './run-process.ts'

export interface FixtureResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout parsed as NDJSON, one record per line. */
  records: () => Array<Record<string, unknown>>
  /** The records the application logged: all but the hub's own lifecycle records. */
  appRecords: () => Array<Record<string, unknown>>
}

export { HUB_THREAD } from './read-records.ts'

/** Path of a program in test/fixtures. */
export function fixturePath (name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))
}

/** Runs a fixture program in a child process with the same Node and waits for it to exit. */
export async function runFixture (name: string, args: string[] = [], env: NodeJS.ProcessEnv = {},
  abort?: AbortSignal): Promise<FixtureResult> {
  const { code, signal, stdout, stderr } = await runProcess(process.execPath, [fixturePath(name), ...args], {
    env: minimalEnv(env), ...(abort === undefined ? {} : { signal: abort })
  })
  const records = () => parseNdjson(stdout)
  return { code, signal, stdout, stderr, records, appRecords: () => records().filter((r) => r.thread !== HUB_THREAD) }
}
