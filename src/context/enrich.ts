import { currentFrame, type ContextFrame } from './async-context.ts'
import type { ProcessInfo } from './process-info.ts'
import type { ThreadInfo } from './thread-info.ts'

// Module state is per thread (every worker loads its own copy), which is exactly the scope of `seq`:
// one counter shared by all loggers and child loggers of the thread, so a reader can detect gaps.
let seq = 0
// The context string for the one record being written when its call fields shadow context fields.
let shadowedContext: string | undefined

/** Serializes the identity fields once per logger, in the order every record carries them. */
export function serializeIdentity (proc: ProcessInfo, thread: ThreadInfo): string {
  const fields = { ...proc, ...thread }
  let json = ''
  for (const key of ['pid', 'ppid', 'hostname', 'proc', 'tid', 'thread', 'worker'] as const) {
    if (fields[key] !== undefined) json += `,"${key}":${JSON.stringify(fields[key])}`
  }
  return json
}

/**
 * Builds a logger's pino `timestamp` hook. Its string is placed right after `"level"`, so it is where
 * a record gets `time`, the identity, `seq` and the async context, for the price of one string
 * concatenation (the identity is serialized once, here). pino also calls it once while constructing
 * the logger, to find the time's offset: that probe must not consume a `seq`, hence `arm()`.
 */
export function createRecordPrefix (time: () => string, identity: string, context: boolean) {
  let armed = false
  const timestamp = context
    ? () => {
        if (!armed) return time() + identity
        return time() + identity + ',"seq":' + (++seq) + (shadowedContext ?? currentFrame()?.json ?? '')
      }
    : () => armed ? time() + identity + ',"seq":' + (++seq) : time() + identity
  return { timestamp, arm: () => { armed = true } }
}

function contextWithout (frame: ContextFrame, fields: object): string {
  let json: string | undefined
  for (const key of frame.entries.keys()) {
    if ((fields as Record<string, unknown>)[key] === undefined) continue
    // Rare path: a call field shadows a context field, so this record gets the context minus it.
    json = ''
    for (const [other, entry] of frame.entries) {
      if ((fields as Record<string, unknown>)[other] === undefined) json += entry
    }
    break
  }
  return json ?? frame.json
}

/**
 * Called before a log call: when the call's own fields shadow context fields, the record carries
 * the call's values only (no duplicate keys, which some aggregators reject).
 */
export function shadowContextFields (fields: unknown): void {
  if (typeof fields !== 'object' || fields === null || fields instanceof Error) return
  const frame = currentFrame()
  if (frame !== undefined && frame.json !== '') shadowedContext = contextWithout(frame, fields)
}

/** Undoes {@link shadowContextFields} and, for a call that wrote nothing, gives its `seq` back. */
export function endLogCall (seqBefore: number | undefined): void {
  shadowedContext = undefined
  if (seqBefore !== undefined) seq = seqBefore
}

/** The current value of the thread's record counter. */
export function currentSeq (): number {
  return seq
}
