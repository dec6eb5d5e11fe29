import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { TestContext } from 'node:test'
import { fixturePath } from './run-fixture.ts'
import { minimalEnv } from './run-process.ts'

export interface Commanded {
  /** Sends one command to test/fixtures/syslog-on-command.ts; resolves once its records are handed to the target. */
  readonly send: (command: Record<string, unknown>) => Promise<void>
  /** Resolves once the program has written `text` to its stderr (where the target reports outages). */
  readonly stderrIncludes: (text: string) => Promise<void>
  /** Ends its stdin, which ends it; resolves with its exit code and stderr. */
  readonly finish: () => Promise<{ code: number | null, stderr: string }>
}

/** Starts test/fixtures/syslog-on-command.ts with these syslog target options; killed after the test if still running. */
export async function startCommanded (t: TestContext, options: Record<string, unknown>): Promise<Commanded> {
  const child = spawn(process.execPath, [fixturePath('syslog-on-command.ts')], {
    env: minimalEnv({ SYSLOG_OPTIONS: JSON.stringify(options) }), stdio: 'pipe'
  })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill() })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const stderrEnded = once(child.stderr, 'end')
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  let sent = 0
  return {
    send: async (command) => {
      child.stdin.write(JSON.stringify(command) + '\n')
      const { value, done } = await answers.next()
      if (done === true || value !== `logged ${++sent}`) throw new Error(`the program answered ${String(value)}; stderr:\n${stderr}`)
    },
    stderrIncludes: async (text) => {
      while (!stderr.includes(text)) {
        const [event] = await Promise.race([once(child.stderr, 'data').then(() => ['data']), stderrEnded.then(() => ['end'])])
        if (event === 'end' && !stderr.includes(text)) throw new Error(`the program ended without writing ${JSON.stringify(text)}:\n${stderr}`)
      }
    },
    finish: async () => {
      child.stdin.end()
      const [code] = await once(child, 'close') as [number | null]
      return { code, stderr }
    }
  }
}
