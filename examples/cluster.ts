// An HTTP server on 4 cluster workers. Every worker's records travel to the primary's hub, so the
// whole service writes one stream: each line carries the worker's pid and cluster id (`worker`), and
// each request's `reqId`, set by withContext around the handler, follows every record it causes.
//
//   npm run example:cluster        (the primary sends a few requests itself, then stops the workers)
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import cluster from 'node:cluster'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLogger, withContext } from '../src/index.ts'

const WORKERS = 4
const REQUESTS = 8

// The same line in the primary and in every worker: the primary's logger starts the hub (and
// exports THREADLOG_HUB); a worker's logger finds the variable and relays to it.
const log = createLogger({ name: cluster.isPrimary ? 'primary' : 'http' })

let nextRequest = 0
function handle (request: IncomingMessage, response: ServerResponse): void {
  const reqId = `${cluster.worker?.id}-${++nextRequest}`
  withContext({ reqId }, () => {
    log.info({ method: request.method, url: request.url }, 'request received')
    const item = request.url?.split('/').at(-1) ?? ''
    if (item === '7') log.warn({ item }, 'item is out of stock')
    response.end(`item ${item}\n`)
    log.info({ status: response.statusCode }, 'response sent')
  })
}

async function startWorker (): Promise<void> {
  const server = createServer(handle)
  // Cluster workers share the primary's port: port 0 is picked once, by the primary.
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  log.info('worker listening')
  cluster.worker?.on('disconnect', () => server.close())
}

async function runPrimary (): Promise<void> {
  log.info({ workers: WORKERS }, 'starting the cluster')
  const workers = Array.from({ length: WORKERS }, () => cluster.fork())
  const [address] = await Promise.all(workers.map(async (worker) => (await once(worker, 'listening') as [AddressInfo])[0]))
  for (let item = 1; item <= REQUESTS; item++) {
    const response = await fetch(`http://127.0.0.1:${address?.port}/items/${item}`, { headers: { connection: 'close' } })
    await response.text()
  }
  for (const worker of workers) worker.disconnect()
  await Promise.all(workers.map(async (worker) => await once(worker, 'exit')))
  log.info('cluster stopped')
}

if (cluster.isPrimary) await runPrimary()
else await startWorker()
