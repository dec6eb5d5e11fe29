// pino-http on plain node:http with threadlog as its logger: the request and response records carry
// the identity, and a withContext scope around the handler adds the request's id to what it logs.
//
//   npm run example:pino-http      (sends two requests to itself, then closes)
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pinoHttp } from 'pino-http'
import { createLogger, withContext } from '../src/index.ts'

const httpLogger = pinoHttp({ logger: createLogger({ name: 'gateway' }) })

const server = createServer((request, response) => {
  httpLogger(request, response)
  withContext({ reqId: request.id }, () => {
    request.log.info({ path: request.url }, 'routing')
    response.end('ok\n')
  })
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const { port } = server.address() as AddressInfo
for (const path of ['/a', '/b']) await (await fetch(`http://127.0.0.1:${port}${path}`)).text()
server.close()
