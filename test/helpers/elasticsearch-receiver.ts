import type { ReceivedRequest, Reply } from './http-receiver.ts'

/** The headers Elasticsearch 8 answers with: the client refuses a server without the product header. */
const ES_HEADERS = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }

/** One bulk action with its document, as `POST /_bulk` received them. */
export interface BulkEntry {
  readonly action: Record<string, { _index?: string, op_type?: string }>
  readonly doc: Record<string, unknown>
}

/** Every action/document pair of the bulk requests in `requests`; throws on a line that is not JSON. */
export function bulkEntries (requests: readonly ReceivedRequest[]): BulkEntry[] {
  const entries: BulkEntry[] = []
  for (const request of requests) {
    if (request.url !== '/_bulk') continue
    const lines = request.body.toString('utf8').split('\n').filter((line) => line !== '')
    for (let i = 0; i < lines.length; i += 2) {
      entries.push({ action: JSON.parse(lines[i] as string) as BulkEntry['action'], doc: JSON.parse(lines[i + 1] as string) as BulkEntry['doc'] })
    }
  }
  return entries
}

/**
 * Answers like an Elasticsearch 8 node: `GET /` with its version, `POST /_bulk` with one created
 * item per action (and `errors: false`), `/<index>/_refresh`; 404 otherwise.
 */
export function answerLikeElasticsearch (request: ReceivedRequest): Reply {
  if (request.method === 'GET' && request.url === '/') {
    return {
      status: 200,
      headers: ES_HEADERS,
      body: JSON.stringify({ name: 'test', cluster_name: 'test', version: { number: '8.15.0', build_flavor: 'default' }, tagline: 'You Know, for Search' })
    }
  }
  if (request.method === 'POST' && request.url === '/_bulk') {
    const items = bulkEntries([request]).map(({ action }, i) => {
      const [opType, meta] = Object.entries(action)[0] as [string, { _index?: string }]
      return { [opType]: { _index: meta._index, _id: String(i), status: 201, result: 'created' } }
    })
    return { status: 200, headers: ES_HEADERS, body: JSON.stringify({ took: 1, errors: false, items }) }
  }
  if (request.url.endsWith('/_refresh')) {
    return { status: 200, headers: ES_HEADERS, body: JSON.stringify({ _shards: { total: 1, successful: 1, failed: 0 } }) }
  }
  return { status: 404, headers: ES_HEADERS, body: JSON.stringify({ error: `no route for ${request.method} ${request.url}`, status: 404 }) }
}
