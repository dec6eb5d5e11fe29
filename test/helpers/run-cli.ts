import { join } from 'node:path'
import { minimalEnv, runProcess } from './run-process.ts'

/** The repository's root. */
export const ROOT = join(import.meta.dirname, '..', '..')
/** The real bin, run from its sources. */
export const BIN = join(ROOT, 'src', 'cli', 'main.ts')

/** A file of test/fixtures/cli. */
export const fixture = (name: string): string => join(ROOT, 'test', 'fixtures', 'cli', name)

/** Exactly one of NO_COLOR / FORCE_COLOR, or neither: what the test means, and nothing inherited. */
export type ColorEnv = { NO_COLOR: string } | { FORCE_COLOR: string } | Record<string, never>

/** What the CLI did. */
export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** The environment says exactly what the test means: one of NO_COLOR/FORCE_COLOR (or neither), TZ=UTC. */
export function cliEnv (colorEnv: ColorEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = minimalEnv({ TZ: 'UTC', ...colorEnv })
  for (const key of ['NO_COLOR', 'FORCE_COLOR', 'TERM', 'COLORTERM']) {
    if (!(key in colorEnv)) delete env[key]
  }
  return env
}

/** Runs the real bin in a child process, feeding `input` on stdin, and waits for it to close. */
export async function runCli (args: string[], colorEnv: ColorEnv, input = ''): Promise<CliResult> {
  const { code, stdout, stderr } = await runProcess(process.execPath, [BIN, ...args], { env: cliEnv(colorEnv), input })
  return { code, stdout, stderr }
}
