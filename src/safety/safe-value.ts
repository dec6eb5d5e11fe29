/** How deep {@link toSafeValue} copies before it summarises the rest. */
const MAX_DEPTH = 10

function describeError (error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  } catch {
    return 'unknown error'
  }
}

function readProperty (source: object, key: string): unknown {
  try {
    return (source as Record<string, unknown>)[key]
  } catch (error) {
    return `[Throws: ${describeError(error)}]`
  }
}

function copyError (error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {
    type: readProperty(error, 'name'),
    message: readProperty(error, 'message'),
    stack: readProperty(error, 'stack')
  }
  const cause = readProperty(error, 'cause')
  if (cause !== undefined) copy.cause = toSafeValue(cause, seen, depth + 1)
  return copy
}

function copyObject (source: object, seen: WeakSet<object>, depth: number): unknown {
  if (seen.has(source)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Object]'
  seen.add(source)
  try {
    if (source instanceof Error) return copyError(source, seen, depth)
    const toJSON = readProperty(source, 'toJSON')
    if (typeof toJSON === 'function') {
      try {
        return toSafeValue(toJSON.call(source), seen, depth + 1)
      } catch (error) {
        return `[Throws: ${describeError(error)}]`
      }
    }
    if (Array.isArray(source)) return source.map((item) => toSafeValue(item, seen, depth + 1))
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(source)) {
      copy[key] = toSafeValue(readProperty(source, key), seen, depth + 1)
    }
    return copy
  } catch (error) {
    // Proxies can throw from any trap, Object.keys included.
    return `[Unserializable: ${describeError(error)}]`
  } finally {
    seen.delete(source)
  }
}

/**
 * A copy of `value` that every JSON serializer accepts without throwing: throwing getters, `toJSON`
 * and proxy traps become `"[Throws: …]"` strings, cycles `"[Circular]"`, symbols their description,
 * BigInts decimal strings. Used only to retry a log call whose arguments made pino throw.
 */
export function toSafeValue (value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  switch (typeof value) {
    case 'bigint':
      return value.toString()
    case 'symbol':
      return value.toString()
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`
    case 'object':
      return value === null ? null : copyObject(value, seen, depth)
    default:
      return value
  }
}

export { describeError }
