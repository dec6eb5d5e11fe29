// Preloaded (`node --import`) into a process the bench starts but does not own the code of, the attach
// CLI: its CPU time from SIGUSR2 (sent when the service's clock starts, so start-up is not counted)
// to its exit, written as `{ cpuMs, fromSignal }` to the file CPU_REPORT names.
import { writeFileSync } from 'node:fs'

const report = process.env.CPU_REPORT
let since: NodeJS.CpuUsage | undefined
if (report !== undefined) {
  process.on('SIGUSR2', () => { since = process.cpuUsage() })
  process.on('exit', () => {
    const { user, system } = process.cpuUsage(since)
    writeFileSync(report, JSON.stringify({ cpuMs: (user + system) / 1000, fromSignal: since !== undefined }))
  })
}
