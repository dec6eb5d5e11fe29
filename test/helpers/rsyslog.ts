import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { tempFile } from './temp-file.ts'

/** One message as rsyslog parsed it, written by the helper's template (one JSON object per line). */
export interface SyslogEntry {
  readonly pri: number
  readonly timestamp: string
  readonly hostname: string
  readonly appName: string
  readonly procId: string
  readonly msgId: string
  /** STRUCTURED-DATA as received. */
  readonly structuredData: string
  /** The SD-PARAMs as rsyslog's mmpstrucdata parsed (and unescaped) them, by SD-ID. */
  readonly sd: Record<string, Record<string, string>>
  readonly msg: string
}

export interface Rsyslog {
  /** The loopback port its imtcp and imudp listen on. */
  readonly port: number
  /** Its imptcp listener on a unix stream socket. */
  readonly streamSocketPath: string
  /** Its imuxsock socket: a unix datagram socket, as /dev/log is. */
  readonly datagramSocketPath: string
  readonly pid: () => number
  /** Every message it wrote, except its own and the helper's probes. */
  readonly entries: () => SyslogEntry[]
  /** Resolves once `predicate` holds for the entries; rejects after `timeoutMs` saying what arrived. */
  readonly waitFor: (predicate: (entries: SyslogEntry[]) => boolean, what: string, timeoutMs?: number) => Promise<SyslogEntry[]>
  /** SIGTERM, and resolves once the process is gone. */
  readonly stop: () => Promise<void>
  /** Starts it again, same ports, same output file. */
  readonly start: () => Promise<void>
}

const PROBE_APP = 'threadlog-probe'
const READY_TIMEOUT_MS = 10_000
/** How often files and ports are looked at while waiting for them (polling, bounded by a timeout). */
const POLL_MS = 20

/**
 * An rsyslog configuration of its own: imtcp + imudp on a loopback port, imptcp on a unix stream
 * socket, imuxsock on a private datagram socket only (never the system's /dev/log).
 */
function configText (port: number, dir: string, output: string): string {
  return `global(workDirectory="${dir}" maxMessageSize="256k" parser.escapeControlCharactersOnReceive="off"
  parser.dropTrailingLFOnReception="off")
# The system socket (/dev/log) stays the system's: only a socket of the test's own.
module(load="imuxsock" SysSock.Use="off")
module(load="imtcp")
module(load="imptcp")
module(load="imudp")
module(load="mmpstrucdata")
input(type="imtcp" port="${port}" address="127.0.0.1")
input(type="imudp" port="${port}" address="127.0.0.1")
input(type="imptcp" path="${dir}/stream.sock" unlink="on")
input(type="imuxsock" socket="${dir}/datagram.sock" useSpecialParser="off" parseHostname="on" ignoreTimestamp="off" usePIDFromSystem="off" rateLimit.interval="0")
template(name="threadlog" type="list" option.jsonf="on") {
  property(outname="pri" name="pri" format="jsonf")
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="appName" name="app-name" format="jsonf")
  property(outname="procId" name="procid" format="jsonf")
  property(outname="msgId" name="msgid" format="jsonf")
  property(outname="structuredData" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
  property(outname="sd" name="$!rfc5424-sd" format="jsonf")
}
action(type="mmpstrucdata" sd_name.lowercase="off")
action(type="omfile" file="${output}" template="threadlog")
`
}

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

function parseEntries (output: string): SyslogEntry[] {
  if (!existsSync(output)) return []
  // rsyslog may be writing the last line right now: only whole lines count.
  const text = readFileSync(output, 'utf8')
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line !== '').map((line) => {
    const raw = JSON.parse(line) as Record<string, string>
    return { ...raw, pri: Number(raw.pri), sd: raw.sd === undefined || raw.sd === '' ? {} : JSON.parse(raw.sd) } as unknown as SyslogEntry
  })
}

async function waitUntil (check: () => boolean | Promise<boolean>, timeoutMs: number, gaveUp = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !gaveUp()) {
    if (await check()) return true
    await delay(POLL_MS)
  }
  return check()
}

async function tcpAccepts (port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1')
  const accepted = await new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true))
    socket.once('error', () => resolve(false))
  })
  socket.destroy()
  return accepted
}

