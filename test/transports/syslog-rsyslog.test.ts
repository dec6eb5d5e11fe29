// The syslog target against a real rsyslogd (Debian's package; .ci/run installs it), started per
// test by test/helpers/rsyslog.ts with a configuration of its own.
import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { test } from 'node:test'
import fc from 'fast-check'
import { toSdName } from '../../src/syslog/structured-data.ts'
import { startRsyslog, type Rsyslog, type SyslogEntry } from '../helpers/rsyslog.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { startCommanded } from '../helpers/syslog-commanded.ts'

const SD_ID = 'threadlog@32473'
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/

function paramsOf (entry: SyslogEntry): Record<string, string> {
  return entry.sd[SD_ID] ?? {}
}

function appEntries (entries: SyslogEntry[]): SyslogEntry[] {
  return entries.filter((entry) => paramsOf(entry).thread !== 'threadlog-hub')
}

function optionsFor (protocol: 'tcp' | 'udp' | 'unix', server: Rsyslog): Record<string, unknown> {
  return protocol === 'unix' ? { protocol, path: server.streamSocketPath } : { protocol, port: server.port }
}

for (const protocol of ['tcp', 'udp', 'unix'] as const) {
  test(`${protocol}: records of the main thread, two workers and a child process arrive with PRI, APP-NAME, PROCID and the identity in STRUCTURED-DATA`, async (t) => {
    const server = await startRsyslog(t)
    if (server === undefined) return
    const result = await runFixture('syslog-tree.ts', [], { SYSLOG_OPTIONS: JSON.stringify(optionsFor(protocol, server)) })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    const entries = appEntries(await server.waitFor((all) => appEntries(all).length >= 5, '5 records'))
    assert.equal(entries.length, 5, JSON.stringify(entries))
    const byMsg = new Map(entries.map((entry) => [entry.msg, entry]))
    const child = byMsg.get('from the child') as SyslogEntry
    const rootPid = paramsOf(child).ppid as string
    for (const entry of entries) {
      assert.match(entry.timestamp, TIMESTAMP)
      assert.equal(entry.hostname, hostname())
      assert.equal(entry.msgId, '-')
    }
    const main = byMsg.get('from main') as SyslogEntry
    assert.deepEqual([main.pri, main.appName, main.procId], [14, 'tree', rootPid]) // user.info
    assert.deepEqual(main.sd, { [SD_ID]: { ppid: String(process.pid), tid: '0', thread: 'main', seq: '1', reqId: '7f3a', name: 'tree', n: '1' } })
    assert.equal(main.structuredData, `[${SD_ID} ppid="${process.pid}" tid="0" thread="main" seq="1" reqId="7f3a" name="tree" n="1"]`)
    const workers = entries.filter((entry) => entry.msg === 'from a worker')
    assert.deepEqual(workers.map((entry) => paramsOf(entry).thread).sort(), ['resize-1', 'resize-2'])
    for (const worker of workers) {
      const { tid } = paramsOf(worker)
      assert.deepEqual([worker.pri, worker.appName, worker.procId], [12, 'tree', rootPid]) // user.warning
      assert.deepEqual(worker.sd[SD_ID], { ppid: String(process.pid), tid, thread: paramsOf(worker).thread, seq: '1', reqId: `job-${tid}` })
      assert.ok(Number(tid) > 0)
    }
    assert.deepEqual([child.pri, child.appName], [11, 'tree-child']) // user.err
    assert.notEqual(child.procId, rootPid)
    assert.deepEqual(child.sd[SD_ID], { ppid: rootPid, tid: '0', thread: 'main', seq: '1', name: 'tree-child' })
    assert.deepEqual([byMsg.get('done')?.procId, paramsOf(byMsg.get('done') as SyslogEntry).seq], [rootPid, '2'])
  })

  test(`${protocol}: a record with newlines, quotes, backslashes, brackets and unicode arrives intact, in MSG and in STRUCTURED-DATA`, async (t) => {
    const server = await startRsyslog(t)
    if (server === undefined) return
    const tricky = 'line one\nline "two"\t\\ [x] ] é 日本 🧵\r\nend'
    const fields = { 'key with spaces="and]quotes"': tricky, ünï: 'ok', nested: { a: [1, 'b"]'] } }
    const commanded = await startCommanded(t, { ...optionsFor(protocol, server), facility: 'local3', msgId: 'TEST1' })
    await commanded.send({ records: [{ level: 'error', fields, msg: tricky }] })
    const [entry] = appEntries(await server.waitFor((all) => appEntries(all).length >= 1, 'the record'))
    assert.equal(entry?.msg, tricky)
    assert.equal(entry?.pri, 19 * 8 + 3) // local3.err
    assert.equal(entry?.msgId, 'TEST1')
    const { ppid, tid, thread, seq, ...rest } = paramsOf(entry as SyslogEntry)
    assert.deepEqual({ ppid, tid, thread, seq }, { ppid: String(process.pid), tid: '0', thread: 'main', seq: '1' })
    // Keys made SD-NAMEs: each character an SD-NAME may not hold became '_', cut to 32 characters.
    assert.deepEqual(rest, { name: 'commanded', key_with_spaces__and_quotes_: tricky, _n_: 'ok', nested: '{"a":[1,"b\\"]"]}' })
    assert.equal((await commanded.finish()).code, 0)
  })
}

