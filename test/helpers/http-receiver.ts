import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { TestContext } from 'node:test'

/** One request as the receiver got it, body whole. */
export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** What the receiver answers a request with. */
export interface Reply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Buffer
}

export interface HttpReceiver {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string
  readonly requests: ReceivedRequest[]
  /** Resolves once `done(requests)` holds, checked after each request (and now). */
  readonly until: (done: (requests: readonly ReceivedRequest[]) => boolean) => Promise<void>
  /** Stops taking connections and ends the open ones: a receiver that went away. */
  readonly close: () => Promise<void>
}

/**
 * A small HTTP server on loopback, in the test process, standing in for an aggregator: it keeps
 * every request and answers each with `reply`. Stopped after the test.
 */
export async function startReceiver (t: TestContext, reply: (request: ReceivedRequest) => Reply): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = []
  const waiters = new Set<() => void>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      requests.push(request)
      const answer = reply(request)
      res.writeHead(answer.status, answer.headers).end(answer.body)
      for (const waiter of waiters) waiter()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    const done = once(server, 'close')
    server.close()
    server.closeAllConnections()
    await done
  }
  t.after(close)
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close,
    until: async (done) => {
      while (!done(requests)) await new Promise<void>((resolve) => { waiters.add(function wake () { waiters.delete(wake); resolve() }) })
    }
  }
}
