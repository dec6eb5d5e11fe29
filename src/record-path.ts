/**
 * The value at a dotted path of a parsed record (`req.method`: `['req', 'method']`), own properties
 * only, so that `{constructor}` or `a.__proto__` never reach into prototypes; `undefined` when any
 * step is missing. Shared by `--where` and the line template's `{a.b}`, which must read the same value.
 */
export function valueAtPath (record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}
