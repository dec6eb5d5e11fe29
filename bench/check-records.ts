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

/** What every check reads: the lines of an NDJSON file, each parsed one handed to `visit`. */
interface Lines { lines: number, corrupt: number, bytesPerLine: number }

function readNdjson<T> (file: string, visit: (record: T) => void): Lines {
  const text = readFileSync(file, 'utf8')
  let lines = 0
  let corrupt = 0
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? text.length : end)
    start = end === -1 ? text.length : end + 1
    lines++
    let record: T
    try {
      record = JSON.parse(line) as T
    } catch {
      corrupt++
      continue
    }
    visit(record)
  }
  return { lines, corrupt, bytesPerLine: text.length / Math.max(lines, 1) }
}

/**
 * Reads an NDJSON file in which `workers` threads each logged records n = 1..perWorker tagged with
 * their worker index `w`. Other valid lines (the hub's own thread records) are counted, not judged.
 */
export function checkRecords (file: string, workers: number, perWorker: number): Arrival {
  const seen = Array.from({ length: workers }, () => new Uint8Array(perWorker + 1))
  let duplicated = 0
  const { lines, corrupt, bytesPerLine } = readNdjson<{ w?: unknown, n?: unknown }>(file, (record) => {
    const marks = typeof record.w === 'number' ? seen[record.w] : undefined
    if (marks === undefined || typeof record.n !== 'number') return
    if (marks[record.n] === 1) duplicated++
    marks[record.n] = 1
  })
  let arrived = 0
  for (const marks of seen) for (let n = 1; n <= perWorker; n++) arrived += marks[n] ?? 0
  return { lines, corrupt, lost: workers * perWorker - arrived, duplicated, bytesPerLine }
}

export interface SourceArrival {
  lines: number
  corrupt: number
  /** Sources (`pid`, and `tid` where records carry it) that logged records of the workload. */
  sources: number
  /** Records of the workload (`n` per source) that never arrived whole. */
  lost: number
  duplicated: number
  /**
   * Records that did not follow the previous one of their source: a `seq` (threadlog's, on every
   * record, the hub's own too) other than the last + 1, or an `n` that went back.
   */
  disordered: number
  bytesPerLine: number
}

/**
 * Reads an NDJSON file in which each of `sources` sources (a process's thread) logged records
 * n = 1..perSource in order. Every (pid, tid, seq) must appear exactly once and in order per source,
 * every record of the workload exactly once.
 */
export function checkSources (file: string, sources: number, perSource: number): SourceArrival {
  const bySource = new Map<string, { seq: number, n: number, marks: Uint8Array | undefined }>()
  let duplicated = 0
  let disordered = 0
  const { lines, corrupt, bytesPerLine } = readNdjson<{ pid?: unknown, tid?: unknown, seq?: unknown, n?: unknown }>(file, (record) => {
    const key = `${String(record.pid)}/${String(record.tid)}`
    const source = bySource.get(key) ?? { seq: 0, n: 0, marks: undefined }
    bySource.set(key, source)
    if (typeof record.seq === 'number') {
      if (record.seq !== source.seq + 1) disordered++
      source.seq = record.seq
    }
    if (typeof record.n !== 'number' || record.n < 1 || record.n > perSource) return
    source.marks ??= new Uint8Array(perSource + 1)
    if (source.marks[record.n] === 1) duplicated++
    else if (record.n < source.n && typeof record.seq !== 'number') disordered++
    source.marks[record.n] = 1
    source.n = record.n
  })
  let arrived = 0
  let workloadSources = 0
  for (const { marks } of bySource.values()) {
    if (marks === undefined) continue
    workloadSources++
    for (let n = 1; n <= perSource; n++) arrived += marks[n] ?? 0
  }
  return {
    lines, corrupt, sources: workloadSources, lost: Math.max(0, sources * perSource - arrived), duplicated, disordered, bytesPerLine
  }
}
