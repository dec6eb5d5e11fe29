// What filter directives cost per log call, in one run:
// - a call the directives filter out (its thread matches no term that enables it) against a call
//   at a level pino itself disables: both should be pino's no-op method;
// - a call under a ctx.<key> selector (checked per record) against a plain enabled call, in the
//   same withContext scope.
//
//   npm run bench:filter      (how to read the result: bench/README.md)
import pino from 'pino'
import { createLogger, withContext } from '../src/index.ts'
import { compare, printRatios, ratioBetween, type Result } from './harness.ts'

const noop = { write (_line: string) {} }
const context = { tenant: 'acme', reqId: '7f3a9c' }

const pinoInfo = pino({ level: 'info' }, noop)
const filteredOut = createLogger({ destination: noop, filter: 'warn,thread:resize-*=trace,proc:billing=debug' })
const plain = createLogger({ destination: noop })
const contextSelected = createLogger({ destination: noop, filter: 'warn,ctx.tenant:acme=info,ctx.reqId:slow-*=trace' })
const contextDropped = createLogger({ destination: noop, filter: 'warn,ctx.tenant:other=info' })

function loop (log: pino.Logger, method: 'debug' | 'info'): (n: number) => void {
  return (n) => { for (let i = 0; i < n; i++) log[method]('request handled') }
}

const inContext = (run: (n: number) => void) => (n: number) => withContext(context, () => run(n))

function get (results: Map<string, Result>, name: string): Result {
  const result = results.get(name)
  if (result === undefined) throw new Error(`no result for ${name}`)
  return result
}

const disabled = compare([
  { name: 'pino, disabled level (debug at info)', run: loop(pinoInfo, 'debug') },
  { name: 'threadlog, filtered out by directives', run: loop(filteredOut, 'info') }
], { iterations: 1_000_000, rounds: 31 })
printRatios('a call that writes nothing — goal: filtered out ≤ 1.5× a disabled pino level', disabled)

const enabled = compare([
  { name: 'threadlog, plain enabled call', run: inContext(loop(plain, 'info')) },
  { name: 'threadlog, enabled by a ctx.tenant selector', run: inContext(loop(contextSelected, 'info')) },
  { name: 'threadlog, dropped by its ctx.tenant selector', run: inContext(loop(contextDropped, 'info')) }
])
printRatios('an enabled call in a withContext scope — goal: a ctx. selector ≤ 1.2× a plain call', enabled)

// The threshold of a ctx. selector is computed once per scope: here every record has a scope of its own.
const scopePerCall = (log: pino.Logger) => (n: number) => {
  for (let i = 0; i < n; i++) withContext(context, () => log.info('request handled'))
}
const fresh = compare([
  { name: 'threadlog, plain, a new scope per call', run: scopePerCall(plain) },
  { name: 'threadlog, ctx.tenant selector, a new scope per call', run: scopePerCall(contextSelected) }
])
printRatios('the same with a withContext scope per call (the threshold computed every time)', fresh)

const filteredRatio = get(disabled, 'threadlog, filtered out by directives').ratio
const contextRatio = ratioBetween(get(enabled, 'threadlog, enabled by a ctx.tenant selector'), get(enabled, 'threadlog, plain enabled call'))
console.log(`\nfiltered out / disabled pino level: ${filteredRatio.toFixed(2)}× (goal ≤ 1.5×)`)
console.log(`ctx. selector / plain enabled call: ${contextRatio.toFixed(2)}× (goal ≤ 1.2×)`)
console.log(`the same, a scope per call: ${get(fresh, 'threadlog, ctx.tenant selector, a new scope per call').ratio.toFixed(2)}×`)
