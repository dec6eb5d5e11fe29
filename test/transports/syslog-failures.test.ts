// The syslog target when the server is not there, and over TLS, against receivers written here
// (rsyslog's TLS needs the separate rsyslog-gnutls package).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createSocket as createUdpSocket } from 'node:dgram'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { test, type TestContext } from 'node:test'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { startCommanded } from '../helpers/syslog-commanded.ts'
import { tempFile } from '../helpers/temp-file.ts'

async function closedPort (): Promise<number> {
  const server = createTcpServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

/** RFC 6587 octet counting: `LEN SP MSG`, back to back; throws on anything else. */
function parseOctetCounted (bytes: Buffer): string[] {
  const messages: string[] = []
  let offset = 0
  while (offset < bytes.length) {
    const space = bytes.indexOf(0x20, offset)
    const length = Number(bytes.subarray(offset, space).toString('latin1'))
    assert.ok(space > offset && Number.isInteger(length) && length > 0, `a frame length at byte ${offset}`)
    messages.push(bytes.subarray(space + 1, space + 1 + length).toString('utf8'))
    offset = space + 1 + length
  }
  assert.equal(offset, bytes.length, 'the stream ends with a whole frame')
  return messages
}

/**
 * Keeps what one connection sends; `ended` resolves when the sender has ended it, which comes
 * after its bytes here (the sender's close alone does not mean this side has read them yet).
 */
function receiver (): { received: Buffer[], ended: Promise<void>, onConnection: (socket: Socket) => void } {
  const received: Buffer[] = []
  let resolveEnded: () => void = () => {}
  const ended = new Promise<void>((resolve) => { resolveEnded = resolve })
  return {
    received,
    ended,
    onConnection: (socket) => {
      socket.on('data', (chunk: Buffer) => received.push(chunk))
      socket.on('end', resolveEnded)
    }
  }
}

/** A self-signed certificate for 127.0.0.1, made by openssl; `undefined` (the test skipped, saying why) without it. */
function selfSignedCertificate (t: TestContext): { key: string, cert: string } | undefined {
  const key = tempFile('key.pem')
  const cert = tempFile('cert.pem')
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' })
  } catch (error) {
    t.skip(`openssl could not make a test certificate: ${(error as Error).message}`)
    return undefined
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
}

test('no server at all: the application runs and exits at once, and stderr says so twice, naming the target and the records not delivered', async (t) => {
  const port = await closedPort()
  const started = Date.now()
  const commanded = await startCommanded(t, { protocol: 'tcp', port })
  await commanded.send({ burst: 'A', count: 3 })
  const { code, stderr } = await commanded.finish()
  assert.equal(code, 0)
  assert.ok(Date.now() - started < 5000, 'far less than flushTimeoutMs (10 s)')
  const target = `threadlog: target "syslog" (tcp://127.0.0.1:${port})`
  assert.deepEqual(stderr.split('\n'), [
    `${target}: cannot reach the server (connect ECONNREFUSED 127.0.0.1:${port}); keeping up to 4194304 bytes of records, reconnecting with backoff`,
    `${target}: 3 records were not delivered at exit: connect ECONNREFUSED 127.0.0.1:${port}`,
    ''
  ])
})

test('tls: octet-counted messages over TLS, the server checked against the given CA', async (t) => {
  const certificate = selfSignedCertificate(t)
  if (certificate === undefined) return
  const { received, ended, onConnection } = receiver()
  const server = createTlsServer(certificate, (socket: TLSSocket) => onConnection(socket))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => server.close())
  const { port } = server.address() as { port: number }
  const commanded = await startCommanded(t, { protocol: 'tls', port, ca: certificate.cert })
  await commanded.send({ records: [{ level: 'warn', fields: { reqId: 'r1' }, msg: 'over\ntls' }] })
  await commanded.send({ burst: 'B', count: 2 })
  const { code, stderr } = await commanded.finish()
  assert.equal(code, 0, stderr)
  assert.equal(stderr, '')
  await ended
  const messages = parseOctetCounted(Buffer.concat(received))
  assert.deepEqual(messages.map((message) => message.replace(/^<(\d+)>1 \S+ \S+ commanded \d+ - \[threadlog@32473 ppid="\d+" tid="0" thread="main" seq="(\d)"/, '$1 $2')),
    ['12 1 name="commanded" reqId="r1"] over\ntls', '14 2 name="commanded"] B 1', '14 3 name="commanded"] B 2'])
})

test('tls: a server whose certificate is not trusted is an outage, reported once, and the records are not sent to it', async (t) => {
  const certificate = selfSignedCertificate(t)
  if (certificate === undefined) return
  let bytes = 0
  const server = createTlsServer(certificate, (socket: TLSSocket) => socket.on('data', (chunk: Buffer) => { bytes += chunk.length }))
  server.on('tlsClientError', () => {})
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => server.close())
  const { port } = server.address() as { port: number }
  const commanded = await startCommanded(t, { protocol: 'tls', port, retryDelayMs: 10, maxRetryDelayMs: 50 })
  await commanded.send({ burst: 'A', count: 5 })
  await commanded.stderrIncludes('cannot reach the server')
  const { code, stderr } = await commanded.finish()
  assert.equal(code, 0)
  assert.equal(bytes, 0)
  const lines = stderr.split('\n').filter((line) => line !== '')
  assert.equal(lines.length, 2, stderr)
  assert.match(lines[0] as string, /cannot reach the server \(.*self.signed certificate.*\); keeping up to/)
  assert.match(lines[1] as string, /: 5 records were not delivered at exit: .*self.signed certificate/)
})

