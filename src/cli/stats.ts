import { LEVEL_VALUES } from '../levels.ts'
import { levelOfRecord, timeOfRecord } from '../select/record-test.ts'
import { sourceKey, type LineSink } from './line-sink.ts'
import type { Output } from './output.ts'

const LEVELS = Object.entries(LEVEL_VALUES).sort(([, a], [, b]) => a - b)
const HEADER = ['proc', 'pid', 'thread', 'tid', ...LEVELS.map(([name]) => name), 'total', 'first', 'last']
/** Columns holding numbers, right-aligned: pid, tid, the level counts, total. */
const NUMERIC = new Set([1, 3, ...LEVELS.map((_, index) => 4 + index), 4 + LEVELS.length])

/** One source's row: counts per level and the range of its times. */
interface Row {
  readonly proc: string
  readonly pid: string
  readonly thread: string
  readonly tid: string
  readonly counts: number[]
  total: number
  first: number
  last: number
}

function cell (value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '-'
}

// A custom level counts with the highest standard level at or below it (45 with warn), as its color does.
function levelColumn (level: number | undefined): number {
  if (level === undefined) return -1
  for (let index = LEVELS.length - 1; index >= 0; index--) if (level >= (LEVELS[index]?.[1] as number)) return index
  return -1
}

const pad2 = (value: number): string => String(value).padStart(2, '0')

/** Local date and time to the millisecond: a table of a long log spans days. */
function formatTime (ms: number): string {
  if (!Number.isFinite(ms)) return '-'
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

function newRow (record: Record<string, unknown>): Row {
  return {
    proc: cell(record['proc']),
    pid: cell(record['pid']),
    thread: cell(record['thread']),
    tid: cell(record['tid']),
    counts: LEVELS.map(() => 0),
    total: 0,
    first: Infinity,
    last: -Infinity
  }
}

function addTo (row: Row, level: number, time: number | undefined): void {
  if (level >= 0) row.counts[level] = (row.counts[level] as number) + 1
  row.total++
  if (time !== undefined) {
    if (time < row.first) row.first = time
    if (time > row.last) row.last = time
  }
}

function cellsOf (row: Row): string[] {
  return [row.proc, row.pid, row.thread, row.tid, ...row.counts.map(String), String(row.total), formatTime(row.first), formatTime(row.last)]
}

/** Lays rows out in columns two spaces apart, numbers right-aligned. */
function formatTable (rows: string[][]): string {
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  return rows.map((row) => row.map((text, column) =>
    NUMERIC.has(column) ? text.padStart(widths[column] as number) : text.padEnd(widths[column] as number)
  ).join('  ').trimEnd() + '\n').join('')
}

/**
 * `--stats`: instead of the records, a table of the selected ones: one row per source (process and
 * thread) in the order they first appear, with counts per level, the total, and the earliest and
 * latest time; then a row for all of them. Lines that are not JSON are not counted.
 */
export class StatsSink implements LineSink {
  readonly #output: Output
  readonly #rows = new Map<string, Row>()
  readonly #all: Row = newRow({ proc: 'all' })

  constructor (output: Output) {
    this.#output = output
  }

  record (_source: Buffer, _start: number, _end: number, record: Record<string, unknown>): void {
    const key = sourceKey(record)
    let row = this.#rows.get(key)
    if (row === undefined) {
      row = newRow(record)
      this.#rows.set(key, row)
    }
    const level = levelColumn(levelOfRecord(record['level']))
    const time = timeOfRecord(record['time'])
    addTo(row, level, time)
    addTo(this.#all, level, time)
  }

  text (): void {}

  end (): void {
    const rows = [HEADER, ...[...this.#rows.values()].map(cellsOf), cellsOf(this.#all)]
    this.#output.text(formatTable(rows))
  }
}
