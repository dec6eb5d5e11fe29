import { openSync } from 'node:fs'
import { isatty } from 'node:tty'
import pino from 'pino'
import { resolveColorLevel } from './colors.ts'
import { createLineFormatter, formatNdjsonLine, type LineFormatter } from './pretty.ts'
import { validatePrettyOptions, type PrettyOptions, type ValidPrettyOptions } from './pretty-options.ts'

// The pretty printer as a synchronous sink: used by a thread that writes its own records and by the
// hub's built-in `pretty` target. transports/pretty.ts wraps the same formatter as a pino transport.

/** A synchronous destination that turns NDJSON lines into pretty lines. */
export interface PrettySink {
  /** Formats one NDJSON line (or several, `\n`-separated) and writes the result synchronously. */
  write(line: string): void
}

/** A line formatter with the color policy of `dest`: options first, then the environment, then isatty. */
export function createFormatter (options: ValidPrettyOptions, dest: number | string): LineFormatter {
  const isTTY = options.isTTY ?? (typeof dest === 'number' && isatty(dest))
  const colorLevel = resolveColorLevel({ colorize: options.colorize, env: process.env, isTTY })
  return createLineFormatter({ colorLevel, multiline: options.multiline, format: options.template, colorLine: options.colorLine })
}

function formatChunk (format: LineFormatter, chunk: string): string {
  const end = chunk.indexOf('\n')
  if (end === -1 || end === chunk.length - 1) return formatNdjsonLine(format, chunk)
  let text = ''
  const lines = chunk.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  for (const line of lines) text += formatNdjsonLine(format, line)
  return text
}

/**
 * The in-thread variant of the transport, for a logger writing to a terminal from its own thread:
 * every `write` formats and writes synchronously, so nothing waits in memory at exit. It never
 * throws from `write`: after a write error (say, the terminal went away) it stops writing.
 *
 * @throws {TypeError} or {RangeError} when an option is invalid (a bad `format` template names the
 * position); an `Error` when the destination file cannot be opened.
 */
export function createPrettySink (options?: PrettyOptions): PrettySink {
  const resolved = validatePrettyOptions(options)
  const dest = resolved.destination ?? 1
  const format = createFormatter(resolved, dest)
  // Opened here so that a bad path fails at construction rather than at the first log call.
  const fd = typeof dest === 'string' ? openSync(dest, 'a') : dest
  const destination = pino.destination({ dest: fd, sync: true })
  let broken = false
  destination.on('error', () => { broken = true })
  return {
    write (line) {
      if (broken) return
      try {
        destination.write(formatChunk(format, line))
      } catch {
        broken = true
      }
    }
  }
}
