import { escapeControl } from './sanitize.ts'

/** A serialized error (pino's `err` serializer output) whose stack can be printed. */
export interface StackedError {
  stack: string
  cause?: unknown
}

// Causes are followed this deep at most: a hand-made record could chain forever (or in a cycle).
const MAX_CAUSES = 8

/** Whether `value` is an object with a string `stack`. */
export function hasStack (value: unknown): value is StackedError {
  return typeof value === 'object' && value !== null && typeof (value as StackedError).stack === 'string'
}

/**
 * Whether a key of a serialized error is already shown by {@link formatStack} (and so is not
 * repeated as an `err.<key>=` field): `type`, `message` and `stack` (the stack starts with both),
 * and `cause` when it has a stack of its own.
 */
export function isShownInStack (error: StackedError, key: string): boolean {
  return key === 'stack' || key === 'message' || key === 'type' || (key === 'cause' && hasStack(error.cause))
}

function indentLines (text: string, indent: string): string {
  const lines = text.split('\n')
  // A stack ending in a newline would otherwise print an empty indented line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  let out = ''
  for (const line of lines) out += indent + escapeControl(line) + '\n'
  return out
}

/**
 * The lines of an error's stack, then of each `cause` that has one (as `caused by: …`, the way
 * pino's serializer folds causes into `stack`): every line escaped on its own (a stack must not
 * inject control characters either), prefixed with `indent` and ending in `\n`.
 */
export function formatStack (error: StackedError, indent: string): string {
  let text = indentLines(error.stack, indent)
  let cause = error.cause
  for (let depth = 0; depth < MAX_CAUSES && hasStack(cause); depth++) {
    text += indentLines('caused by: ' + cause.stack, indent)
    cause = cause.cause
  }
  return text
}
