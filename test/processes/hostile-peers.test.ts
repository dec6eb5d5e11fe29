import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { FrameType, MAX_FRAME_BYTES, PROTOCOL_VERSION, encodeFrame } from '../../src/tree/frames.ts'
import { Peer, startListeningRoot } from '../helpers/listening-root.ts'
import { hubRecords } from '../helpers/read-records.ts'

const hello = (pid: number, v = PROTOCOL_VERSION) =>
  encodeFrame(FrameType.HELLO, JSON.stringify({ v, pid, ppid: 1, proc: 'hostile' }))

function oversizedHeader (): Buffer {
  const header = Buffer.alloc(5)
  header.writeUInt32BE(MAX_FRAME_BYTES + 1, 0)
  header.writeUInt8(FrameType.RECORDS, 4)
  return header
}

/** Byte streams no threadlog hub sends: each must cost its own connection and nothing else. */
const garbage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((bytes) => Buffer.concat([hello(900_001), Buffer.from(bytes)])),
  fc.string({ minLength: 1 }).map((text) => Buffer.concat([hello(900_002), encodeFrame(FrameType.RECORDS, `${text}\n`)]))
    .filter((bytes) => !bytes.toString('utf8').split('\n').slice(0, -1).every((line) => line.startsWith('{'))),
  fc.constant(Buffer.concat([hello(900_003), encodeFrame(FrameType.RECORDS, '{"level":30}\n').subarray(0, 9)])),
  fc.constant(Buffer.concat([hello(900_004), oversizedHeader()])),
  fc.constant(encodeFrame(FrameType.RECORDS, '{"level":30}\n')),
  fc.constant(hello(900_005, PROTOCOL_VERSION + 1)),
  fc.constant(Buffer.concat([hello(900_006), encodeFrame(FrameType.SYNCED, '{"id":1}')]))
)

test('garbage, truncated or oversized frames cost only their own connection; a good child loses nothing', async (t) => {
  const root = await startListeningRoot(t)
  const cases = fc.sample(garbage, { numRuns: 40, seed: 42 })
  const good = new Peer(root.path)
  good.hello(800_000)
  let seq = 0
  const refusals: string[] = []
  const hostile = cases.map(async (bytes) => {
    const peer = new Peer(root.path)
    peer.socket.end(bytes)
    await peer.closed
    if (peer.refusal !== undefined) refusals.push(peer.refusal)
    // Interleaved with the hostile peers: records of the good one, frame after frame.
    good.records([`{"level":30,"pid":800000,"seq":${++seq},"msg":"good"}\n`])
  })
  await Promise.all(hostile)
  await good.exit(1, 0)
  good.socket.end()
  const { code, stderr, records } = await root.finish()
  assert.equal(code, 0)
  const reports = stderr.split('\n').filter((line) => line !== '')
  assert.equal(reports.length, cases.length, stderr)
  assert.ok(reports.every((line) => line.startsWith('threadlog: closed the log connection of ')), stderr)
  // A peer cut mid-frame hung up itself; every other one was told why before the root closed it.
  const hungUp = reports.filter((line) => line.includes(': hung up in the middle of a frame ('))
  assert.equal(refusals.length, cases.length - hungUp.length)
  for (const reason of refusals) assert.ok(reports.some((line) => line.endsWith(`: ${reason}`)), reason)
  // Every peer that said HELLO before it was refused or hung up has its 'process exited'.
  const identified = reports.filter((line) => line.startsWith('threadlog: closed the log connection of process ')).length
  assert.equal(hubRecords(records, 'process exited').filter((r) => r.processName === 'hostile').length, identified)
  const fromGood = records.filter((r) => r.pid === 800_000)
  assert.deepEqual(fromGood.map((r) => r.seq), cases.map((_, i) => i + 1))
  assert.deepEqual(hubRecords(records, 'process exited').filter((r) => r.processId === 800_000).map((r) => [r.exitCode, r.records]),
    [[0, cases.length]])
})

test('the socket is reachable by its owner only: a 0700 directory holding a 0600 socket', async (t) => {
  const root = await startListeningRoot(t)
  const directory = statSync(dirname(root.path))
  const socket = statSync(root.path)
  assert.equal(directory.mode & 0o777, 0o700)
  assert.equal(socket.mode & 0o777, 0o600)
  assert.equal(socket.isSocket(), true)
  assert.deepEqual([directory.uid, socket.uid], [process.getuid?.(), process.getuid?.()])
  if (process.getuid?.() === 0) {
    // Running as root (CI containers): try it for real as another user. The process drops to
    // nobody itself: spawned as nobody, it could not even run a node kept in a private directory.
    const script = `process.setgid(65534); process.setuid(65534); ` +
      `require('net').connect(${JSON.stringify(root.path)}).on('error', (e) => { console.log(e.code) })`
    const other = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    other.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
    await once(other, 'close')
    assert.equal(output.trim(), 'EACCES')
  } else {
    t.diagnostic('not running as root: cannot switch to another user to try connecting')
  }
  const { code } = await root.finish()
  assert.equal(code, 0)
})

test('the root removes its socket directory when it exits', async (t) => {
  const root = await startListeningRoot(t)
  const { code } = await root.finish()
  assert.equal(code, 0)
  assert.throws(() => statSync(dirname(root.path)), { code: 'ENOENT' })
})

test('a child killed in the middle of a frame: the whole records it had sent arrive, the cut one is reported', async (t) => {
  const root = await startListeningRoot(t)
  const peer = new Peer(root.path)
  peer.hello(800_001)
  const whole = [1, 2, 3].map((seq) => `{"level":30,"pid":800001,"seq":${seq},"msg":"sent whole"}\n`).join('')
  const cut = '{"level":30,"pid":800001,"seq":4,"msg":"cut'
  const frame = encodeFrame(FrameType.RECORDS, `${whole}${cut} short"}\n`)
  // The header announces the whole frame; the peer dies after part of it, as a SIGKILL mid-write does.
  peer.socket.end(frame.subarray(0, 5 + Buffer.byteLength(whole + cut)))
  // The root reports the hang-up when it has taken in what the peer sent: only then may it end.
  await root.stderrIncludes('hung up in the middle of a frame')
  const { stderr, records } = await root.finish()
  assert.deepEqual(records.filter((r) => r.pid === 800_001).map((r) => r.seq), [1, 2, 3])
  assert.equal(stderr, `threadlog: closed the log connection of process 800001: hung up in the middle of a frame (${Buffer.byteLength(cut)} bytes lost)\n`)
  assert.deepEqual(hubRecords(records, 'process exited').map((r) => r.records), [3])
})