test('unix: a datagram socket, as /dev/log is, cannot be written from Node: an outage reported once, saying why and what to do', async (t) => {
  const server = await startRsyslog(t)
  if (server === undefined) return
  const commanded = await startCommanded(t, { protocol: 'unix', path: server.datagramSocketPath })
  await commanded.send({ burst: 'A', count: 2 })
  const { code, stderr } = await commanded.finish()
  assert.equal(code, 0)
  const target = `threadlog: target "syslog" (unix://${server.datagramSocketPath})`
  const reason = `${server.datagramSocketPath} is a datagram socket, which Node cannot write to: send over udp or tcp to the local syslog daemon, or have it listen on a unix stream socket (rsyslog: imptcp path=…)`
  assert.deepEqual(stderr.split('\n'), [
    `${target}: cannot reach the server (EPROTOTYPE: ${reason}); keeping up to 4194304 bytes of records, reconnecting with backoff`,
    `${target}: 2 records were not delivered at exit: EPROTOTYPE: ${reason}`,
    ''
  ])
})

test('tcp: rsyslog restarted mid-stream: the records logged while it was down arrive after the reconnect, each once and in order', async (t) => {
  const server = await startRsyslog(t)
  if (server === undefined) return
  const commanded = await startCommanded(t, { protocol: 'tcp', port: server.port, retryDelayMs: 20, maxRetryDelayMs: 200 })
  const burst = (tag: string) => (all: SyslogEntry[]) => all.filter((entry) => entry.msg.startsWith(`${tag} `)).length
  await commanded.send({ burst: 'A', count: 500 })
  await server.waitFor((all) => burst('A')(all) === 500, '500 records of A')
  await server.stop()
  await commanded.stderrIncludes('cannot reach the server')
  await commanded.send({ burst: 'B', count: 2000 })
  await server.start()
  await commanded.send({ burst: 'C', count: 500 })
  const entries = await server.waitFor((all) => burst('C')(all) === 500 && burst('B')(all) === 2000, 'B and C')
  const expected = ['A', 'B', 'C'].flatMap((tag) => Array.from({ length: tag === 'B' ? 2000 : 500 }, (_, i) => `${tag} ${i + 1}`))
  assert.deepEqual(entries.map((entry) => entry.msg), expected)
  assert.deepEqual(entries.map((entry) => Number(paramsOf(entry).seq)), expected.map((_, i) => i + 1))
  const { code, stderr } = await commanded.finish()
  assert.equal(code, 0)
  // One outage, reported once when it started and once when it ended, whatever its number of records.
  const lines = stderr.split('\n').filter((line) => line !== '')
  assert.equal(lines.length, 2, stderr)
  assert.match(lines[0] as string, /^threadlog: target "syslog" \(tcp:\/\/127\.0\.0\.1:\d+\): cannot reach the server \(.+\); keeping up to 4194304 bytes of records, reconnecting with backoff$/)
  assert.match(lines[1] as string, /^threadlog: target "syslog" \(tcp:\/\/127\.0\.0\.1:\d+\): reached the server again after \d+\.\d s; sending the \d+ records kept meanwhile$/)
})

