import { writeSync } from '../node-fs.ts'
import { isMainThread } from 'node:worker_threads'
import { controlBlock } from '../hub/control.ts'
import { requestSyncFlush } from '../hub/sync-flush.ts'
import { hubStateOf, waitAsyncWhileHubState, waitWhileHubState } from '../hub/control-plane.ts'
import { hubChannel } from '../hub/hub-client.ts'
import { askHub, countUnwrittenRecords, flushInline, noteFinalFlush, type Unwritten } from '../hub/hub-starter.ts'
import { NO_STATS, type LogStats } from '../hub/stats.ts'
import { nextMessageId, type ChannelMessage } from '../hub/protocol.ts'
import type { ExitStatus } from '../targets/open-target.ts'
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../options.ts'

async function hubIsRunning (timeoutMs: number): Promise<boolean> {
  const control = controlBlock()
  if (control === undefined) return false
  const deadline = Date.now() + timeoutMs
  while (hubStateOf(control) === 'starting' && Date.now() < deadline) {
    // The hub publishes its state once its channel is open (or when it stops).
    await waitAsyncWhileHubState(control, 'starting', deadline - Date.now())
  }
  return hubStateOf(control) === 'running'
}

/**
 * Resolves once every record logged before the call, in any thread of the process, has been handed
 * to every target (built-in targets have written it; a transport module has accepted it), with the
 * hub's counts at that moment (see {@link stats}). Resolves at once when no hub runs (nothing is
 * buffered then), with no counts.
 */
export async function flushAll (timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS): Promise<LogStats> {
  return await askHubFrom('flush', timeoutMs)
}

/**
 * What the hub has counted so far, without waiting for anything to be written: per source (each
 * thread of this process, each child process relaying to it) the records written, dropped and lost
 * and the bytes written; per target the records it accepted and whether it failed; and the sums.
 * `written + dropped + lost` of a source that has finished logging, after a `flushAll()`, is every
 * record it logged. Resolves with no counts when no hub runs.
 */
export async function stats (timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS): Promise<LogStats> {
  return await askHubFrom('stats', timeoutMs)
}

async function askHubFrom (type: 'flush' | 'stats', timeoutMs: number): Promise<LogStats> {
  if (isMainThread) return await askHub(type, nextMessageId(), async () => await hubIsRunning(timeoutMs))
  const channel = hubChannel()
  // A pending request keeps the thread alive until the hub answers (Atomics.waitAsync does not).
  channel.ref()
  let answered = false
  try {
    if (!(await hubIsRunning(timeoutMs))) return NO_STATS
    const id = nextMessageId()
    const answer = new Promise<LogStats>((resolve) => {
      const onMessage = (event: Event) => {
        const message = (event as unknown as { data: ChannelMessage }).data
        if ((message.type !== 'flushed' && message.type !== 'stats-answer') || message.id !== id) return
        channel.removeEventListener('message', onMessage)
        resolve(message.stats)
      }
      channel.addEventListener('message', onMessage)
      channel.postMessage({ type, id } satisfies ChannelMessage)
    })
    // A hub that stops while serving the request will never answer.
    return await Promise.race([answer, hubStops(() => answered).then(() => NO_STATS)])
  } finally {
    answered = true
    channel.unref()
  }
}

/** Resolves when the hub stops, or soon after `done()` turns true: no waiter is left behind for long. */
async function hubStops (done: () => boolean): Promise<void> {
  const block = controlBlock() as Int32Array
  while (!done() && hubStateOf(block) === 'running') {
    // The hub, or the main thread seeing it exit, publishes it when it stops.
    await waitAsyncWhileHubState(block, 'running', 1000)
  }
}

/**
 * The exit path's flush, for the main thread: blocks (at most `timeoutMs`) until the hub has
 * drained every ring and, when `final` (then with how the process ends), closed its targets. Says
 * on stderr what it could not write.
 */
export function flushAllSync (timeoutMs: number, final: boolean, status?: ExitStatus): void {
  const control = controlBlock()
  if (control === undefined || flushInline(final)) return
  const deadline = Date.now() + timeoutMs
  if (final) noteFinalFlush()
  // A hub started a moment ago may still be booting: its thread does not need ours to come up.
  while (hubStateOf(control) === 'starting' && Date.now() < deadline) {
    waitWhileHubState(control, 'starting', deadline - Date.now())
  }
  const state = hubStateOf(control)
  // A stopped hub has said why on stderr; one still booting at the deadline has written nothing.
  if (state === 'gone') return
  if (state === 'running' && requestSyncFlush(control, final, status, deadline, timeoutMs)) return
  writeSync(2, describeTimeout(timeoutMs, countUnwrittenRecords()))
}

/** What a timed-out exit flush says on stderr: how much is not written, and which targets hold it up. */
function describeTimeout (timeoutMs: number, { unwritten, stalled, hubSilent }: Unwritten): string {
  const start = `threadlog: flush timed out after ${timeoutMs} ms; `
  if (hubSilent) {
    return `${start}${unwritten} records in the threads' rings had not reached every target, ` +
      'and the hub, whose thread a target blocks, did not say what it held\n'
  }
  const holdingUp = stalled.map(({ name, records }) => records > 0
    ? `; target "${name}" had not finished a write of ${records} records`
    : `; target "${name}" had not finished closing`)
  return `${start}${unwritten} records had not reached every target${holdingUp.join('')}\n`
}

