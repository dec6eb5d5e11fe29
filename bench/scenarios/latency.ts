// Idle latency: one record every intervalMs, each timed from its log call until latency-target.ts
// receives it, through threadlog's hub or through a pino.transport thread.
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import pino, { type Logger } from 'pino'
import { createLogger, flushAll } from '../../src/index.ts'

interface LatencyConfig {
  contender: 'threadlog' | 'pino.transport'
  samples: number
  intervalMs: number
  report: string
}

const config = JSON.parse(process.env.SCENARIO ?? '{}') as LatencyConfig
const target = fileURLToPath(new URL('./latency-target.ts', import.meta.url))
const options = { samples: config.samples, report: config.report }

async function openLogger (): Promise<Logger> {
  if (config.contender === 'threadlog') {
    const log = createLogger({ targets: [{ target, options }] })
    await flushAll() // resolves once the hub runs
    return log
  }
  const transport = pino.transport({ target, options })
  await once(transport, 'ready')
  return pino(transport)
}

const log = await openLogger()
// Let the transport thread fall asleep: the point is the latency of a record that wakes it.
await sleep(200)
for (let i = 0; i < config.samples; i++) {
  await sleep(config.intervalMs)
  log.info({ t0: Number(process.hrtime.bigint()) }, 'ping')
}
// Give the last record time to arrive: this measures latency, not the exit path.
await sleep(200)
