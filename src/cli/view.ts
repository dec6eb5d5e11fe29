import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { renderViewPage } from '../view/page-template.ts'
import { encodeViewData, sortByTime } from '../view/view-data.ts'
import { parseCriteria } from '../select/criteria.ts'
import { EXIT_MATCHED, EXIT_TROUBLE } from './exit-codes.ts'
import { UsageError, asUsageError } from './usage-error.ts'
import { createViewFilter, type ViewFilter } from './view-filter.ts'
import { readViewInputs, type ViewInput } from './view-input.ts'

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

Examples:
  threadlog view app.log --open                 write threadlog-view.html and open it
  threadlog view a.log b.log --out report.html  several files on one timeline
  threadlog view --level warn --since 10m app.log
  threadlog view --where reqId=7f3a app.log     the lanes one request went through

Page:
  --out <file>         where to write the page (default ${DEFAULT_OUT}; "-": standard output)
  --open               open the page ($BROWSER, else open / xdg-open / start)
  --link <keys>        fields a click links records by, the first one a record has
                       wins (default ${DEFAULT_LINK_KEYS.join(',')})
  -h, --help           print this help and exit

Selecting, as in \`threadlog --help\` (every option given must hold):
  --level <level>  --thread <n|glob>  --pid <n>  --proc <glob>
  --where <path>=<glob> (or !=, repeatable)  --since <time>  --until <time>
  --grep <regex>  --filter <directives>
Lifecycle records (thread started/exited, process connected/exited) are tested as the
thread or process they describe, on --thread, --pid, --proc, --since and --until only,
so that lifetimes stay; with --where or --grep, a lane left with nothing else goes.

Exit status: 0 the page was written; 2 a usage error, an input that could not be read
(the page holds the others) or a page that could not be written.
`

const OPTIONS = {
  out: { type: 'string' },
  open: { type: 'boolean' },
  link: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  level: { type: 'string' },
  thread: { type: 'string' },
  pid: { type: 'string' },
  proc: { type: 'string' },
  where: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  grep: { type: 'string' },
  filter: { type: 'string' }
} as const

interface ViewCommand {
  files: string[]
  out: string
  open: boolean
  linkKeys: string[]
  filter: ViewFilter
  help: boolean
}


// parseArgs's messages, in the words of the CLI's own.
function describeParseError (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const unknown = /^Unknown option '([^']+)'/.exec(message)
  if (unknown !== null) return `unknown option '${unknown[1] as string}'`
  const missing = /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message)
  if (missing !== null) return `option '${missing[1] as string}' needs a value`
  return message.split('\n')[0] as string
}

/**
 * Understands `args` (after `view`). The selecting options are the filter command's, checked by
 * the same code (src/select/criteria.ts), so they mean the same and fail with the same messages.
 *
 * @throws {UsageError} for an unknown option, a missing or bad value.
 */
function parseViewCommand (args: string[]): ViewCommand {
  let parsed
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
  const { values, positionals } = parsed
  const criteria = asUsageError(() => parseCriteria({
    level: values.level, thread: values.thread, pid: values.pid, proc: values.proc, where: values.where ?? [],
    since: values.since, until: values.until, grep: values.grep, filter: values.filter
  }, Date.now()))
  return {
    files: positionals.length === 0 ? ['-'] : positionals,
    out: values.out ?? DEFAULT_OUT,
    open: values.open === true,
    linkKeys: values.link === undefined ? DEFAULT_LINK_KEYS : values.link.split(',').filter((key) => key !== ''),
    filter: createViewFilter(criteria),
    help: values.help === true
  }
}

/** Opens the page the way the desktop does; a failure is reported, the page stays written. */
function openInBrowser (path: string): void {
  const browser = process.env.BROWSER
  const [command, ...args] = browser !== undefined && browser !== ''
    ? [browser]
    : process.platform === 'darwin' ? ['open'] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""'] : ['xdg-open']
  const child = spawn(command as string, [...args, path], { detached: true, stdio: 'ignore' })
  child.on('error', (error) => process.stderr.write(`threadlog view: cannot open the page with ${command}: ${error.message}\n`))
  child.unref()
}

function describeWriteError (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message
}

/** Writes the page (to a file or standard output) and says what it holds on stderr. */
async function writeView (command: ViewCommand, input: ViewInput): Promise<number> {
  const data = encodeViewData(sortByTime(input.records), command.files.join(' '), command.linkKeys)
  const page = renderViewPage(data)
  const skipped = input.skipped === 0 ? '' : `, skipped ${input.skipped} line${input.skipped === 1 ? '' : 's'} without a record`
  const summary = `threadlog view: ${input.records.length} records in ${data.lanes.length} lanes → ${command.out === '-' ? 'standard output' : command.out}${skipped}\n`
  if (command.out === '-') {
    process.stdout.write(page)
    process.stderr.write(summary)
    return EXIT_MATCHED
  }
  const path = resolve(command.out)
  try {
    await writeFile(path, page)
  } catch (error) {
    process.stderr.write(`threadlog view: cannot write ${command.out}: ${describeWriteError(error)}\n`)
    return EXIT_TROUBLE
  }
  process.stderr.write(summary)
  if (command.open) openInBrowser(path)
  return EXIT_MATCHED
}

/** `threadlog view [options] [file ...]`: returns the exit code. */
export async function runView (args: string[]): Promise<number> {
  let command: ViewCommand
  try {
    command = parseViewCommand(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`threadlog view: ${error.message}\nTry 'threadlog view --help' for more information.\n`)
    return EXIT_TROUBLE
  }
  if (command.help) {
    process.stdout.write(VIEW_HELP)
    return EXIT_MATCHED
  }
  const input = await readViewInputs(command.files, command.filter, process.stdin)
  for (const { file, reason } of input.failures) process.stderr.write(`threadlog view: ${file}: ${reason}\n`)
  const written = await writeView(command, input)
  return written === EXIT_MATCHED && input.failures.length > 0 ? EXIT_TROUBLE : written
}
