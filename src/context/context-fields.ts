import { symbols } from 'pino'
import type { ContextFrame } from './async-context.ts'

/** What pino keeps on a logger to serialize its bindings: read through pino's exported symbols. */
interface PinoInternals {
  readonly [symbols.chindingsSym]: string
  readonly [symbols.serializersSym]: Readonly<Record<string, (value: unknown) => unknown>>
  readonly [symbols.stringifiersSym]: Readonly<Record<string | symbol, ((value: unknown, safe?: unknown) => string | undefined) | undefined>>
  readonly [symbols.stringifySym]: (value: unknown, safe: unknown) => string | undefined
  readonly [symbols.stringifySafeSym]: unknown
}

/** One scope's fields as one logger writes them: each entry serialized with the logger's rules. */
interface SerializedContext {
  readonly keys: readonly string[]
  readonly parts: readonly string[]
  readonly json: string
}

/** A logger's view of context scopes, kept as long as the logger is. */
interface LoggerContextCache {
  /** Keys the logger's bindings (base, `name`, `child()` bindings) already write. */
  readonly boundKeys: ReadonlySet<string>
  readonly frames: WeakMap<ContextFrame, SerializedContext>
}

// Keyed by logger: a child() logger has its own serializers, redaction and bindings.
const caches = new WeakMap<object, LoggerContextCache>()

function boundKeysOf (logger: PinoInternals): Set<string> {
  const chindings = logger[symbols.chindingsSym]
  if (chindings === '') return new Set()
  try {
    return new Set(Object.keys(JSON.parse('{' + chindings.slice(1) + '}') as object))
  } catch {
    return new Set()
  }
}

/**
 * Serializes one context field exactly as pino serializes a child binding: the logger's serializer
 * for that key, then its redaction (a censor, or removal), then its stringify with depth and edge
 * limits. A throwing serializer must not cost the record, so the field then says what happened.
 */
function serializeField (logger: PinoInternals, key: string, value: unknown): string | undefined {
  try {
    const serializer = logger[symbols.serializersSym][key]
    const serialized = serializer === undefined ? value : serializer(value)
    const stringifiers = logger[symbols.stringifiersSym]
    const stringifier = stringifiers[key] ?? stringifiers[symbols.wildcardFirstSym] ?? logger[symbols.stringifySym]
    return stringifier(serialized, logger[symbols.stringifySafeSym])
  } catch (error) {
    return JSON.stringify(`[Unserializable: ${(error as Error)?.message ?? String(error)}]`)
  }
}

function serializeContext (logger: PinoInternals, frame: ContextFrame, boundKeys: ReadonlySet<string>): SerializedContext {
  const keys: string[] = []
  const parts: string[] = []
  for (const key of frame.entries.keys()) {
    // Bindings win over context: one key, one value (aggregators reject or mangle duplicates).
    if (boundKeys.has(key)) continue
    const value = serializeField(logger, key, frame.fields[key])
    if (value === undefined) continue
    keys.push(key)
    parts.push(',' + JSON.stringify(key) + ':' + value)
  }
  return { keys, parts, json: parts.join('') }
}

// The last answer: calls come in runs from one logger in one scope, and two WeakMap lookups per
// record cost about 5 % of a whole log call.
let lastLogger: object | undefined
let lastFrame: ContextFrame | undefined
let lastSerialized: SerializedContext | undefined

function contextFor (logger: PinoInternals, frame: ContextFrame): SerializedContext {
  if (logger === lastLogger && frame === lastFrame) return lastSerialized!
  let cache = caches.get(logger)
  if (cache === undefined) {
    cache = { boundKeys: boundKeysOf(logger), frames: new WeakMap() }
    caches.set(logger, cache)
  }
  let serialized = cache.frames.get(frame)
  if (serialized === undefined) {
    serialized = serializeContext(logger, frame, cache.boundKeys)
    cache.frames.set(frame, serialized)
  }
  lastLogger = logger
  lastFrame = frame
  lastSerialized = serialized
  return serialized
}

/**
 * The context fields `logger` writes for `frame`, as `,"key":value` pairs. Each scope is serialized
 * once per logger (through its serializers and redaction, as pino treats a child's bindings), and
 * leaves out the keys the logger's bindings write and, for this one record, the keys of the call's
 * own fields: call fields win over bindings, which win over context.
 */
export function contextJson (logger: object, frame: ContextFrame, callFields: object | undefined): string {
  const serialized = contextFor(logger as PinoInternals, frame)
  if (callFields === undefined || serialized.keys.length === 0) return serialized.json
  let json: string | undefined
  for (let i = 0; i < serialized.keys.length; i++) {
    if ((callFields as Record<string, unknown>)[serialized.keys[i]!] === undefined) continue
    // Rare path: the call shadows a context field, so this record gets the context minus it.
    json = ''
    for (let j = 0; j < serialized.keys.length; j++) {
      if ((callFields as Record<string, unknown>)[serialized.keys[j]!] === undefined) json += serialized.parts[j]
    }
    break
  }
  return json ?? serialized.json
}
