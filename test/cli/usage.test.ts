import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { BIN, cliEnv, fixture, runCli } from '../helpers/run-cli.ts'

const TRY = "Try 'threadlog --help' for more information.\n"

/** Runs the CLI with `args`, expecting a usage error: exit code 2, nothing on stdout, this message. */
async function assertUsageError (args: string[], message: string): Promise<void> {
  const result = await runCli(args, { NO_COLOR: '1' }, '{"msg":"m"}\n')
  assert.deepEqual(result, { code: 2, stdout: '', stderr: `threadlog: ${message}\n${TRY}` }, args.join(' '))
}

test('bad values of the selecting options exit 2, naming the option and quoting the value', async () => {
  await assertUsageError(['--level', 'loud'], "option '--level' needs a level (trace, debug, info, warn, error, fatal or a number), got 'loud'")
  await assertUsageError(['--pid', 'x'], "option '--pid' needs a process id, got 'x'")
  await assertUsageError(['--thread', '{a'], `option '--thread': bad pattern '{a': it can match nothing (an unclosed "{", "[" or a trailing "\\"?)`)
  await assertUsageError(['--where', 'a.=x'], "option '--where' needs <path>=<glob> or <path>!=<glob> (path: keys between dots), got 'a.=x'")
  await assertUsageError(['--since', 'yesterday'], "option '--since' needs an ISO time (2026-12-07T10:00:00Z) or a duration ago (30s, 5m, 2h, 1d), got 'yesterday'")
  await assertUsageError(['--grep', '('], "option '--grep': Invalid regular expression: /(/: Unterminated group")
  await assertUsageError(['-A', 'x'], "option '-A' needs a number of lines, got 'x'")
})

test('a bad --filter is refused with the directive parser\'s message, quoting the bad term', async () => {
  await assertUsageError(['--filter', 'info,bogus'], 'option \'--filter\': bad term "bogus": unknown level "bogus"; expected one of trace, debug, info, warn, error, fatal, silent')
  await assertUsageError(['--filter', 'thread:=debug'], 'option \'--filter\': bad term "thread:=debug": no pattern after "thread:"; expected thread:<glob>')
})

test('an option without its value exits 2', async () => {
  await assertUsageError(['--level'], "option '--level' needs a level")
  await assertUsageError(['--thread', '--level', 'warn'], "option '--thread' needs a thread name or id")
})

test('options that exclude each other exit 2', async () => {
  await assertUsageError(['--stats', '--group'], "option '--stats' prints a table: it takes no '--group' nor context lines")
  await assertUsageError(['--group', '-C', '1'], "option '--group' takes no context lines")
  await assertUsageError(['--follow'], "option '--follow' needs a file, not standard input")
  await assertUsageError(['--follow', 'a', 'b'], "option '--follow' needs exactly one file")
})

test('exit codes as grep: 0 selected, 1 none, 2 an unreadable file even when others matched', async () => {
  assert.equal((await runCli(['--thread', '3', fixture('threads.ndjson')], { NO_COLOR: '1' })).code, 0)
  assert.equal((await runCli(['--thread', '7', fixture('threads.ndjson')], { NO_COLOR: '1' })).code, 1)
  const missing = fixture('missing.ndjson')
  const result = await runCli(['--thread', '3', '-o', 'ndjson', missing, fixture('threads.ndjson')], { NO_COLOR: '1' })
  assert.deepEqual([result.code, result.stdout.split('\n').length - 1, result.stderr], [2, 3, `threadlog: ${missing}: no such file or directory\n`])
})

test('completion: an unknown shell exits 2', async () => {
  await assertUsageError(['completion', 'fish'], "completion needs one shell, bash or zsh, got 'fish'")
})

const EMPTY_DIR = mkdtempSync(join(tmpdir(), 'threadlog-completion-'))
after(() => rmSync(EMPTY_DIR, { recursive: true }))

/** Completes the words in bash with the script the CLI prints, and returns the candidates. */
function completeInBash (words: string[]): string[] {
  const script = `source <("${process.execPath}" "${BIN}" completion bash)
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _threadlog; printf '%s\\n' "\${COMPREPLY[@]}"`
  // In an empty directory: file names never join the candidates.
  return execFileSync('bash', ['-c', script], { cwd: EMPTY_DIR, env: cliEnv({ NO_COLOR: '1' }), encoding: 'utf8' }).split('\n').filter(Boolean)
}

test('bash completion completes options and the values of --level and --output', () => {
  assert.deepEqual(completeInBash(['threadlog', '--lev']), ['--level'])
  assert.deepEqual(completeInBash(['threadlog', '--level', 'w']), ['warn'])
  assert.deepEqual(completeInBash(['threadlog', '-o', '']), ['pretty', 'ndjson'])
  assert.deepEqual(completeInBash(['threadlog', '--no-c']), ['--no-color'])
})

test('bash completion completes the subcommands, and the options of ps and attach', () => {
  assert.deepEqual(completeInBash(['threadlog', 'at']), ['attach'])
  assert.deepEqual(completeInBash(['threadlog', 's']), ['set'])
  assert.deepEqual(completeInBash(['threadlog', 'ps', '--j']), ['--json'])
  assert.deepEqual(completeInBash(['threadlog', 'attach', 'api', '--s']), ['--since', '--set'])
  assert.deepEqual(completeInBash(['threadlog', 'attach', 'api', '--set', '']), [])
  // attach reads no files and never ends: no --follow, --group nor --stats.
  assert.deepEqual(completeInBash(['threadlog', 'attach', 'api', '--f']), ['--format', '--filter'])
  assert.deepEqual(completeInBash(['threadlog', 'attach', 'api', '--g']), ['--grep'])
})

test('the zsh completion script is valid zsh', (t) => {
  let zsh = true
  try { execFileSync('zsh', ['-c', 'true']) } catch { zsh = false }
  // CI installs zsh (.ci/run), so there the test never skips.
  if (!zsh && process.env.CI === undefined) return t.skip('zsh is not installed')
  const script = execFileSync(process.execPath, [BIN, 'completion', 'zsh'], { env: cliEnv({ NO_COLOR: '1' }), encoding: 'utf8' })
  execFileSync('zsh', ['-n'], { input: script })
})
