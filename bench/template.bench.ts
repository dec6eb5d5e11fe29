// What a line template costs against the built-in default line, rendering the same parsed records
// in one run, without and with color. Plain pino serializing the same records into a no-op
// destination is the first contender, for scale (the harness's house baseline).
//
//   npm run bench:template      (how to read the result: bench/README.md)
import pino from 'pino'
import { createLineFormatter, type LineFormatter } from '../src/format/pretty.ts'
import { compare, printRatios, ratioBetween } from './harness.ts'

// The default line's columns, as a template (it differs only in spacing: the level is not padded).
const EQUIVALENT_FORMAT = '{time} {level} p[{proc}:{pid}] t[{thread}:{tid}] {msg}  {fields}'

const identity = { pid: 4242, ppid: 1, hostname: 'web-1', proc: 'api', tid: 3, thread: 'resize' }
const calls: Array<[number, Record<string, unknown>, string]> = [
  [30, { seq: 1, reqId: '7f3a9c', user: 42 }, 'request handled'],
  [20, { seq: 2 }, 'cache miss'],
  [40, { seq: 3, reqId: '7f3a9c', ms: 812.5, sql: 'select * from t where a = 1' }, 'slow query'],
  [30, { seq: 4, reqId: '7f3a9c', user: { id: 42, tags: ['a', 'b'] } }, 'user loaded']
]
// What the formatter receives: records as JSON.parse makes them.
const records = calls.map(([level, fields, msg]) =>
  JSON.parse(JSON.stringify({ level, time: 1700000001234 + level, ...identity, ...fields, msg })) as Record<string, unknown>)

const noop = { write (_line: string) {} }
const bare = pino({ base: identity }, noop)

let sink = 0 // read after the run, so that no render is optimised away
// Reading a character flattens the line (a rope until then), as writing it to a destination does.
function renderLoop (format: LineFormatter) {
  return (n: number) => {
    for (let i = 0; i < n; i++) {
      const line = format(records[i & 3] as Record<string, unknown>)
      sink += line.charCodeAt(line.length >> 1)
    }
  }
}
function pinoLoop (n: number): void {
  for (let i = 0; i < n; i++) {
    const [level, fields, msg] = calls[i & 3] as [number, Record<string, unknown>, string]
    if (level === 20) bare.debug(fields, msg); else if (level === 40) bare.warn(fields, msg); else bare.info(fields, msg)
  }
}

for (const colorLevel of [0, 1] as const) {
  const results = compare([
    { name: 'pino serializing the same records (scale)', run: pinoLoop },
    { name: 'default line', run: renderLoop(createLineFormatter({ colorLevel })) },
    { name: 'equivalent template', run: renderLoop(createLineFormatter({ colorLevel, format: EQUIVALENT_FORMAT })) }
  ])
  printRatios(`pretty line, colorLevel ${colorLevel}: ratios to the first contender`, results)
  const template = results.get('equivalent template')
  const defaultLine = results.get('default line')
  if (template !== undefined && defaultLine !== undefined) {
    console.log(`  template / default line: ${ratioBetween(template, defaultLine).toFixed(2)}×   (goal ≤ 1.10×)`)
  }
}
if (sink === 0) console.log('nothing rendered')
