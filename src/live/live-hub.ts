// The live side of a root hub: its attach socket, its registry entry, the overlay of `--set`.
import { writeSync } from 'node:fs'
import { applyFilterToProcess } from '../filter/process-filter.ts'
import type { HubRecordSettings } from '../hub/hub-records.ts'
import type { SocketServer } from '../tree/socket-server.ts'
import type { LogStats } from '../hub/stats.ts'
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../options.ts'
import type { RecordBatch } from '../ring/record-batch.ts'
import type { Segments } from '../hub/time-merge.ts'
import { AttachServer } from './attach-server.ts'
import { FilterOverlay } from './filter-overlay.ts'
import { writeEntry } from './registry.ts'
import type { LiveSettings } from './root-registration.ts'
import { RateSampler, sumTree } from './tree-status.ts'

/** How long `ps` waits for child processes to say what only they know. */
const CHILD_REPORT_MS = 500

/** What the live side reads of the hub. */
export interface LiveHubView {
  readonly snapshot: () => LogStats
  /** Threads with a ring in this process. */
  readonly threads: () => number
  readonly children: SocketServer | undefined
  readonly settings: () => HubRecordSettings
}

/** The hub's handle on it: every batch passes through {@link deliver} before the targets get it. */
export interface LiveHub {
  /** Hands the batch to attach clients; returns what the targets get (without what only an overlay raised). */
  readonly deliver: (batch: RecordBatch, segments: Segments) => RecordBatch
  /** The process exits, every record delivered: says so to the attached clients. */
  readonly end: () => void
}

/**
 * Listens on the attach socket, then writes the registry entry: an entry is there only for a hub
 * that answers. Undefined when it cannot listen (said on stderr): the service runs on, unlisted.
 */
export async function startLiveHub (live: LiveSettings, view: LiveHubView): Promise<LiveHub | undefined> {
  const written = () => view.snapshot().written
  const rate = new RateSampler(written)
  const overlay = new FilterOverlay({
    apply: async (text) => {
      await Promise.all([applyFilterToProcess(text, 'option "--set"', DEFAULT_FLUSH_TIMEOUT_MS), view.children?.setFilter(text)])
    },
    fallback: () => ({ filter: view.settings().filter, level: view.settings().level })
  })
  const server = new AttachServer({
    overlay,
    process: { pid: live.entry.pid },
    status: async () => {
      const children = await view.children?.reportChildren(CHILD_REPORT_MS) ?? []
      const stats = view.snapshot()
      const root = { threads: view.threads(), written: stats.written, dropped: stats.dropped, lost: stats.lost }
      return sumTree(live.entry, root, children, { recordsPerSecond: rate.perSecond(stats.written), filter: overlay.currentText() })
    }
  })
  if (!(await server.listen(live.entry.socket))) return undefined
  try {
    writeEntry(live.dir, live.entry)
  } catch (error) {
    writeSync(2, `threadlog: not registering for threadlog ps/attach: ${(error as Error).message}\n`)
  }
  return {
    deliver: (batch, segments) => {
      server.deliver(batch, segments)
      return overlay.forTargets(batch)
    },
    end: () => server.end()
  }
}
