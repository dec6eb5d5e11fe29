// A synchronous burst from the main thread: how far does memory grow while the destination
// catches up, and is anything lost? Reports { start, baseline, peakSampled, maxRSS, loopMs }: start in
// process.hrtime ns, memory in bytes.
// `pino-noop` (plain pino into a destination that drops everything) is the floor: what the
// garbage of serializing alone does to RSS.
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import pino, { type Logger } from 'pino'
import { createLogger, flushAll } from '../../src/index.ts'

interface BurstConfig {
  contender: 'threadlog' | 'pino.transport' | 'pino-noop'
  file: string
  records: number
  report: string
}

const config = JSON.parse(process.env.SCENARIO ?? '{}') as BurstConfig

/** A logger whose transport thread is up, so that the baseline already counts it. */
async function openLogger (): Promise<Logger> {
  if (config.contender === 'threadlog') {
    const log = createLogger({ targets: [{ target: 'file', options: { path: config.file } }] })
    await flushAll() // resolves once the hub runs
    return log
  }
  if (config.contender === 'pino-noop') return pino({}, { write: () => {} })
  const transport = pino.transport({ target: 'pino/file', options: { destination: config.file } })
  await once(transport, 'ready')
  return pino(transport)
}

const log = await openLogger()
const baseline = process.memoryUsage.rss()
let peakSampled = baseline
const start = Number(process.hrtime.bigint())
for (let n = 1; n <= config.records; n++) {
  log.info({ n, w: 0, user: 42, method: 'GET', path: `/api/items/${n}`, status: 200 }, 'request handled')
  // A timer could not fire while this loop runs: sample from inside it.
  if (n % 1000 === 0) peakSampled = Math.max(peakSampled, process.memoryUsage.rss())
}
const loopMs = (Number(process.hrtime.bigint()) - start) / 1e6

// Registered after the loggers' own exit handlers, so maxRSS also covers their exit flush.
process.on('exit', () => {
  const maxRSS = process.resourceUsage().maxRSS * 1024
  writeFileSync(config.report, JSON.stringify({ start, baseline, peakSampled, maxRSS, loopMs }))
})
