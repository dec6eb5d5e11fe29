import { controlBlock } from '../hub/control.ts'
import { hubStateOf } from '../hub/control-plane.ts'
import { hubChannel } from '../hub/hub-client.ts'
import { nextMessageId, type ChannelMessage } from '../hub/protocol.ts'
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../options.ts'
import { parseDirectives } from './directives.ts'
import { applyFilterToProcess } from './process-filter.ts'
import { processDirectives, refreshFilter } from './thread-filter.ts'

/**
 * Asks this process's hub to hand the directives to every child process connected to it, and
 * resolves once each has applied them (or gone). At once when no hub runs: no child can be connected.
 */
async function setFilterInChildren (text: string, timeoutMs: number): Promise<string | undefined> {
  const control = controlBlock()
  if (control === undefined || hubStateOf(control) !== 'running') return undefined
  const channel = hubChannel()
  // A pending request keeps the thread alive until the hub answers.
  channel.ref()
  const id = nextMessageId()
  let onMessage: (event: Event) => void = () => {}
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise<string | undefined>((resolve) => {
      onMessage = (event) => {
        const message = (event as unknown as { data: ChannelMessage }).data
        if (message.type === 'filter-set' && message.id === id) resolve(undefined)
      }
      channel.addEventListener('message', onMessage)
      timer = setTimeout(() => resolve(`child processes did not apply it within ${timeoutMs} ms`), timeoutMs)
      channel.postMessage({ type: 'set-filter', id, text } satisfies ChannelMessage)
    })
  } finally {
    clearTimeout(timer)
    channel.removeEventListener('message', onMessage)
    channel.unref()
  }
}

/**
 * Replaces the filter directives (the `filter` options and `THREADLOG`) of every logger in every
 * thread of this process and of every child process connected to its hub, e.g.
 * `await setFilter('info,thread:resize-*=debug')`. Resolves once all of them apply it: a record
 * made anywhere after that follows the new directives. A logger whose `level` the program assigned
 * keeps that level. `''` removes every directive: each logger's pino `level` applies.
 *
 * @throws {TypeError} (as a rejection) when the directives are invalid, quoting the bad term; nothing changes then.
 * @throws {Error} (as a rejection) naming the threads or saying which processes did not apply it within 10 s.
 */
export async function setFilter (directives: string): Promise<void> {
  // Checked before any thread or process hears of it.
  parseDirectives(directives, 'setFilter')
  const timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS
  const [behind, children] = await Promise.all([
    applyFilterToProcess(directives, 'setFilter', timeoutMs),
    setFilterInChildren(directives, timeoutMs)
  ])
  const late = [behind.length > 0 ? `the threads with tid ${behind.join(', ')} did not apply it within ${timeoutMs} ms` : '', children ?? '']
    .filter((reason) => reason !== '')
  if (late.length > 0) throw new Error(`threadlog: setFilter: ${late.join('; ')}`)
}

/**
 * The directives in force for the whole process: the last `setFilter`'s, else `THREADLOG`'s (in
 * canonical form), else undefined, when each logger's own `filter` option applies.
 */
export function getFilter (): string | undefined {
  refreshFilter()
  return processDirectives()?.text
}