test('tcp: an outage longer than the buffer: the first records are kept, the rest dropped, and the count is reported once', async (t) => {
  const server = await startRsyslog(t)
  if (server === undefined) return
  const commanded = await startCommanded(t, { protocol: 'tcp', port: server.port, retryDelayMs: 20, maxRetryDelayMs: 200, bufferBytes: 50_000 })
  await commanded.send({ burst: 'A', count: 1 })
  await server.waitFor((all) => all.length === 1, 'A 1')
  await server.stop()
  await commanded.stderrIncludes('cannot reach the server')
  await commanded.send({ burst: 'B', count: 1000 })
  await server.start()
  // Until the target has reconnected, a new record would be dropped too: the buffer is full.
  await commanded.stderrIncludes('reached the server again')
  await commanded.send({ burst: 'C', count: 1 })
  const entries = await server.waitFor((all) => all.some((entry) => entry.msg === 'C 1'), 'C 1')
  const kept = entries.filter((entry) => entry.msg.startsWith('B ')).map((entry) => entry.msg)
  assert.ok(kept.length > 10 && kept.length < 1000, `${kept.length} kept`)
  assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => `B ${i + 1}`), 'the oldest records are the ones kept')
  const { stderr } = await commanded.finish()
  assert.match(stderr, new RegExp(`; ${1000 - kept.length} records were dropped \\(more than 50000 bytes\\)\n`))
  assert.equal(stderr.split('\n').filter((line) => line !== '').length, 2, stderr)
})

test('tcp: 4 workers logging 30 KB records at once: every record arrives whole, none interleaved with another', async (t) => {
  const server = await startRsyslog(t)
  if (server === undefined) return
  const result = await runFixture('syslog-big-records.ts', [], { SYSLOG_OPTIONS: JSON.stringify({ protocol: 'tcp', port: server.port }) })
  assert.equal(result.code, 0, result.stderr)
  const entries = appEntries(await server.waitFor((all) => appEntries(all).length >= 200, '200 records'))
  assert.equal(entries.length, 200)
  for (const entry of entries) {
    const { thread, seq } = paramsOf(entry)
    assert.equal(entry.msg, `${thread}:${seq}:`.padEnd(30_000, (thread as string).slice(-1)))
  }
  assert.deepEqual(new Set(entries.map((entry) => paramsOf(entry).thread)), new Set(['w1', 'w2', 'w3', 'w4']))
})

test('property: records with any keys and any text reach rsyslog with the sanitized keys and the exact values and message, as its own SD parser reads them', async (t) => {
  const server = await startRsyslog(t)
  if (server === undefined) return
  const reserved = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'ppid', 'proc', 'tid', 'thread', 'worker', 'seq', 'name', '__proto__'])
  // Any code point but NUL, which rsyslog rewrites as "#000" whatever its configuration.
  const char = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\0')
  const text = fc.string({ unit: char, maxLength: 60 })
  const key = fc.string({ unit: char, minLength: 1, maxLength: 40 }).filter((k) => !reserved.has(k) && !reserved.has(toSdName(k) as string))
  const records = fc.sample(fc.record({ key, value: text, msg: text }), { numRuns: 200, seed: 16 })
  const commanded = await startCommanded(t, { protocol: 'tcp', port: server.port })
  await commanded.send({ records: records.map(({ key, value, msg }) => ({ level: 'info', fields: { [key]: value }, msg })) })
  const entries = appEntries(await server.waitFor((all) => appEntries(all).length >= records.length, `${records.length} records`))
  assert.equal((await commanded.finish()).code, 0)
  const received = entries.map((entry) => {
    const { ppid, tid, thread, seq, name, ...fields } = paramsOf(entry)
    return { fields, msg: entry.msg }
  })
  assert.deepEqual(received, records.map(({ key, value, msg }) => ({ fields: { [toSdName(key) as string]: value }, msg })))
})
