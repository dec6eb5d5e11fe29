// A client never holds up the service: slow, broken, stalled or flooding clients against a real hub.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { ATTACH_PROTOCOL_VERSION, FrameType, encodeFrame } from '../../src/tree/frames.ts'
import { RawClient, liveEnv, socketOf, startCli, startService, waitForStatus } from '../helpers/live-service.ts'

const TIMEOUT = { timeout: 120_000 }
const BURST = 20_000

function quietService (t: Parameters<typeof liveEnv>[0]) {
  const env = liveEnv(t, { TICK_MS: '0' })
  const out = join(env.XDG_RUNTIME_DIR as string, 'service.ndjson')
  env.OUT = out
  const burstsInFile = () => readFileSync(out, 'utf8').trimEnd().split('\n').filter((line) => line.includes('"msg":"burst"')).length
  return { env, burstsInFile }
}

test('a client that stops reading misses records, is told how many, and the service writes every one', TIMEOUT, async (t) => {
  const { env, burstsInFile } = quietService(t)
  const service = await startService(t, env)
  const client = new RawClient(socketOf(env, service.pid))
  client.send(FrameType.ATTACH, { v: ATTACH_PROTOCOL_VERSION, stream: true })
  assert.equal((await client.next())?.type, FrameType.ATTACHED)
  client.socket.pause()
  // 20 000 records of ~1 KB: many times the 4 MiB the hub keeps for a client.
  await service.burst(BURST)
  assert.equal(burstsInFile(), BURST)
  client.socket.resume()
  let received = 0
  let missed = 0
  while (received + missed < BURST) {
    const frame = await client.next()
    assert.ok(frame !== undefined, `the hub closed the connection after ${received} received, ${missed} missed`)
    if (frame.type === FrameType.RECORDS) received += frame.payload.toString('utf8').split('\n').length - 1
    else if (frame.type === FrameType.MISSED) missed += (JSON.parse(frame.payload.toString('utf8')) as { records: number }).records
  }
  assert.equal(received + missed, BURST)
  assert.ok(missed > 0 && received > 0, `received ${received}, missed ${missed}`)
  const status = await waitForStatus(socketOf(env, service.pid), () => true)
  assert.deepEqual({ dropped: status.dropped, lost: status.lost, clients: status.clients }, { dropped: 0, lost: 0, clients: 1 })
  client.socket.destroy()
  await service.stop()
})

test('a service that ends says so last: a client that read everything ends quietly', TIMEOUT, async (t) => {
  const { env } = quietService(t)
  const service = await startService(t, env)
  const cli = startCli(t, ['attach', String(service.pid), '-o', 'ndjson'], env)
  await cli.waitForStderr('Ctrl-C detaches\n')
  await service.burst(100)
  await service.stop()
  assert.equal(await cli.closed, 0)
  assert.equal(cli.records.filter((record) => record.msg === 'burst').length, 100)
  assert.match(cli.stderr(), new RegExp(`\nthreadlog: live-service \\(pid ${service.pid}\\) ended\n$`))
})

test('a client stopped while the service ends is told, once it runs again, that the records held for it are lost', TIMEOUT, async (t) => {
  const { env, burstsInFile } = quietService(t)
  const service = await startService(t, env)
  const cli = startCli(t, ['attach', String(service.pid), '-o', 'ndjson'], env)
  await cli.waitForStderr('Ctrl-C detaches\n')
  process.kill(cli.child.pid as number, 'SIGSTOP')
  // Far more than the socket, the hub's 4 MiB for the client and the pipes hold: the hub has records
  // queued for it when the service exits.
  await service.burst(BURST)
  await service.stop()
  assert.equal(burstsInFile(), BURST)
  process.kill(cli.child.pid as number, 'SIGCONT')
  assert.equal(await cli.closed, 0)
  const received = cli.records.filter((record) => record.msg === 'burst').length
  assert.ok(received < BURST, `received ${received}`)
  assert.match(cli.stderr(), new RegExp(`\nthreadlog: live-service \\(pid ${service.pid}\\) ended without saying it had sent everything: ` +
    'records it still held for this client are lost\n$'))
})

for (const [what, bytes, reason] of [
  ['garbage', Buffer.from('GET / HTTP/1.1\r\n\r\n'), /^unknown frame type /],
  ['a frame larger than a client may send', Buffer.from([0x00, 0x10, 0x00, 0x00, FrameType.ATTACH]), /^frame of 1048576 bytes exceeds 65536$/],
  ['an ATTACH that is not JSON', Buffer.concat([Buffer.from([0, 0, 0, 3, FrameType.ATTACH]), Buffer.from('{{{')]), /^ATTACH frame is not JSON$/],
  ['a frame the hub sends, not a client', Buffer.concat([Buffer.from([0, 0, 0, 2, FrameType.RECORDS]), Buffer.from('{\n')]), /^unexpected frame type 2$/],
  ['an ATTACH of another protocol version', encodeFrame(FrameType.ATTACH, JSON.stringify({ v: ATTACH_PROTOCOL_VERSION - 1, stream: true })),
    new RegExp(`^speaks attach protocol ${ATTACH_PROTOCOL_VERSION - 1}, this hub ${ATTACH_PROTOCOL_VERSION}$`)],
  ['half a frame, then nothing', Buffer.from([0, 0, 0, 40, FrameType.ATTACH, 0x7b]), /^(said nothing|stalled in the middle of a frame)$/]
] as const) {
  test(`a client sending ${what} is refused, disconnected and counted; the service loses nothing`, TIMEOUT, async (t) => {
    const { env, burstsInFile } = quietService(t)
    const service = await startService(t, env)
    const client = new RawClient(socketOf(env, service.pid))
    client.socket.write(bytes)
    const frame = await client.next()
    assert.equal(frame?.type, FrameType.REFUSED)
    assert.match(frame.payload.toString('utf8'), reason)
    await client.closed
    await service.burst(100)
    assert.equal(burstsInFile(), 100)
    const status = await waitForStatus(socketOf(env, service.pid), () => true)
    assert.deepEqual({ refused: status.refusedClients, clients: status.clients }, { refused: 1, clients: 0 })
    await service.stop()
  })
}

test('1000 connections that say nothing: each is disconnected and counted, the service logs on, a client attaches after', TIMEOUT, async (t) => {
  const { env, burstsInFile } = quietService(t)
  const service = await startService(t, env)
  const path = socketOf(env, service.pid)
  // In waves of 250 held connections, under any descriptor limit a CI machine has.
  for (let wave = 0; wave < 4; wave++) {
    const sockets = Array.from({ length: 250 }, () => connect(path).on('error', () => {}).resume())
    const burst = service.burst(250)
    await Promise.all(sockets.map(async (socket) => await once(socket, 'close')))
    await burst
  }
  assert.equal(burstsInFile(), 1000)
  const status = await waitForStatus(path, () => true)
  assert.deepEqual({ refused: status.refusedClients, clients: status.clients, lost: status.lost }, { refused: 1000, clients: 0, lost: 0 })
  const client = new RawClient(path)
  client.send(FrameType.ATTACH, { v: ATTACH_PROTOCOL_VERSION, stream: true })
  assert.equal((await client.next())?.type, FrameType.ATTACHED)
  const records = client.next()
  await service.burst(1)
  assert.equal((await records)?.type, FrameType.RECORDS)
  client.socket.destroy()
  await service.stop()
})
