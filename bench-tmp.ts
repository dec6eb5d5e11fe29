import { createLogger, flushAll } from './src/index.ts'
import { readFileSync, existsSync } from 'node:fs'
const [protocol, n, out, port] = [process.argv[2] as 'tcp', Number(process.argv[3]), process.argv[4] as string, Number(process.argv[5])]
const count = () => existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('"appName":"bench"')).length : 0
const before = count()
const log = createLogger({ name: 'bench', targets: [{ target: 'syslog', options: protocol === 'unix' ? { protocol, path: '/tmp/rs1/log.sock' } : { protocol, port } }] })
const t0 = performance.now()
for (let i = 0; i < n; i++) log.info({ reqId: 'abc', i }, 'a message of ordinary length for a benchmark')
await flushAll()
const t1 = performance.now()
let got = 0
const deadline = Date.now() + 60000
while ((got = count() - before) < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
const t2 = performance.now()
console.log(`${protocol}: ${n} logged; handed to the target in ${(t1 - t0).toFixed(0)} ms; ${got} in rsyslog's file after ${(t2 - t0).toFixed(0)} ms → ${(got / ((t2 - t0) / 1000)).toFixed(0)} records/s`)
