import type { SourceIdentity, ViewRecord } from './view-record.ts'

/**
 * A lifetime on the time axis. Its ends are known when a lifecycle record says so; otherwise they
 * are the first and last record seen, and the page draws that end without a cap.
 */
export interface Lifetime {
  start: number
  end: number
  startKnown: boolean
  endKnown: boolean
  /** `exit code 0`, `signal SIGTERM`: how it ended, when a lifecycle record says. */
  exit?: string
}

/** One process: a header row above its threads' lanes. */
export interface ProcessRow extends Lifetime {
  pid: number
  ppid: number | undefined
  proc: string
  hostname: string | undefined
  /** 0 for a root of the tree, 1 for its children, and so on. */
  depth: number
}

/** One thread of one process. */
export interface Lane extends Lifetime {
  /** Index of its process in {@link LaneLayout.processes}. */
  process: number
  tid: number
  thread: string
}

/** Processes in tree order (parent above children) and their lanes, grouped by process. */
export interface LaneLayout {
  processes: ProcessRow[]
  lanes: Lane[]
  /** The lane index of a source, by {@link sourceKey}. */
  laneIndex: Map<string, number>
}

/** The key of a lane: one thread of one process. */
export const sourceKey = (source: SourceIdentity): string => `${source.pid}/${source.tid}`

interface Seen { source: SourceIdentity, life: Lifetime }

const newLifetime = (time: number): Lifetime => ({ start: time, end: time, startKnown: false, endKnown: false })

function widen (life: Lifetime, time: number): void {
  if (time < life.start) life.start = time
  if (time > life.end) life.end = time
}

function mark (life: Lifetime, time: number, end: boolean, exit: string | undefined): void {
  widen(life, time)
  if (end) {
    life.endKnown = true
    if (exit !== undefined) life.exit = exit
  } else {
    life.startKnown = true
  }
}

/** Every record widens its lane's and its process's lifetime; lifecycle records also mark an end as known. */
function collect (records: readonly ViewRecord[]): { threads: Map<string, Seen>, processes: Map<number, Seen> } {
  const threads = new Map<string, Seen>()
  const processes = new Map<number, Seen>()
  for (const { time, source, lifecycle } of records) {
    const key = sourceKey(source)
    const thread = threads.get(key) ?? threads.set(key, { source, life: newLifetime(time) }).get(key) as Seen
    let process = processes.get(source.pid)
    if (process === undefined) processes.set(source.pid, process = { source, life: newLifetime(time) })
    // The process's own records know its parent; a lifecycle record written by its parent may not.
    else if (process.source.ppid === undefined && source.ppid !== undefined) process.source = source
    widen(thread.life, time)
    widen(process.life, time)
    if (lifecycle === undefined) continue
    const { kind, exit } = lifecycle
    if (kind === 'thread-start' || kind === 'thread-exit') mark(thread.life, time, kind === 'thread-exit', exit)
    else mark(process.life, time, kind === 'process-exit', exit)
  }
  return { threads, processes }
}

/** Parent above children, siblings by start time; a process whose parent is not in the log is a root. */
function orderProcesses (processes: Map<number, Seen>): ProcessRow[] {
  const children = new Map<number | undefined, Seen[]>()
  for (const seen of processes.values()) {
    const ppid = seen.source.ppid
    const parent = ppid !== undefined && ppid !== seen.source.pid && processes.has(ppid) ? ppid : undefined
    const list = children.get(parent) ?? children.set(parent, []).get(parent) as Seen[]
    list.push(seen)
  }
  const rows: ProcessRow[] = []
  const visit = (parent: number | undefined, depth: number): void => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.life.start - b.life.start || a.source.pid - b.source.pid)
    for (const { source, life } of list) {
      rows.push({ ...life, pid: source.pid, ppid: source.ppid, proc: source.proc, hostname: source.hostname, depth })
      visit(source.pid, depth + 1)
    }
  }
  visit(undefined, 0)
  return rows
}

/**
 * Lays records out in lanes: one per thread of each process, grouped by process, the processes
 * in tree order. Each lane and process gets its lifetime from its records and lifecycle records.
 */
export function layOutLanes (records: readonly ViewRecord[]): LaneLayout {
  const { threads, processes } = collect(records)
  const rows = orderProcesses(processes)
  const byProcess = new Map<number, Seen[]>()
  for (const seen of threads.values()) {
    const list = byProcess.get(seen.source.pid) ?? byProcess.set(seen.source.pid, []).get(seen.source.pid) as Seen[]
    list.push(seen)
  }
  const lanes: Lane[] = []
  const laneIndex = new Map<string, number>()
  rows.forEach((row, process) => {
    const list = (byProcess.get(row.pid) ?? []).sort((a, b) => a.source.tid - b.source.tid)
    for (const { source, life } of list) {
      laneIndex.set(sourceKey(source), lanes.length)
      lanes.push({ ...life, process, tid: source.tid, thread: source.thread })
    }
  })
  return { processes: rows, lanes, laneIndex }
}
