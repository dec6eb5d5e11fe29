import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads'
import { symbols, type Logger as PinoLogger } from 'pino'
import { currentFrame } from '../context/async-context.ts'
import { parseDirectives, type Directives, type FilterSubject } from './directives.ts'
import { FILTER_CHANNEL, FilterSlot, acknowledge, filterBlock, filterGeneration, readFilterText, releaseThreadSlot, takeThreadSlot } from './filter-block.ts'

/** pino's logger with the internals the filter sets: its level, through pino's own setter. */
type Logger = PinoLogger & {
  [symbols.setLevelSym]: (level: string) => void
  [symbols.getLevelSym]: () => string
  [symbols.levelValSym]: number
}

/** One logger made by createLogger, as the filter sees it. */
export interface FilterBinding {
  /**
   * The threshold a record of this logger gets from its context, or undefined when the level alone
   * decides (no `ctx.` term can decide for this thread): the logger's pino level is then the
   * directives' threshold, and a filtered-out call is one of pino's disabled methods.
   */
  contextThreshold: ((logger: object) => number) | undefined
}

interface AttachedLogger {
  readonly logger: WeakRef<Logger>
  readonly binding: FilterBinding
  readonly identity: Omit<FilterSubject, 'context'>
  /** The logger's own level (pino's `level` option): what applies where no term decides. */
  readonly fallback: number
  /** Its `filter` option, which THREADLOG and setFilter override. */
  readonly own: Directives | undefined
  /** Set once the program assigned `logger.level` itself: the directives no longer decide it. */
  explicit: boolean
}

const attached = new Set<AttachedLogger>()
// A logger nobody uses any more leaves the set: the set holds nothing that keeps a logger alive.
const forget = new FinalizationRegistry<AttachedLogger>((entry) => attached.delete(entry))
let environment: Directives | null | undefined
/** The generation of the filter block this thread last applied; 0 before any setFilter. */
let appliedGeneration = 0
let runtime: Directives | undefined
let slot = -1
let listening = false

/** THREADLOG, parsed once per thread: a bad value throws at the first createLogger. */
export function environmentDirectives (): Directives | undefined {
  if (environment === undefined) {
    const text = process.env.THREADLOG
    environment = text === undefined || text.trim() === '' ? null : parseDirectives(text, 'environment variable THREADLOG')
  }
  return environment ?? undefined
}

/** The process-wide directives: setFilter's, else THREADLOG's. */
export function processDirectives (): Directives | undefined {
  return runtime ?? environmentDirectives()
}

/** The lowest level name of the logger at or above `threshold`: `silent` above them all. */
function levelNameFor (logger: Logger, threshold: number): string {
  let best = 'silent'
  let bestValue = Infinity
  for (const [name, value] of Object.entries(logger.levels.values)) {
    if (value >= threshold && value < bestValue) {
      best = name
      bestValue = value
    }
  }
  return best
}

/**
 * A ctx.-filtered logger's threshold per record. A scope's fields never change, so the threshold is
 * computed once per scope (and per application of the directives): a scope's later records cost a
 * lookup. Outside any scope it is computed once.
 */
function createContextThreshold (forContext: (context: (key: string) => unknown) => number, levelValue: number): (target: object) => number {
  const outside = forContext(() => undefined)
  const byFrame = new WeakMap<object, number>()
  // Holds on to the last scope seen (one per logger) until the next record: a lookup saved per record.
  let lastFrame: object | undefined
  let lastThreshold = outside
  return (target) => {
    // A child logger at a level of its own (child({ level }), child.level = …, or its parent's) is
    // not filtered by context: the program chose its level.
    if ((target as Logger)[symbols.levelValSym] !== levelValue) return -Infinity
    const frame = currentFrame()
    if (frame === undefined) return outside
    if (frame === lastFrame) return lastThreshold
    let threshold = byFrame.get(frame)
    if (threshold === undefined) {
      const fields = frame.fields
      threshold = forContext((key) => fields[key])
      byFrame.set(frame, threshold)
    }
    lastFrame = frame
    lastThreshold = threshold
    return threshold
  }
}

/** Sets one logger's pino level (and context check) from the directives in force. */
function applyTo (entry: AttachedLogger): void {
  const logger = entry.logger.deref()
  if (logger === undefined) {
    attached.delete(entry)
    return
  }
  if (entry.explicit) return
  const directives = processDirectives() ?? entry.own
  const threshold = directives === undefined
    ? { floor: entry.fallback, forContext: undefined }
    : directives.thresholdFor(entry.identity, entry.fallback)
  logger[symbols.setLevelSym](levelNameFor(logger, threshold.floor))
  entry.binding.contextThreshold = threshold.forContext === undefined ? undefined : createContextThreshold(threshold.forContext, logger[symbols.levelValSym])
}

/**
 * Applies the filter block's directives if setFilter changed them since this thread last looked:
 * called on an enabled log call that sees the generation change (filterChanged), and when the
 * filter channel says so.
 */
export function refreshFilter (): void {
  const block = filterBlock()
  if (block === undefined || filterGeneration(block) === appliedGeneration) return
  const read = readFilterText(block)
  if (read === undefined) return
  // The text was validated by setFilter before it was written.
  runtime = parseDirectives(read.text, 'setFilter')
  appliedGeneration = read.generation
  for (const entry of attached) applyTo(entry)
  acknowledge(block, slot, appliedGeneration)
}

/** Applies directives in this thread alone: for a thread without the filter block (see applyFilterToProcess). */
export function applyInThisThreadOnly (directives: Directives): void {
  runtime = directives
  for (const entry of attached) applyTo(entry)
}

/** The thread joins the filter: a slot in the block, a listener on the channel, its slot freed on exit. */
function listen (): void {
  if (listening) return
  listening = true
  const block = filterBlock()
  if (block === undefined) return
  slot = takeThreadSlot(block, threadId)
  acknowledge(block, slot, appliedGeneration)
  const channel = new BroadcastChannel(FILTER_CHANNEL)
  channel.unref()
  channel.onmessage = () => refreshFilter()
  if (!isMainThread) process.once('exit', () => releaseThreadSlot(block, threadId))
}

/** The generation check of an enabled log call: whether the directives just changed. */
export function filterChanged (): boolean {
  const block = filterBlock()
  // A plain read, not Atomics.load (a builtin call on every log call): a store by another thread
  // becomes visible to it soon enough, and refreshFilter reads the block with Atomics.
  return block !== undefined && block[FilterSlot.GENERATION] !== appliedGeneration
}

/**
 * Puts a new logger under the filter: its pino level becomes its threshold for this thread, and
 * follows setFilter from now on. An assignment to `logger.level` by the program takes the
 * logger out of the directives' hands (its children created afterwards inherit that level, as in pino).
 */
export function attachFilter (pinoLogger: PinoLogger, identity: Omit<FilterSubject, 'context'>, own: Directives | undefined,
  binding: FilterBinding): void {
  const logger = pinoLogger as Logger
  listen()
  refreshFilter()
  const entry: AttachedLogger = { logger: new WeakRef(logger), binding, identity, fallback: logger.levelVal, own, explicit: false }
  attached.add(entry)
  forget.register(logger, entry)
  applyTo(entry)
  Object.defineProperty(logger, 'level', {
    configurable: true,
    enumerable: true,
    get (this: Logger) { return this[symbols.getLevelSym]() },
    set (this: Logger, level: string) {
      if (this === logger) {
        entry.explicit = true
        binding.contextThreshold = undefined
      }
      this[symbols.setLevelSym](level)
    }
  })
}
