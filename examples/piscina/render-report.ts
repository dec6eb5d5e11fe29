// The task of examples/piscina.ts, run in the pool's threads.
import { createLogger, restoreContext } from '../../src/index.ts'

const log = createLogger()

export default restoreContext(({ report }: { report: number }) => {
  log.info({ report }, 'rendering report')
  return report * 10
})
