#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCommandLine, type CommandLine } from './args.ts'
import { printCompletion } from './completion.ts'
import { EXIT_MATCHED, EXIT_TROUBLE } from './exit-codes.ts'
import { LiveError } from './live/live-error.ts'
import { findPackage } from './package-root.ts'
import { runFilter } from './run-filter.ts'
import { UsageError } from './usage-error.ts'

function reportUsageError (error: unknown, command = 'threadlog'): number {
  if (!(error instanceof UsageError)) throw error
  process.stderr.write(`threadlog: ${error.message}\nTry '${command} --help' for more information.\n`)
  return EXIT_TROUBLE
}

/** The live commands' trouble: a usage error as any other, a tree not found or not trusted in one line. */
async function runLive (name: string, command: () => Promise<number>): Promise<number> {
  try {
    return await command()
  } catch (error) {
    if (!(error instanceof LiveError)) return reportUsageError(error, `threadlog ${name}`)
    process.stderr.write(`threadlog: ${error.message}\n`)
    return EXIT_TROUBLE
  }
}

function exitOnOutputError (error: NodeJS.ErrnoException): void {
  // The reader went away (`threadlog app.log | head`): nothing left to do, and nothing went wrong.
  if (error.code === 'EPIPE') process.exit(EXIT_MATCHED)
  process.stderr.write(`threadlog: cannot write: ${error.message}\n`)
  process.exit(EXIT_TROUBLE)
}

function printHelpOrVersion (line: CommandLine): number {
  const { root, version } = findPackage(import.meta.dirname)
  // help.txt is not compiled: it stays at src/cli/help.txt under the root, also for dist/src/cli/main.js.
  process.stdout.write(line.help ? readFileSync(join(root, 'src', 'cli', 'help.txt'), 'utf8') : version + '\n')
  return EXIT_MATCHED
}

async function filterCommand (args: string[]): Promise<number> {
  let line: CommandLine
  try {
    line = parseCommandLine(args)
  } catch (error) {
    return reportUsageError(error)
  }
  if (line.help || line.version) return printHelpOrVersion(line)
  return runFilter(line, process.stdin, process.stdout)
}

/** Subcommands by their first argument; anything else is the filter command's (files and options). */
const SUBCOMMANDS: Readonly<Record<string, (args: string[]) => number | Promise<number>>> = {
  completion: (args) => { try { return printCompletion(args) } catch (error) { return reportUsageError(error) } },
  // An HTML timeline of the records: src/cli/view.ts, loaded only when asked for.
  view: async (args) => await (await import('./view.ts')).runView(args),
  // Running trees (src/cli/live/), loaded only when asked for too.
  ps: async (args) => await runLive('ps', async () => await (await import('./live/ps.ts')).runPs(args)),
  attach: async (args) => await runLive('attach', async () => await (await import('./live/attach.ts')).runAttach(args)),
  set: async (args) => await runLive('set', async () => await (await import('./live/set.ts')).runSet(args))
}

process.stdout.on('error', exitOnOutputError)
const [first = '', ...rest] = process.argv.slice(2)
const subcommand = Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined
process.exitCode = await (subcommand === undefined ? filterCommand(process.argv.slice(2)) : subcommand(rest))
