import { once } from 'node:events'
import { openSync } from 'node:fs'
import { isatty } from 'node:tty'
import pino from 'pino'
import build from 'pino-abstract-transport'
import { resolveColorLevel } from '../src/format/colors.ts'
import { createLineFormatter, formatNdjsonLine, type LineFormatter } from '../src/format/pretty.ts'
import { parseLineTemplate, type LineTemplate } from '../src/format/template.ts'

/** Options of the pretty transport and of {@link createPrettySink}. */
export interface PrettyOptions {
  /** Where lines go: a file descriptor or a file path (appended to). Default `1` (stdout). */
  destination?: number | string | undefined
  /**
   * Force colors on (`true`) or off (`false`). Default: decided from `NO_COLOR`, `FORCE_COLOR`
   * and whether the destination is a terminal (see `resolveColorLevel`).
   */
  colorize?: boolean | undefined
  /** Print line breaks in messages as real line breaks instead of `\n`. Default `false`. */
  multiline?: boolean | undefined
  /**
   * The line's layout, e.g. `'{time} p[{proc}:{pid}] t[{thread}:{tid}] [{level}] {msg} {fields}'`.
   * `{key}` prints a record's key, `{a.b}` a nested one, `{fields}` the fields no placeholder shows;
   * a missing value prints nothing; `{{` and `}}` print braces. Default: the built-in line
   * (`12:00:01.234 INFO  p[api:4242] t[main:0] msg  key=value`). The rules: README, "Line format".
   * A bad template throws a RangeError naming its position when the sink or transport is created.
   */
  format?: string | undefined
  /**
   * Draw the whole line in its level's color (the source tag keeping its own) instead of the level
   * label only. Default `false`.
   */
  colorLine?: boolean | undefined
  /**
   * Whether the destination is a terminal, as seen by the main thread. A transport runs in a worker
   * thread, where `process.stdout.isTTY` is undefined, so the logger passes what it knows. Default:
   * `tty.isatty(destination)` for a file descriptor, `false` for a file path.
   */
  isTTY?: boolean | undefined
}

/** A synchronous destination that turns NDJSON lines into pretty lines. */
export interface PrettySink {
  /** Formats one NDJSON line (or several, `\n`-separated) and writes the result synchronously. */
  write(line: string): void
}

type Destination = ReturnType<typeof pino.destination>

/** The options, checked, with the template parsed once. */
interface ValidOptions extends PrettyOptions {
  readonly template: LineTemplate | undefined
}

function assertOptionalBoolean (value: unknown, option: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`threadlog: pretty option "${option}" must be a boolean, got ${typeof value}`)
  }
}

function validateOptions (options: unknown): ValidOptions {
  if (options === undefined) return { template: undefined }
  if (options === null || typeof options !== 'object') throw new TypeError('threadlog: pretty options must be an object')
  const { destination, colorize, multiline, isTTY, format, colorLine } = options as Record<string, unknown>
  if (destination !== undefined && !(typeof destination === 'string' && destination !== '') &&
      !(typeof destination === 'number' && Number.isSafeInteger(destination) && destination >= 0)) {
    throw new TypeError('threadlog: pretty option "destination" must be a file descriptor or a non-empty path')
  }
  assertOptionalBoolean(colorize, 'colorize')
  assertOptionalBoolean(multiline, 'multiline')
  assertOptionalBoolean(isTTY, 'isTTY')
  assertOptionalBoolean(colorLine, 'colorLine')
  const template = format === undefined ? undefined : parseLineTemplate(format, 'pretty option "format"')
  return { ...options as PrettyOptions, template }
}

function createFormatter (options: ValidOptions, dest: number | string): LineFormatter {
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
  const resolved = validateOptions(options)
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
  const resolved = validateOptions(options)
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
