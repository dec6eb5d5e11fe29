// What enrichment costs per log call: bare pino against threadlog (identity, seq and two context
// fields), into the same no-op destination, in one run.
//
//   npm run bench:enrich      (how to read the result: bench/README.md)
import { AsyncLocalStorage } from 'node:async_hooks'
import pino from 'pino'
import { createLogger, withContext } from '../src/index.ts'
import { compare, printRatios } from './harness.ts'

const noop = { write (_line: string) {} }
const context = { reqId: '7f3a9c', user: 42 }

const bare = pino({}, noop)
const als = new AsyncLocalStorage<typeof context>()
const withMixin = pino({ mixin: () => als.getStore() ?? {} }, noop)
const threadlog = createLogger({ destination: noop })
const threadlogNoContext = createLogger({ destination: noop, context: false })

function loop (log: pino.Logger) {
  return (n: number) => { for (let i = 0; i < n; i++) log.info('request handled') }
}

const medians = compare([
  { name: 'pino (bare)', run: loop(bare) },
  { name: 'pino + mixin reading AsyncLocalStorage', run: (n) => als.run(context, () => loop(withMixin)(n)) },
  { name: 'threadlog (identity + seq + 2 context fields)', run: (n) => withContext(context, () => loop(threadlog)(n)) },
  { name: 'threadlog, context: false', run: loop(threadlogNoContext) }
])
printRatios('log.info(msg) into a no-op destination — goal: threadlog ≤ 1.15× bare pino', medians)
