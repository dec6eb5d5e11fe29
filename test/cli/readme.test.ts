import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { BIN, ROOT, cliEnv, fixture } from '../helpers/run-cli.ts'
import { tempFile } from '../helpers/temp-file.ts'

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const SECTION = README.slice(README.indexOf("## Finding a thread's story: the CLI"), README.indexOf('## Examples'))

/** The contents of the section's fenced blocks of one language. */
function blocks (language: string): string[] {
  return [...SECTION.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1] as string)
}

// A directory with app.log, and a `threadlog` on PATH that runs the real bin from its sources.
function workspace (): { dir: string, env: NodeJS.ProcessEnv } {
  const dir = tempFile('readme')
  mkdirSync(join(dir, 'bin'), { recursive: true })
  copyFileSync(fixture('threads.ndjson'), join(dir, 'app.log'))
  const wrapper = join(dir, 'bin', 'threadlog')
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(wrapper, 0o755)
  const env = cliEnv({ NO_COLOR: '1' })
  return { dir, env: { ...env, PATH: `${join(dir, 'bin')}:${env.PATH ?? ''}` } }
}

function runShell (command: string, dir: string, env: NodeJS.ProcessEnv): string {
  return execFileSync('bash', ['-o', 'pipefail', '-c', command], { cwd: dir, env, encoding: 'utf8' })
}

test('every command of the CLI section runs as written and exits 0', () => {
  const { dir, env } = workspace()
  const commands = (blocks('sh')[0] ?? '').split('\n').filter((line) => line.startsWith('threadlog'))
  assert.equal(commands.length, 8)
  for (const command of commands) {
    assert.notEqual(runShell(command, dir, env), '', command)
  }
})

test('the outputs shown in the CLI section are what the commands print', () => {
  const { dir, env } = workspace()
  const transcript = blocks('console')[0] ?? ''
  const runs = transcript.split(/^\$ /m).filter(Boolean)
  assert.equal(runs.length, 2)
  for (const run of runs) {
    const [command = '', ...output] = run.split('\n')
    assert.equal(runShell(command, dir, env), output.join('\n'), command)
  }
})
