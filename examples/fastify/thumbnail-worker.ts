// A worker thread of examples/fastify.ts: each job restores the context of the request that sent it.
import { parentPort } from 'node:worker_threads'
import { createLogger, withContext } from '../../src/index.ts'

const log = createLogger()

parentPort?.on('message', ({ item, context }: { item: string, context: Record<string, unknown> }) => {
  withContext(context, () => {
    log.info({ item }, 'thumbnail rendered')
    parentPort?.postMessage({ item })
  })
})
