import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { ATTACH_PROTOCOL_VERSION, FrameType } from '../../src/tree/frames.ts'
import { RawClient, liveEnv, ps, socketOf, startCli, startService, waitForStatus } from '../helpers/live-service.ts'
import { parseNdjson } from '../helpers/read-records.ts'

const DEBUG = 20
const TIMEOUT = { timeout: 60_000 }
const fromThread = (thread: string) => (record: Record<string, unknown>) => record.thread === thread

test('attach streams the records of a worker thread and of a child process; Ctrl-C detaches', TIMEOUT, async (t) => {
  const env = liveEnv(t)
  const service = await startService(t, env)
  const cli = startCli(t, ['attach', String(service.pid), '-o', 'ndjson'], env)
  const [worker, child] = await Promise.all([
    cli.waitForRecord((record) => record.thread === 'resize-1' && record.msg === 'tick'),
    cli.waitForRecord((record) => record.proc === 'child' && record.msg === 'tick')
  ])
  assert.deepEqual({ pid: worker.pid, proc: worker.proc }, { pid: service.pid, proc: 'live-service' })
  assert.notEqual(child.pid, service.pid)
  cli.child.kill('SIGINT')
  assert.equal(await cli.closed, 0)
  assert.match(cli.stderr(), new RegExp(`^threadlog: attached to live-service \\(pid ${service.pid}\\); Ctrl-C detaches\n`))
  assert.match(cli.stderr(), new RegExp(`threadlog: detached from live-service \\(pid ${service.pid}\\)\n$`))
  await service.stop()
})

