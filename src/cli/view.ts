import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { renderViewPage } from '../view/page-template.ts'
import { encodeViewData, sortByTime } from '../view/view-data.ts'
import { readViewRecord, type ViewRecord } from '../view/view-record.ts'
import { readLineBatches } from './read-lines.ts'
import { createViewFilter, ViewFilterError, type ViewRecordFilter } from './view-filter.ts'

const EXIT_OK = 0
const EXIT_UNREADABLE = 1
const EXIT_USAGE = 2

/** Where the page goes without `--out`. */
export const DEFAULT_OUT = 'threadlog-view.html'
/** The fields a click links records by, in order of preference, without `--link`. */
export const DEFAULT_LINK_KEYS = ['reqId', 'requestId', 'traceId', 'correlationId', 'jobId']

const VIEW_HELP = `Usage: threadlog view [options] [file ...]

Writes one self-contained HTML page (no network, nothing else to load) that draws the
records on a timeline: a lane per thread, grouped by process (parent above children),
each thread's and process's lifetime as a bar, a level histogram over time. Hover a
mark to read it, click it to select its request (reqId) across lanes, wheel to zoom,
drag to pan, and filter with the box (its syntax is in the page).

Reads the files, or standard input when none is given or for "-". Lines that are not
JSON records, and records without a time, are skipped and counted.

Options:
  --out <file>       where to write the page (default ${DEFAULT_OUT}; "-": standard output)
  --open             open the page in the browser ($BROWSER, else open / xdg-open / start)
  --level <level>    leave out records below this level (a label or a number)
  --thread <glob>    only these threads (repeat or separate with commas; * and ? match)
  --proc <glob>      only these processes, by name
  --pid <pid>        only these processes, by pid
  --link <keys>      fields a click links records by, first found wins
                     (default ${DEFAULT_LINK_KEYS.join(',')})
  -h, --help         print this help and exit

Lifecycle records (thread started/exited, process connected/exited) pass --level.

Exit status: 0 the page was written; 1 a file could not be read (the page holds
the others) or the page could not be written; 2 usage error.
`

const OPTIONS = {
  out: { type: 'string' },
  open: { type: 'boolean' },
  level: { type: 'string' },
  thread: { type: 'string', multiple: true },
  proc: { type: 'string', multiple: true },
  pid: { type: 'string', multiple: true },
  link: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

interface ViewCommand {
  files: string[]
  out: string
  open: boolean
  linkKeys: string[]
  filter: ViewRecordFilter
  help: boolean
}

class UsageError extends Error {}

// parseArgs's messages, in the words of the CLI's own.
function describeParseError (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const unknown = /^Unknown option '([^']+)'/.exec(message)
  if (unknown !== null) return `unknown option '${unknown[1] as string}'`
  const missing = /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message)
  if (missing !== null) return `option '${missing[1] as string}' needs a value`
  return message.split('\n')[0] as string
}

function parseViewCommand (args: string[]): ViewCommand {
  let parsed
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
  const { values, positionals } = parsed
  let filter: ViewRecordFilter
  try {
    filter = createViewFilter({
      ...(values.level === undefined ? {} : { level: values.level }),
      ...(values.thread === undefined ? {} : { thread: values.thread }),
      ...(values.proc === undefined ? {} : { proc: values.proc }),
      ...(values.pid === undefined ? {} : { pid: values.pid })
    })
  } catch (error) {
    if (error instanceof ViewFilterError) throw new UsageError(error.message)
    throw error
  }
  const linkKeys = values.link === undefined ? DEFAULT_LINK_KEYS : values.link.split(',').filter((key) => key !== '')
  return {
    files: positionals.length === 0 ? ['-'] : positionals,
    out: values.out ?? DEFAULT_OUT,
    open: values.open === true,
    linkKeys,
    filter,
    help: values.help === true
  }
}

/** What reading the inputs gave. */
interface ReadResult {
  records: ViewRecord[]
  /** Lines that were not JSON objects with a time. */
  skipped: number
}

function readLine (line: string, filter: ViewRecordFilter, result: ReadResult): void {
  if (!line.startsWith('{')) {
    if (line.trim() !== '') result.skipped++
    return
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    result.skipped++
    return
  }
  const record = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? readViewRecord(parsed as Record<string, unknown>) : undefined
  if (record === undefined) result.skipped++
  else if (filter(record)) result.records.push(record)
}

async function readInput (input: Readable, filter: ViewRecordFilter, result: ReadResult): Promise<void> {
  for await (const lines of readLineBatches(input)) {
    for (const line of lines) readLine(line, filter, result)
  }
}

function describeError (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message
}

/** Opens the page the way the desktop does; a failure is reported, the page stays written. */
function openInBrowser (path: string): void {
  const [command, ...args] = process.env.BROWSER !== undefined && process.env.BROWSER !== ''
    ? [process.env.BROWSER]
    : process.platform === 'darwin' ? ['open'] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""'] : ['xdg-open']
  const child = spawn(command as string, [...args, path], { detached: true, stdio: 'ignore' })
  child.on('error', (error) => process.stderr.write(`threadlog view: cannot open the page with ${command}: ${error.message}\n`))
  child.unref()
}

async function writeView (command: ViewCommand, result: ReadResult): Promise<number> {
  const data = encodeViewData(sortByTime(result.records), command.files.join(' '), command.linkKeys)
  const page = renderViewPage(data)
  const skipped = result.skipped === 0 ? '' : `, skipped ${result.skipped} line${result.skipped === 1 ? '' : 's'} without a record`
  const summary = `threadlog view: ${result.records.length} records in ${data.lanes.length} lanes → ${command.out === '-' ? 'standard output' : command.out}${skipped}\n`
  if (command.out === '-') {
    process.stdout.write(page)
    process.stderr.write(summary)
    return EXIT_OK
  }
  const path = resolve(command.out)
  try {
    await writeFile(path, page)
  } catch (error) {
    process.stderr.write(`threadlog view: cannot write ${command.out}: ${describeError(error)}\n`)
    return EXIT_UNREADABLE
  }
  process.stderr.write(summary)
  if (command.open) openInBrowser(path)
  return EXIT_OK
}

/** `threadlog view [options] [file ...]`: returns the exit code. */
export async function runView (args: string[]): Promise<number> {
  let command: ViewCommand
  try {
    command = parseViewCommand(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`threadlog view: ${error.message}\nTry 'threadlog view --help' for more information.\n`)
    return EXIT_USAGE
  }
  if (command.help) {
    process.stdout.write(VIEW_HELP)
    return EXIT_OK
  }
  const result: ReadResult = { records: [], skipped: 0 }
  let exitCode = EXIT_OK
  for (const file of command.files) {
    try {
      await readInput(file === '-' ? process.stdin : createReadStream(file), command.filter, result)
    } catch (error) {
      process.stderr.write(`threadlog view: ${file}: ${describeError(error)}\n`)
      exitCode = EXIT_UNREADABLE
    }
  }
  const written = await writeView(command, result)
  return written === EXIT_OK ? exitCode : written
}
