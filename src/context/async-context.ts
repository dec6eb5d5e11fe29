import { AsyncLocalStorage } from 'node:async_hooks'
import { RECORD_KEYS } from '../record-keys.ts'
import { stringifyValue } from '../safety/stringify.ts'

/** Fields attached to every record logged inside a {@link withContext} scope. */
export type ContextFields = Readonly<Record<string, unknown>>

/**
 * One `withContext` scope. Its fields are serialized once, when the scope opens, so that a log call
 * only appends a ready string instead of building and stringifying an object per record.
 */
export interface ContextFrame {
  readonly fields: ContextFields
  /** `,"key":value` per serializable field, in field order. */
  readonly entries: ReadonlyMap<string, string>
  /** All entries joined: what a record carries when the call has no field of the same name. */
  readonly json: string
}


const storage = new AsyncLocalStorage<ContextFrame>()

function serializeValue (value: unknown): string | undefined {
  try {
    return stringifyValue(value)
  } catch (error) {
    // A throwing getter or toJSON must not make the scope unusable: the field says what happened.
    return JSON.stringify(`[Unserializable: ${(error as Error)?.message ?? String(error)}]`)
  }
}

function createFrame (fields: ContextFields): ContextFrame {
  const entries = new Map<string, string>()
  for (const key of Object.keys(fields)) {
    // The record's own structure: visible to getContext, left out of records.
    if (RECORD_KEYS.has(key)) continue
    const value = serializeValue(fields[key])
    if (value !== undefined) entries.set(key, ',' + JSON.stringify(key) + ':' + value)
  }
  return { fields, entries, json: [...entries.values()].join('') }
}

/** The innermost scope's frame; `undefined` outside any scope. Hot path: one ALS lookup. */
export function currentFrame (): ContextFrame | undefined {
  return storage.getStore()
}

/**
 * Runs `fn` with `fields` merged over the current async context: nested scopes merge, and the inner
 * scope's value wins for a field both define. Works for sync and async `fn`; returns its result.
 *
 * @throws {TypeError} when `fields` is not an object or `fn` not a function.
 */
export function withContext<T> (fields: ContextFields, fn: () => T): T {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new TypeError('threadlog: withContext(fields, fn): "fields" must be a plain object')
  }
  if (typeof fn !== 'function') {
    throw new TypeError('threadlog: withContext(fields, fn): "fn" must be a function')
  }
  const parent = storage.getStore()
  const merged = parent === undefined ? { ...fields } : { ...parent.fields, ...fields }
  return storage.run(createFrame(Object.freeze(merged)), fn)
}

/** The fields of the current scope (a copy: changing it does not change the scope). */
export function getContext (): Record<string, unknown> {
  const frame = storage.getStore()
  return frame === undefined ? {} : { ...frame.fields }
}

/**
 * The current context as a plain, structured-cloneable object, exactly as records carry it: pass it
 * to another thread or process (postMessage, IPC, JSON) and restore it there with
 * `withContext(captured, fn)`.
 */
export function captureContext (): Record<string, unknown> {
  const frame = storage.getStore()
  if (frame === undefined || frame.json === '') return {}
  return JSON.parse('{' + frame.json.slice(1) + '}') as Record<string, unknown>
}
