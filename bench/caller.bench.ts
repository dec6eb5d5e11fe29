// What `caller: true` costs per log call: bare pino, threadlog, and threadlog with the caller
// location, into the same no-op destination, in one run. Both threadlog loggers have default
// options otherwise (context on, no scope open), so the difference between them is the location.
//
//   npm run bench:caller      (how to read the result: bench/README.md)
import pino from 'pino'
import { createLogger } from '../src/index.ts'
import { compare, printRatios, ratioBetween } from './harness.ts'

const noop = { write (_line: string) {} }

const bare = pino({}, noop)
const threadlog = createLogger({ destination: noop })
const withCaller = createLogger({ destination: noop, caller: true })

function loop (log: pino.Logger) {
  return function handleRequests (n: number) {
    for (let i = 0; i < n; i++) log.info('request handled')
  }
}

// A stack trace per call is slow: fewer iterations per round keep the run under ten seconds.
const results = compare([
  { name: 'pino (bare)', run: loop(bare) },
  { name: 'threadlog', run: loop(threadlog) },
  { name: 'threadlog, caller: true', run: loop(withCaller) }
], { iterations: 5_000 })
printRatios('log.info(msg) into a no-op destination', results)

const plain = results.get('threadlog')
const located = results.get('threadlog, caller: true')
if (plain !== undefined && located !== undefined) {
  console.log(`  caller: true vs threadlog without it: ${ratioBetween(located, plain).toFixed(2)}×, ` +
    `+${(located.nsPerOp - plain.nsPerOp).toFixed(0)} ns/call`)
}
