import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chownSync, existsSync, mkdirSync, watch, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fixturePath } from '../helpers/run-fixture.ts'
import { liveEnv, ps, runLiveCli, startService } from '../helpers/live-service.ts'

const TIMEOUT = { timeout: 60_000 }
const LEVELS = 'expected one of trace, debug, info, warn, error, fatal, silent'
const TRY = (command: string) => `Try 'threadlog ${command} --help' for more information.\n`

function registryOf (env: NodeJS.ProcessEnv): string {
  return join(env.XDG_RUNTIME_DIR as string, 'threadlog')
}

test('ps lists a running tree: its root, 2 processes, 4 threads, nothing dropped or lost, its socket', TIMEOUT, async (t) => {
  const env = liveEnv(t)
  const service = await startService(t, env)
  const [tree] = await ps(env)
  assert.ok(tree !== undefined)
  const { uptimeMs = 0, startedAt = 0, recordsPerSecond = -1, written = 0, ...fixed } = tree as Record<string, number>
  assert.deepEqual(fixed, {
    pid: service.pid, proc: 'live-service', processes: 2, threads: 4, dropped: 0, lost: 0,
    socket: join(registryOf(env), `${service.pid}.sock`), filter: '', clients: 0, refusedClients: 0
  })
  assert.ok(uptimeMs > 0 && startedAt <= Date.now() && written > 0 && recordsPerSecond >= 0)
  const table = await runLiveCli(['ps'], env)
  assert.equal(table.code, 0)
  const [header, row, ...rest] = table.stdout.split('\n')
  assert.match(header ?? '', /^PID +PROC +UPTIME +PROCS +THREADS +REC\/S +DROPPED +LOST +FILTER +SOCKET$/)
  assert.match(row ?? '', new RegExp(`^${service.pid} +live-service +\\d+s +2 +4 +\\d+ +0 +0 +- +${registryOf(env)}/${service.pid}\\.sock$`))
  assert.deepEqual(rest, [''])
  await service.stop()
  assert.deepEqual(await ps(env), [])
})

test('ps with no registry prints the header only', async (t) => {
  const env = liveEnv(t)
  const { code, stdout, stderr } = await runLiveCli(['ps'], env)
  assert.deepEqual({ code, stdout: stdout.split(/ +/).join(' '), stderr }, { code: 0, stdout: 'PID PROC UPTIME PROCS THREADS REC/S DROPPED LOST FILTER SOCKET\n', stderr: '' })
})

test('stale entries are not listed and are removed: a process that is gone, a live pid with no hub on its socket', async (t) => {
  const env = liveEnv(t)
  const dir = registryOf(env)
  mkdirSync(dir, { mode: 0o700 })
  const gone = spawn(process.execPath, ['-e', ''])
  await once(gone, 'close')
  // This test's own pid: alive, but no hub listens on the socket its entry names.
  for (const pid of [gone.pid as number, process.pid]) {
    writeFileSync(join(dir, `${pid}.json`), JSON.stringify({ v: 1, pid, proc: 'stale', startedAt: 0, socket: join(dir, `${pid}.sock`) }), { mode: 0o600 })
  }
  assert.deepEqual(await ps(env), [])
  assert.deepEqual([existsSync(join(dir, `${gone.pid}.json`)), existsSync(join(dir, `${process.pid}.json`))], [false, false])
})

test("a registry directory of another user is not read: ps says whose it is and exits 2", { skip: process.getuid?.() !== 0 && 'needs root to give a directory to another user' }, async (t) => {
  const env = liveEnv(t)
  const dir = registryOf(env)
  mkdirSync(dir, { mode: 0o700 })
  chownSync(dir, 65534, 65534)
  const { code, stdout, stderr } = await runLiveCli(['ps'], env)
  assert.deepEqual({ code, stdout, stderr }, { code: 2, stdout: '', stderr: `threadlog: not reading the registry: ${dir} belongs to uid 65534, not to this user (0)\n` })
  const attach = await runLiveCli(['attach', '1'], env)
  assert.deepEqual({ code: attach.code, stderr: attach.stderr }, { code: 2, stderr: `threadlog: not reading the registry: ${dir} belongs to uid 65534, not to this user (0)\n` })
})

test('an entry whose socket is not in the registry is refused, not connected to', async (t) => {
  const env = liveEnv(t)
  const dir = registryOf(env)
  mkdirSync(dir, { mode: 0o700 })
  writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ v: 1, pid: process.pid, proc: 'planted', startedAt: 0, socket: '/tmp/elsewhere.sock' }), { mode: 0o600 })
  const { code, stderr } = await runLiveCli(['attach', 'planted'], env)
  assert.deepEqual({ code, stderr }, { code: 2, stderr: `threadlog: process ${process.pid}: its socket /tmp/elsewhere.sock is not in the registry\n` })
})

test('a root whose main thread writes its own records (no hub yet) is listed within a second all the same', TIMEOUT, async (t) => {
  const env = liveEnv(t, { FLUSH: 'no' })
  const dir = registryOf(env)
  mkdirSync(dir, { mode: 0o700 })
  const watcher = watch(dir)
  t.after(() => watcher.close())
  const child = spawn(process.execPath, [fixturePath('live-registered.ts')], { env, stdio: ['pipe', 'ignore', 'pipe'] })
  t.after(() => child.kill('SIGKILL'))
  const entry = `${child.pid}.json`
  for await (const [, name] of on(watcher)) if (name === entry && existsSync(join(dir, entry))) break
  const [tree] = await ps(env)
  assert.deepEqual({ pid: tree?.pid, proc: tree?.proc, threads: tree?.threads }, { pid: child.pid, proc: 'registered', threads: 1 })
  child.stdin.end()
  await once(child, 'close')
})

for (const [what, args, message] of [
  ['no tree named so', ['attach', 'nothing-runs'], 'threadlog: no running threadlog process tree is named nothing-runs (see threadlog ps)\n'],
  ['no tree of that pid', ['set', '999999', 'debug'], 'threadlog: no running threadlog process tree is pid 999999 (see threadlog ps)\n'],
  ['bad directives', ['set', '1', 'thread:x=loud'], `threadlog: set's directives: bad term "thread:x=loud": unknown level "loud"; ${LEVELS}\n${TRY('set')}`],
  ['a bad --set', ['attach', '1', '--set', 'verbose'], `threadlog: option '--set': bad term "verbose": unknown level "verbose"; ${LEVELS}\n${TRY('attach')}`],
  ['an unknown option', ['ps', '--all'], `threadlog: unknown option '--all'\n${TRY('ps')}`]
] as const) {
  test(`live commands exit 2 with one line for ${what}`, async (t) => {
    const { code, stdout, stderr } = await runLiveCli([...args], liveEnv(t))
    assert.equal(code, 2)
    assert.equal(stdout, '')
    assert.equal(stderr, message)
  })
}

async function * on (watcher: ReturnType<typeof watch>): AsyncGenerator<[string, string | null]> {
  for (;;) yield (await once(watcher, 'change')) as [string, string | null]
}
