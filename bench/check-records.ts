// What arrived in a destination: every line parsed, each record of the workload accounted for.
import { readFileSync } from 'node:fs'

export interface Arrival {
  lines: number
  /** Lines that are not valid JSON: interleaved or torn writes. */
  corrupt: number
  /** Records of the workload (`w`, `n`) that never arrived whole. */
  lost: number
  duplicated: number
  /** Mean bytes per line, newline included (threadlog's records carry more identity fields). */
  bytesPerLine: number
}

/**
 * Reads an NDJSON file in which `workers` threads each logged records n = 1..perWorker tagged with
 * their worker index `w`. Other valid lines (the hub's own thread records) are counted, not judged.
 */
export function checkRecords (file: string, workers: number, perWorker: number): Arrival {
  const text = readFileSync(file, 'utf8')
  const seen = Array.from({ length: workers }, () => new Uint8Array(perWorker + 1))
  let lines = 0
  let corrupt = 0
  let duplicated = 0
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? text.length : end)
    start = end === -1 ? text.length : end + 1
    lines++
    let record: { w?: unknown, n?: unknown }
    try {
      record = JSON.parse(line) as typeof record
    } catch {
      corrupt++
      continue
    }
    const marks = typeof record.w === 'number' ? seen[record.w] : undefined
    if (marks === undefined || typeof record.n !== 'number') continue
    if (marks[record.n] === 1) duplicated++
    marks[record.n] = 1
  }
  let arrived = 0
  for (const marks of seen) for (let n = 1; n <= perWorker; n++) arrived += marks[n] ?? 0
  return { lines, corrupt, lost: workers * perWorker - arrived, duplicated, bytesPerLine: text.length / Math.max(lines, 1) }
}