test("attach selects with the CLI's options and prints pretty lines: --thread resize-2 shows that thread only", TIMEOUT, async (t) => {
  const env = liveEnv(t)
  const service = await startService(t, env)
  const cli = startCli(t, ['attach', 'live-service', '--thread', 'resize-2'], env)
  // Pretty lines are not records: wait for the third one.
  while (cli.stdout().split('\n').length < 4) await new Promise((resolve) => cli.child.stdout.once('data', resolve))
  cli.child.kill('SIGINT')
  assert.equal(await cli.closed, 0)
  const lines = cli.stdout().trimEnd().split('\n')
  for (const line of lines) {
    assert.match(line, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  p\\[live-service:${service.pid}\\] t\\[resize-2:\\d+\\] tick  n=\\d+$`))
  }
  await service.stop()
})

test('--set raises one thread to debug while attached; detaching puts the tree filter back', TIMEOUT, async (t) => {
  const env = liveEnv(t)
  const service = await startService(t, env)
  const cli = startCli(t, ['attach', String(service.pid), '--set', 'thread:resize-1=debug', '-o', 'ndjson'], env)
  await cli.waitForRecord((record) => record.level === DEBUG)
  await cli.waitForRecord((record) => record.level === DEBUG && record.msg === 'detail' && (record.n as number) > 0)
  // Only resize-1 was raised: main, resize-2 and the child go on at info.
  const tickOfOthers = await cli.waitForRecord((record) => record.thread === 'resize-2' && record.msg === 'tick')
  assert.equal((await ps(env))[0]?.filter, 'thread:resize-1=debug')
  cli.child.kill('SIGINT')
  assert.equal(await cli.closed, 0)
  const debug = cli.records.filter((record) => record.level === DEBUG)
  assert.deepEqual([...new Set(debug.map((record) => record.thread))], ['resize-1'])
  assert.ok(tickOfOthers.n as number > 0)
  assert.match(cli.stderr(), /with filter 'thread:resize-1=debug'; Ctrl-C detaches/)
  const status = await waitForStatus(socketOf(env, service.pid), (s) => s.filter === '')
  assert.equal(status.clients, 0)
  await service.stop()
})

test('a client killed with SIGKILL while its --set is in force: the hub notices and puts the filter back', TIMEOUT, async (t) => {
  const env = liveEnv(t)
  const service = await startService(t, env)
  const cli = startCli(t, ['attach', String(service.pid), '--set', 'debug', '-o', 'ndjson'], env)
  await cli.waitForRecord((record) => record.level === DEBUG && record.proc === 'child')
  cli.child.kill('SIGKILL')
  await cli.closed
  const status = await waitForStatus(socketOf(env, service.pid), (s) => s.filter === '')
  assert.deepEqual({ filter: status.filter, clients: status.clients }, { filter: '', clients: 0 })
  // From now on nothing logs debug: a new client sees ticks of every thread, and no debug after them.
  const after = startCli(t, ['attach', String(service.pid), '-o', 'ndjson'], env)
  const firstTicks = await Promise.all(['main', 'resize-1', 'resize-2'].map(async (thread) =>
    await after.waitForRecord((record) => record.thread === thread && record.proc === 'live-service' && record.msg === 'tick')))
  await Promise.all(['main', 'resize-1', 'resize-2'].map(async (thread, index) =>
    await after.waitForRecord((record) => record.thread === thread && (record.n as number) > (firstTicks[index]?.n as number) + 2)))
  after.child.kill('SIGINT')
  await after.closed
  // A thread logs `tick` n and `detail` n together: a debug record after a thread's first tick seen here was made after the restore.
  const lateDebug = after.records.filter((record) => record.level === DEBUG && record.proc === 'live-service' &&
    (record.n as number) > (firstTicks.find((tick) => tick.thread === record.thread)?.n as number))
  assert.deepEqual(lateDebug, [])
  await service.stop()
})

test('two clients at once each get the records; one detaching leaves the other attached', TIMEOUT, async (t) => {
  const env = liveEnv(t)
  const service = await startService(t, env)
  const [one, two] = [startCli(t, ['attach', 'live-service', '-o', 'ndjson'], env), startCli(t, ['attach', 'live-service', '-o', 'ndjson'], env)]
  // Each attached at its own moment: from the later one's first record on, both get every one.
  const firsts = await Promise.all([one, two].map(async (cli) => await cli.waitForRecord(fromThread('resize-2'))))
  const firstOfTwo = { n: Math.max(...firsts.map((record) => record.n as number)) + 1 }
  await Promise.all([one, two].map(async (cli) => await cli.waitForRecord((record) => record.thread === 'resize-2' && record.n === firstOfTwo.n)))
  assert.equal((await waitForStatus(socketOf(env, service.pid), (s) => s.clients === 2)).clients, 2)
  one.child.kill('SIGINT')
  assert.equal(await one.closed, 0)
  await two.waitForRecord((record) => record.thread === 'resize-2' && (record.n as number) > (firstOfTwo.n as number) + 3)
  two.child.kill('SIGINT')
  assert.equal(await two.closed, 0)
  await service.stop()
})

for (const toTargets of [false, true]) {
  test(`records only --set raises ${toTargets ? 'also reach' : 'do not reach'} the service's own targets${toTargets ? ' with --to-targets' : ''}`, TIMEOUT, async (t) => {
    const env = liveEnv(t)
    const out = join(env.XDG_RUNTIME_DIR as string, 'service.ndjson')
    env.OUT = out
    const service = await startService(t, env)
    const cli = startCli(t, ['attach', String(service.pid), '--set', 'thread:resize-2=debug', ...(toTargets ? ['--to-targets'] : []), '-o', 'ndjson'], env)
    const raised = await cli.waitForRecord((record) => record.level === DEBUG)
    await cli.waitForRecord((record) => record.level === DEBUG && (record.n as number) >= (raised.n as number) + 3)
    cli.child.kill('SIGINT')
    await cli.closed
    await service.burst(1) // written once the service's flush resolves: the file holds what came before
    const written = readFileSync(out, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    const debug = written.filter((record) => record.level === DEBUG)
    if (toTargets) assert.ok(debug.some((record) => record.n === raised.n && record.thread === 'resize-2'), 'the raised records are in the file')
    else assert.deepEqual(debug, [])
    await service.stop()
  })
}

test("attach selects a root thread by the thread that logged a record (its ring's names), and by the records' names where its loggers stamp several", TIMEOUT, async (t) => {
  const env = { ...liveEnv(t), SHAPES: '1' }
  const service = await startService(t, env)
  // resize-2's `shadowed` records say thread "decoy" too: they are still that thread's.
  const shadowed = startCli(t, ['attach', String(service.pid), '--thread', 'resize-2', '-o', 'ndjson'], env)
  // resize-1's ring carries two names: the hub leaves the name to the records' fields.
  const aux = startCli(t, ['attach', String(service.pid), '--thread', 'resize-1-aux', '-o', 'ndjson'], env)
  // resize-2's logger names its process: its ring is that process name's, not the root's.
  const billing = startCli(t, ['attach', String(service.pid), '--proc', 'billing', '-o', 'ndjson'], env)
  const [decoy, auxTick, billed] = await Promise.all([
    shadowed.waitForRecord((record) => record.msg === 'shadowed'),
    aux.waitForRecord((record) => record.msg === 'aux tick'),
    billing.waitForRecord((record) => record.msg === 'tick')
  ])
  assert.equal(decoy.thread, 'decoy')
  assert.equal(auxTick.thread, 'resize-1-aux')
  assert.deepEqual({ proc: billed.proc, tid: billed.tid }, { proc: 'billing', tid: decoy.tid })
  for (const cli of [shadowed, aux, billing]) cli.child.kill('SIGINT')
  assert.deepEqual(await Promise.all([shadowed.closed, aux.closed, billing.closed]), [0, 0, 0])
  assert.deepEqual([...new Set(aux.records.map((record) => record.thread))], ['resize-1-aux'])
  assert.deepEqual([...new Set(shadowed.records.map((record) => record.tid))], [decoy.tid])
  await service.stop()
})

test("the hub sends a client only the records its selecting options may pass; a bad selection is refused", TIMEOUT, async (t) => {
  const env = liveEnv(t)
  const service = await startService(t, env)
  // A root thread's records come selected by the thread's ring (SELECTED); a child's are sent as
  // RECORDS, for the client to decide on their fields.
  const receive = async (select: Record<string, string>) => {
    const client = new RawClient(socketOf(env, service.pid))
    client.send(FrameType.ATTACH, { v: ATTACH_PROTOCOL_VERSION, stream: true, select })
    assert.equal((await client.next())?.type, FrameType.ATTACHED)
    const received = new Map<number, Array<Record<string, unknown>>>()
    let count = 0
    while (count < 20) {
      const frame = await client.next()
      if (frame?.type !== FrameType.RECORDS && frame?.type !== FrameType.SELECTED) continue
      const records = parseNdjson(frame.payload.toString('utf8'))
      received.set(frame.type, [...received.get(frame.type) ?? [], ...records])
      count += records.length
    }
    client.socket.destroy()
    const sources = (type: number) => [...new Set((received.get(type) ?? []).map((record) => `${record.proc as string}/${record.thread as string}`))]
    return { selected: sources(FrameType.SELECTED), records: sources(FrameType.RECORDS) }
  }
  assert.deepEqual(await receive({ thread: 'resize-2', level: 'info' }), { selected: ['live-service/resize-2'], records: [] })
  assert.deepEqual(await receive({ proc: 'child' }), { selected: [], records: ['child/main'] })
  const bad = new RawClient(socketOf(env, service.pid))
  bad.send(FrameType.ATTACH, { v: ATTACH_PROTOCOL_VERSION, stream: true, select: { level: 'loud' } })
  const refused = await bad.next()
  assert.equal(refused?.type, FrameType.REFUSED)
  assert.match(refused.payload.toString('utf8'), /^ATTACH selection: option '--level' needs a level/)
  await service.stop()
})