/**
 * Waits until rsyslog takes messages on UDP and TCP both: a probe sent over each must reach the
 * output file. A listening port alone does not say that its output action is ready.
 */
async function probe (port: number, output: string, gaveUp: () => boolean): Promise<boolean> {
  if (!await waitUntil(async () => await tcpAccepts(port), READY_TIMEOUT_MS, gaveUp)) return false
  const id = `${process.pid}-${Date.now()}`
  const udp = createSocket('udp4')
  const tcp = connect(port, '127.0.0.1')
  tcp.on('error', () => {})
  try {
    const message = (via: string) => `<14>1 - - ${PROBE_APP} - - - probe ${via} ${id}`
    const framed = `${Buffer.byteLength(message('tcp'))} ${message('tcp')}`
    tcp.write(framed)
    return await waitUntil(() => {
      udp.send(message('udp'), port, '127.0.0.1')
      const text = existsSync(output) ? readFileSync(output, 'utf8') : ''
      return text.includes(`probe udp ${id}`) && text.includes(`probe tcp ${id}`)
    }, READY_TIMEOUT_MS, gaveUp)
  } finally {
    udp.close()
    tcp.destroy()
  }
}

/**
 * Starts a real rsyslogd (`rsyslogd -n -f <own config> -i <own pid file>`) for a test, or skips
 * the test saying why when it cannot: rsyslogd missing or not starting. Under CI (`CI` set) it
 * fails instead, so that CI never passes without having run these tests. Stopped after the test.
 */
export async function startRsyslog (t: TestContext): Promise<Rsyslog | undefined> {
  const dir = dirname(tempFile('rsyslog'))
  const workDir = join(dir, `rsyslog-${process.pid}-${Date.now()}`)
  mkdirSync(workDir, { recursive: true })
  const port = await freePort()
  const output = join(workDir, 'received.ndjson')
  const config = join(workDir, 'rsyslog.conf')
  writeFileSync(config, configText(port, workDir, output))
  let child: ChildProcess | undefined
  let log = ''
  const start = async (): Promise<string | undefined> => {
    const process_ = spawn('rsyslogd', ['-n', '-f', config, '-i', join(workDir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = process_
    process_.stdout?.setEncoding('utf8').on('data', (text: string) => { log += text })
    process_.stderr?.setEncoding('utf8').on('data', (text: string) => { log += text })
    const failed = once(process_, 'error').then(([error]) => `rsyslogd could not be started: ${(error as Error).message}`)
    const exited = once(process_, 'exit').then(([code]) => `rsyslogd exited with code ${String(code)}: ${log}`)
    // A process that failed or exited ends the probing too, rather than leaving it to time out.
    let ended = false
    const ready = probe(port, output, () => ended).then((ok) => ok ? undefined : `rsyslogd did not take messages within ${READY_TIMEOUT_MS} ms: ${log}`)
    const problem = await Promise.race([failed, exited, ready])
    ended = true
    return problem
  }
  const stop = async () => {
    const running = child
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const exited = once(running, 'exit')
    running.kill('SIGTERM')
    await exited
  }
  t.after(stop)
  const problem = await start()
  if (problem !== undefined) {
    await stop()
    if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`${problem} (CI must run the syslog tests: .ci/run installs rsyslog)`)
    t.skip(problem)
    return undefined
  }
  const entries = () => parseEntries(output).filter((entry) => entry.appName !== PROBE_APP && entry.appName !== 'rsyslogd')
  return {
    port,
    streamSocketPath: join(workDir, 'stream.sock'),
    datagramSocketPath: join(workDir, 'datagram.sock'),
    pid: () => child?.pid as number,
    entries,
    waitFor: async (predicate, what, timeoutMs = 20_000) => {
      if (await waitUntil(() => predicate(entries()), timeoutMs)) return entries()
      throw new Error(`rsyslog did not receive ${what} within ${timeoutMs} ms; it has ${entries().length} messages:\n` +
        entries().slice(-5).map((entry) => JSON.stringify(entry)).join('\n'))
    },
    stop,
    start: async () => {
      const again = await start()
      if (again !== undefined) throw new Error(again)
    }
  }
}
