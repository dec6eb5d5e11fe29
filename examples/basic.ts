// The smallest threadlog program: one logger, records that carry their process and thread.
//
//   node examples/basic.ts            (pretty on a terminal, NDJSON when piped)
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { createLogger } from '../src/index.ts'

const log = createLogger({ name: 'basic' })
log.info('hello from the main thread')
log.info({ port: 8080 }, 'listening')
log.child({ component: 'db' }).warn({ ms: 412 }, 'slow query')
log.error(new Error('something broke'), 'request failed')
