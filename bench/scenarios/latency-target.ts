// A transport that measures how long each record took from its log call to here: records carry
// `t0`, process.hrtime in ns (one monotonic clock for every thread of the process). After `samples`
// records it writes the latencies (ms) to `report`, without waiting for a close that an exiting
// process may not give it.
import { writeFileSync } from 'node:fs'
import build from 'pino-abstract-transport'

interface LatencyTargetOptions {
  samples: number
  report: string
}

export default function latencyTarget ({ samples, report }: LatencyTargetOptions) {
  const latencies: number[] = []
  return build(async (source: AsyncIterable<{ t0?: number }>) => {
    for await (const record of source) {
      if (typeof record.t0 !== 'number') continue // the hub's own records
      latencies.push((Number(process.hrtime.bigint()) - record.t0) / 1e6)
      if (latencies.length === samples) writeFileSync(report, JSON.stringify(latencies))
    }
  })
}
