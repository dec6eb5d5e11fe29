// What `threadlog ps` shows of a running tree, and the rate it computes from the hub's counts.
import type { ProcessReport } from '../tree/frames.ts'
import type { RegistryEntry } from './registry.ts'

/** One tree as the root hub describes it (STATUS_REPORT to an attach client). */
export interface TreeStatus {
  readonly pid: number
  readonly proc: string
  readonly startedAt: number
  readonly uptimeMs: number
  /** The root and the child processes that answered. */
  readonly processes: number
  /** Threads with a ring, in every process of the tree. */
  readonly threads: number
  /** Records written per second over the last {@link RATE_WINDOW_MS} (or since the hub started). */
  readonly recordsPerSecond: number
  readonly written: number
  readonly dropped: number
  readonly lost: number
  readonly socket: string
  /** The tree's filter directives in force (a `--set` overlay while one is), `''` for none. */
  readonly filter: string
  /** Attach clients connected now, and those the hub disconnected (garbage, stalls, floods). */
  readonly clients: number
  readonly refusedClients: number
}

/** What the hub knows of its tree; the attach server adds its own client counts. */
export type HubStatus = Omit<TreeStatus, 'clients' | 'refusedClients'>

/** How far back records/s looks. */
export const RATE_WINDOW_MS = 5000
const SAMPLE_MS = 1000

/** Samples the hub's written total once a second, so that a rate is there when `ps` asks. */
export class RateSampler {
  readonly #samples: Array<{ time: number, written: number }> = []
  readonly #timer: NodeJS.Timeout
  readonly #written: () => number

  /** Starts from 0 records now: the hub has written nothing when it starts listening. */
  constructor (written: () => number) {
    this.#written = written
    this.#samples.push({ time: Date.now(), written: 0 })
    this.#timer = setInterval(() => {
      this.#samples.push({ time: Date.now(), written: this.#written() })
      // One sample older than the window stays: it is where the window starts.
      while (this.#samples.length > RATE_WINDOW_MS / SAMPLE_MS + 1) this.#samples.shift()
    }, SAMPLE_MS)
    this.#timer.unref() // the hub never keeps the process alive
  }

  /** Records per second from the oldest sample kept to `written` now. */
  perSecond (written: number): number {
    const oldest = this.#samples[0] as { time: number, written: number }
    const seconds = (Date.now() - oldest.time) / 1000
    return seconds <= 0 ? 0 : Math.round((written - oldest.written) / seconds)
  }
}

/** The root's own counts, and what its children said of theirs, summed into one tree. */
export function sumTree (entry: RegistryEntry, root: { threads: number, written: number, dropped: number, lost: number },
  children: readonly ProcessReport[], extra: Pick<TreeStatus, 'recordsPerSecond' | 'filter'>): HubStatus {
  const sum = (key: 'threads' | 'dropped' | 'lost') => children.reduce((total, child) => total + child[key], root[key])
  return {
    pid: entry.pid,
    proc: entry.proc,
    startedAt: entry.startedAt,
    uptimeMs: Date.now() - entry.startedAt,
    processes: 1 + children.length,
    threads: sum('threads'),
    written: root.written,
    dropped: sum('dropped'),
    lost: sum('lost'),
    socket: entry.socket,
    ...extra
  }
}
