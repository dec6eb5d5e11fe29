import { once } from 'node:events'
import { openSync } from 'node:fs'
import { isatty } from 'node:tty'
import pino from 'pino'
import build from 'pino-abstract-transport'
import { resolveColorLevel } from '../src/format/colors.ts'
import { createLineFormatter, formatNdjsonLine, type LineFormatter } from '../src/format/pretty.ts'
import { validatePrettyOptions, type PrettyOptions, type ValidPrettyOptions } from '../src/format/pretty-options.ts'

export type { PrettyOptions } from '../src/format/pretty-options.ts'

/** A synchronous destination that turns NDJSON lines into pretty lines. */
export interface PrettySink {
  /** Formats one NDJSON line (or several, `\n`-separated) and writes the result synchronously. */
  write(line: string): void
}

type Destination = ReturnType<typeof pino.destination>

function createFormatter (options: ValidPrettyOptions, dest: number | string): LineFormatter {
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

// Resolves once the destination has flushed and closed, or can never write again.
function waitForClose (destination: Destination): Promise<unknown> {
  return new Promise((resolve) => {
    destination.once('close', resolve)
    destination.once('error', resolve)
  })
}

/**
 * The pretty transport: a pino-abstract-transport module for `pino.transport({ target })`. Every
 * NDJSON line becomes a pretty line; lines that are not JSON objects pass through unchanged.
 * Lines go to `destination` asynchronously, and closing waits until they are all written.
 * Rejects with a TypeError or RangeError (a bad `format` naming its position) before opening anything.
 */
export default async function prettyTransport (options?: PrettyOptions) {
  const resolved = validatePrettyOptions(options)
  const dest = resolved.destination ?? 1
  const format = createFormatter(resolved, dest)
  const destination = pino.destination({ dest, sync: false })
  const closed = waitForClose(destination)
  // Raw lines rather than parsed records: non-JSON lines then keep their place in the output.
  return build(async function writePrettyLines (source) {
    destination.on('error', (error: NodeJS.ErrnoException) => {
      // A reader that went away (EPIPE) is not an error of the logger; anything else is loud.
      if (error.code !== 'EPIPE') source.destroy(error)
    })
    for await (const line of source as AsyncIterable<string>) {
      if (destination.write(formatNdjsonLine(format, line)) === false) {
        await Promise.race([once(destination, 'drain'), closed])
      }
    }
  }, {
    parse: 'lines',
    parseLine: (line) => line,
    async close () {
      try {
        destination.end()
      } catch {
        // Already destroyed: there is nothing left to flush.
        return
      }
      await closed
    }
  })
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