test('a server that accepts but never reads: at exit the target waits closeTimeoutMs, then says how many records did not go', async (t) => {
  const server = createTcpServer((socket) => socket.pause())
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => server.close())
  const { port } = server.address() as { port: number }
  const commanded = await startCommanded(t, { protocol: 'tcp', port, closeTimeoutMs: 300, bufferBytes: 1_000_000 })
  const big = 'x'.repeat(100_000)
  // 40 MB: more than the kernel's socket buffers on both ends and the target's buffer together.
  for (let i = 0; i < 8; i++) await commanded.send({ records: Array.from({ length: 50 }, () => ({ level: 'info', fields: {}, msg: big })) })
  const started = Date.now()
  const { code, stderr } = await commanded.finish()
  assert.equal(code, 0)
  assert.ok(Date.now() - started < 5000, `exited after ${Date.now() - started} ms`)
  const lines = stderr.split('\n').filter((line) => line !== '')
  const target = `threadlog: target "syslog" (tcp://127.0.0.1:${port})`
  assert.equal(lines.length, 3, stderr)
  assert.equal(lines[0], `${target}: the server is slower than the records come: dropping records beyond 1000000 buffered bytes`)
  assert.match(lines[1] as string, new RegExp(`^${target.replace(/[.()]/g, '\\$&')}: \\d+ records were not delivered at exit: the server did not take them within 300 ms$`))
  assert.match(lines[2] as string, /: \d+ records dropped: the buffer \(1000000 bytes\) was full$/)
})

test('the transport on its own, through pino.transport: one octet-counted message per record', async (t) => {
  const { received, ended, onConnection } = receiver()
  const server = createTcpServer(onConnection)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => server.close())
  const { port } = server.address() as { port: number }
  const transport = pino.transport({ target: fileURLToPath(new URL('../../transports/syslog.ts', import.meta.url)), options: { protocol: 'tcp', port, appName: 'plain' } })
  const log = pino({ base: { pid: 7, hostname: 'h' } }, transport)
  log.info({ reqId: 'r1' }, 'hello')
  log.error('bye')
  const closed = once(transport, 'close')
  transport.end()
  await closed
  await ended
  const messages = parseOctetCounted(Buffer.concat(received))
  assert.deepEqual(messages.map((message) => message.replace(/ \S+ h plain 7 /, ' … ')),
    ['<14>1 … - [threadlog@32473 reqId="r1"] hello', '<11>1 … - - bye'])
})

test('udp: a record too large for a datagram is dropped and counted, and the records around it go', { timeout: 30_000 }, async (t) => {
  const server = createUdpSocket('udp4')
  const datagrams: string[] = []
  let lastArrived: () => void = () => {}
  const arrived = new Promise<void>((resolve) => { lastArrived = resolve })
  server.on('message', (message: Buffer) => {
    datagrams.push(message.toString('utf8'))
    if (datagrams.at(-1)?.endsWith('] after') === true) lastArrived()
  })
  server.bind(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => server.close())
  const { port } = server.address()
  const commanded = await startCommanded(t, { protocol: 'udp', port })
  await commanded.send({ records: ['before', 'x'.repeat(70_000), 'after'].map((msg) => ({ level: 'info', fields: {}, msg })) })
  await commanded.stderrIncludes('do not fit a datagram')
  const { code, stderr } = await commanded.finish()
  assert.equal(code, 0)
  const target = `threadlog: target "syslog" (udp://127.0.0.1:${port})`
  assert.deepEqual(stderr.split('\n'), [
    `${target}: dropping records larger than 65507 bytes, which do not fit a datagram (tcp has no such limit)`,
    `${target}: 1 records were too large to send`,
    ''
  ])
  // Loopback keeps datagrams in order: once the last is here, so is every one before it.
  await arrived
  assert.deepEqual(datagrams.map((datagram) => datagram.split('] ')[1]), ['before', 'after'])
})
