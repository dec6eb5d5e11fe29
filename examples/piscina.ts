// A piscina 5 pool whose tasks log under the context of the request that queued them: carryContext
// wraps each task with the caller's context, restoreContext (in the task file) puts it back. Every
// pool thread writes into threadlog's one hub, and destroying the pool is not reported as a crash.
//
//   npm run example:piscina
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { Piscina } from 'piscina'
import { carryContext, createLogger, withContext } from '../src/index.ts'

const log = createLogger({ name: 'reports' })
const pool = new Piscina({ filename: new URL('./piscina/render-report.ts', import.meta.url).href, maxThreads: 2 })

const pages = await Promise.all([1, 2, 3, 4].map(async (report) =>
  await withContext({ jobId: `job-${report}` }, async () => {
    log.info({ report }, 'report queued')
    return await pool.run(carryContext({ report })) as number
  })))
log.info({ pages }, 'all reports rendered')
await pool.destroy()
