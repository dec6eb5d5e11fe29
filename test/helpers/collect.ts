import type { LineDestination } from '../../src/index.ts'

/** A destination that keeps every line written to it, for in-process assertions. */
export function collectLines (): LineDestination & { lines: string[], records: () => Array<Record<string, unknown>> } {
  const lines: string[] = []
  return {
    lines,
    write (line: string) { lines.push(line) },
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  }
}
