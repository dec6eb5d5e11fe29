// Is threadlog dearer than pino writing the same fields? Bare pino; pino given the same identity and
// context fields, all in `base`, or the pino way with the context in a child logger's bindings; and
// threadlog. The destination reads each line's length in bytes, as a real one must: into a no-op
// destination extra fields cost almost nothing, since nobody flattens the concatenated string.
// Kept apart from enrich.bench.ts: a child logger in the process changes every contender's ratio.
// How to read the result: bench/README.md.
//
//   node bench/same-fields.bench.ts
import pino from 'pino'
import { resolveProcessInfo } from '../src/context/process-info.ts'
import { resolveThreadInfo } from '../src/context/thread-info.ts'
import { createLogger, withContext } from '../src/index.ts'
import { compare, printRatios, ratioBetween } from './harness.ts'

let bytes = 0
const byteCounter = { write (line: string) { bytes += Buffer.byteLength(line) } }
const context = { reqId: '7f3a9c', user: 42 }
// The identity threadlog writes (pid, ppid, hostname, proc, tid, thread), in the same order.
const identity = { ...resolveProcessInfo(undefined), ...resolveThreadInfo(undefined) }

const bare = pino({}, byteCounter)
const allInBase = pino({ base: { ...identity, ...context } }, byteCounter)
const childBindings = pino({ base: identity }, byteCounter).child(context)
const threadlog = createLogger({ destination: byteCounter })

function loop (log: pino.Logger) {
  return (n: number) => { for (let i = 0; i < n; i++) log.info('request handled') }
}

const names = {
  bare: 'pino (bare)',
  allInBase: 'pino, same fields, all in base',
  childBindings: 'pino, same fields, context as child bindings',
  threadlog: 'threadlog (identity + seq + 2 context fields)'
}
const results = compare([
  { name: names.bare, run: loop(bare) },
  { name: names.allInBase, run: loop(allInBase) },
  { name: names.childBindings, run: loop(childBindings) },
  { name: names.threadlog, run: (n) => withContext(context, () => loop(threadlog)(n)) }
])
printRatios('log.info(msg) into a destination that counts bytes, against pino writing the same fields', results)
const ours = results.get(names.threadlog)
for (const other of [names.allInBase, names.childBindings]) {
  const theirs = results.get(other)
  if (ours !== undefined && theirs !== undefined) {
    console.log(`  threadlog against "${other}": ${ratioBetween(ours, theirs).toFixed(2)}×`)
  }
}
