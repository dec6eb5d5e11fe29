// A root process that forks `children` copies of itself; each child logs perChild records from its
// main thread and exits. The contenders differ only in where the records go:
//   pino-files       plain pino in each child, each into its own file (async sonic-boom); the root does not log
//   threadlog-files  threadlog in the root and in each child, exportHub: false, a file target each
//   threadlog-hub    the root's logger has the one file target; children relay to its hub over the socket
// Children say when their logger is ready and wait for the root's go, so that they log at once. The
// root writes { forkedAt, goAt, cpuMs, maxRSS, childCpuMs, childMaxRSS } to `report` on exit: times in
// process.hrtime ns; CPU time of all threads from the go (root) or from ready (children) to exit; RSS
// in bytes. pino and threadlog are imported only by the contenders that use them, so that no
// process starts slower for a library it does not run.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'

export type ProcessesContender = 'pino-files' | 'threadlog-files' | 'threadlog-hub'

/** Given by processes.bench.ts in the SCENARIO environment variable, which children inherit. */
export interface ProcessesConfig {
  contender: ProcessesContender
  children: number
  perChild: number
  /** Bytes of padding in every record. */
  pad: number
  /** The file of each child (own-files contenders), or of the root (threadlog-hub: [the one file]). */
  files: string[]
  /** threadlog-files: where the root's own logger writes (its hub's records). */
  rootFile: string
  /** The URL threadlog is imported from: src/index.ts, or dist/src/index.js (the built package). */
  entry: string
  report: string
}

interface ChildReport { cpuMs: number, maxRSS: number }

const config = JSON.parse(process.env.SCENARIO ?? '{}') as ProcessesConfig
const CHILD_ENV = 'BENCH_PROCESSES_CHILD'

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start)
  return (user + system) / 1000
}

/** Child `w`: opens its logger, says ready, logs on go, and leaves every record on disk before it exits. */
async function runChild (w: number): Promise<void> {
  const padding = 'x'.repeat(config.pad)
  let info: (fields: object, msg: string) => void
  let finish = async () => {}
  if (config.contender === 'pino-files') {
    const { default: pino } = await import('pino')
    const destination = pino.destination({ dest: config.files[w] as string, sync: false })
    await once(destination, 'ready')
    const log = pino(destination)
    info = (fields, msg) => log.info(fields, msg)
    // end() writes what is buffered, in order, and 'close' comes once the descriptor is closed.
    finish = async () => {
      const closed = once(destination, 'close')
      destination.end()
      await closed
    }
  } else {
    const { createLogger, flushAll } = await import(config.entry) as typeof import('../../src/index.ts')
    const log = config.contender === 'threadlog-files'
      ? createLogger({ exportHub: false, targets: [{ target: 'file', options: { path: config.files[w] as string } }] })
      : createLogger() // a child of a root that exports its hub: it relays
    await flushAll() // resolves once the hub runs (a relay: connected to the root)
    info = (fields, msg) => log.info(fields, msg)
  }
  const cpuAtReady = process.cpuUsage()
  // Registered after the logger's exit handlers: its CPU and RSS include threadlog's exit flush.
  process.on('exit', () => {
    const report: ChildReport = { cpuMs: cpuMsSince(cpuAtReady), maxRSS: process.resourceUsage().maxRSS * 1024 }
    writeFileSync(`${config.report}.child-${w}`, JSON.stringify(report))
  })
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve())
    process.send?.('ready')
  })
  process.disconnect()
  for (let n = 1; n <= config.perChild; n++) info({ n, w, pad: padding }, 'record')
  await finish()
}

/** The root: forks the children, lets them go together once all are ready, waits for every exit. */
async function runRoot (): Promise<void> {
  if (config.contender !== 'pino-files') {
    const { createLogger, flushAll } = await import(config.entry) as typeof import('../../src/index.ts')
    const path = config.contender === 'threadlog-hub' ? config.files[0] as string : config.rootFile
    createLogger({ exportHub: config.contender === 'threadlog-hub', targets: [{ target: 'file', options: { path } }] })
    await flushAll() // the hub runs, and listens on its socket
  }
  const forkedAt = Number(process.hrtime.bigint())
  const children = Array.from({ length: config.children }, (_, w) =>
    fork(new URL(import.meta.url), { env: { ...process.env, [CHILD_ENV]: String(w) } }))
  const exits = children.map(async (child) => {
    const [code, signal] = await once(child, 'exit') as [number | null, string | null]
    if (code !== 0) throw new Error(`child ${child.pid} ended with ${code ?? signal}`)
  })
  await Promise.all(children.map(async (child) => await once(child, 'message')))
  const goAt = Number(process.hrtime.bigint())
  const cpuAtGo = process.cpuUsage()
  for (const child of children) child.send('go')
  await Promise.all(exits)
  const reports = children.map((_, w) => JSON.parse(readFileSync(`${config.report}.child-${w}`, 'utf8')) as ChildReport)
  // Registered after the logger's exit handlers: CPU and peak RSS include the hub's last writes.
  process.on('exit', () => {
    writeFileSync(config.report, JSON.stringify({
      forkedAt,
      goAt,
      cpuMs: cpuMsSince(cpuAtGo),
      maxRSS: process.resourceUsage().maxRSS * 1024,
      childCpuMs: reports.reduce((sum, report) => sum + report.cpuMs, 0),
      childMaxRSS: Math.max(...reports.map((report) => report.maxRSS))
    }))
  })
}

const child = process.env[CHILD_ENV]
if (child === undefined) await runRoot()
else await runChild(Number(child))
