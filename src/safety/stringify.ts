import { configure } from 'safe-stable-stringify'

/**
 * The one JSON configuration for values threadlog serializes itself (context fields, pretty
 * fields): BigInt as a number as pino writes it, a cycle as `"[Circular]"` instead of a throw, and
 * the object's own key order, since sorting every object costs time and no reader needs it.
 */
// Typed here: the package does not export the name of the function type configure() returns, and
// the declaration build cannot name it otherwise.
export const stringifyValue: (value: unknown) => string | undefined =
  configure({ bigint: true, circularValue: '[Circular]', deterministic: false })
