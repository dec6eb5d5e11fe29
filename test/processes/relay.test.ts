import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { FrameDecoder, FrameType, encodeFrame } from '../../src/tree/frames.ts'
import { openRelay } from '../../src/targets/relay-target.ts'
import { RecordBatch } from '../../src/ring/record-batch.ts'

const identity = { pid: 4242, ppid: process.pid, hostname: 'test', proc: 'child' }

test('a flush asked for while records wait for the root\'s welcome goes out after them, and covers them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'threadlog-relay-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'hub.sock')
  // A stand-in root that writes down every frame, answers the welcome (the first SYNC) only when
  // the test says so, and every later SYNC at once.
  const seen: string[] = []
  let welcome: (() => void) | undefined
  const welcomed = new Promise<void>((resolve) => { welcome = resolve })
  const server = createServer((socket: Socket) => {
    const decoder = new FrameDecoder()
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const name = Object.entries(FrameType).find(([, type]) => type === frame.type)?.[0] ?? String(frame.type)
        seen.push(frame.type === FrameType.RECORDS ? `${name} ${frame.payload.toString().trim()}` : name)
        if (frame.type !== FrameType.SYNC && frame.type !== FrameType.EXIT) continue
        const answer = encodeFrame(FrameType.SYNCED, JSON.stringify({ id: (JSON.parse(frame.payload.toString()) as { id: number }).id }))
        if (seen.filter((entry) => entry === 'SYNC').length === 1) void welcomed.then(() => socket.write(answer))
        else socket.write(answer)
      }
    })
  })
  server.listen(path)
  await once(server, 'listening')
  t.after(() => server.close())
  const relay = await openRelay(path, identity, () => { throw new Error('the relay must not fall back to stderr') })

  const written = relay.write(RecordBatch.fromLines('{"level":30,"n":1}\n'))
  const flushed = relay.flush?.()
  welcome?.()
  await Promise.all([written, flushed])

  assert.deepEqual(seen, ['HELLO', 'SYNC', 'RECORDS {"level":30,"n":1}', 'SYNC'])
  await relay.close({ exitCode: 0 })
  assert.equal(seen.at(-1), 'EXIT')
})
