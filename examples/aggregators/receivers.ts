// Stand-ins for Loki, Elasticsearch and an OpenTelemetry collector, for examples/aggregators.ts:
// one HTTP server on loopback that answers what each expects and counts the records it gets. It
// prints its URL on its IPC channel, then one line per request, and says when every receiver has
// had `expected` records (its only argument).
import { createServer } from 'node:http'
import { writeSync } from 'node:fs'

const expected = Number(process.argv[2])
const counts = { loki: 0, elasticsearch: 0, otlp: 0 }
const ES = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }

function countLoki (body: string): string {
  const { streams } = JSON.parse(body) as { streams: Array<{ stream: Record<string, string>, values: unknown[] }> }
  counts.loki += streams.reduce((sum, { values }) => sum + values.length, 0)
  const labels = [...new Set(streams.map(({ stream }) => `{proc="${stream.proc}",thread="${stream.thread}"}`))]
  return `${streams.length} entries, streams ${labels.join(' ')}`
}

function countBulk (body: string): [string, string] {
  const lines = body.split('\n').filter((line) => line !== '')
  counts.elasticsearch += lines.length / 2
  const items = lines.filter((_, i) => i % 2 === 0).map(() => ({ create: { status: 201, result: 'created' } }))
  const doc = JSON.parse(lines[1] ?? '{}') as Record<string, unknown>
  return [JSON.stringify({ took: 1, errors: false, items }), `${lines.length / 2} documents, e.g. thread=${String(doc.thread)} tid=${String(doc.tid)}`]
}

function countOtlp (body: string): string {
  const request = JSON.parse(body) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ traceId?: string }> }> }> }
  const records = request.resourceLogs.flatMap(({ scopeLogs }) => scopeLogs.flatMap(({ logRecords }) => logRecords))
  counts.otlp += records.length
  return `${records.length} log records, ${records.filter(({ traceId }) => traceId !== undefined && traceId !== '').length} with a trace`
}

const server = createServer((req, res) => {
  let body = ''
  req.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
  req.on('end', () => {
    let said: string
    if (req.url === '/loki/api/v1/push') {
      said = `loki           ← ${countLoki(body)}`
      res.writeHead(204).end()
    } else if (req.url === '/_bulk') {
      const [answer, summary] = countBulk(body)
      said = `elasticsearch  ← ${summary}`
      res.writeHead(200, ES).end(answer)
    } else if (req.url === '/v1/logs') {
      said = `otlp collector ← ${countOtlp(body)}`
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    } else {
      res.writeHead(200, ES).end(JSON.stringify({ version: { number: '8.15.0' }, tagline: 'You Know, for Search' }))
      return
    }
    // Straight to fd 1: the parent may be blocked in its exit flush while the last requests come.
    writeSync(1, `  ${said}\n`)
    if (Object.values(counts).every((count) => count >= expected)) process.send?.({ done: counts })
  })
})
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })
})
// Ends with its parent, whose IPC channel closes then.
process.on('disconnect', () => server.close())
server.unref()
process.channel?.ref()
