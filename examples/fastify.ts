// fastify 5 with threadlog as its logger. fastify's `req.log` binds `reqId`; an onRequest hook also
// opens a withContext scope with it, so that what the request hands to a worker thread (here, a
// thumbnail job) logs under the same reqId. The key is written once per record: bindings win.
//
//   npm run example:fastify        (sends three requests to itself, then closes)
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import Fastify from 'fastify'
import { captureContext, createLogger, withContext } from '../src/index.ts'

const REQUESTS = 3

const app = Fastify({ loggerInstance: createLogger({ name: 'shop' }) })
const thumbnails = new Worker(new URL('./fastify/thumbnail-worker.ts', import.meta.url), { name: 'thumbnails' })

// The whole request's lifecycle runs inside `done`, so it runs inside the scope.
app.addHook('onRequest', (request, _reply, done) => withContext({ reqId: request.id }, done))

app.get('/items/:id', async (request) => {
  const { id } = request.params as { id: string }
  request.log.info({ item: id }, 'looking up the item')
  thumbnails.postMessage({ item: id, context: captureContext() })
  const [done] = await once(thumbnails, 'message') as [{ item: string }]
  return { item: done.item, thumbnail: `/thumbs/${done.item}.png` }
})

await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as { port: number }
for (let item = 1; item <= REQUESTS; item++) {
  await (await fetch(`http://127.0.0.1:${port}/items/${item}`)).json()
}
await app.close()
await thumbnails.terminate()
