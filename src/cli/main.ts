#!/usr/bin/env node
import { once } from 'node:events'
import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { resolveColorLevel } from '../format/colors.ts'
import { createLineFormatter, formatNdjsonLine, type LineFormatter } from '../format/pretty.ts'
import { parseLineTemplate, type LineTemplate } from '../format/template.ts'
import { findPackage } from './package-root.ts'
import { readLineBatches } from './read-lines.ts'

const EXIT_OK = 0
const EXIT_UNREADABLE = 1
const EXIT_USAGE = 2

const OPTIONS = {
  color: { type: 'boolean' },
  'color-line': { type: 'boolean' },
  format: { type: 'string' },
  multiline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' }
} as const

/** The command line, understood. */
interface CommandLine {
  color: boolean | undefined
  colorLine: boolean
  template: LineTemplate | undefined
  multiline: boolean
  help: boolean
  version: boolean
  files: string[]
}

class UsageError extends Error {}

const OPTION_WITH_VALUE = 'format'

// The library's own message, under the prefix every usage error gets when it is printed.
function parseTemplate (format: string | undefined): LineTemplate | undefined {
  if (format === undefined) return undefined
  try {
    return parseLineTemplate(format, "option '--format'")
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    throw new UsageError(error.message.replace(/^threadlog: /, ''))
  }
}

// Lenient parseArgs takes the next argument as the value even when it is `--no-color` or `--`:
// that is a forgotten template. A template that starts with a dash can still be given inline.
function isOptionLike (value: string, inline: boolean | undefined): boolean {
  return inline !== true && value.startsWith('-')
}

// parseArgs runs lenient and the tokens are checked here, for short messages of our own (and so
// that only --color has a --no- form).
function parseCommandLine (args: string[]): CommandLine {
  const { values, positionals, tokens } = parseArgs({
    args, options: OPTIONS, allowPositionals: true, allowNegative: true, strict: false, tokens: true
  })
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const negated = token.rawName.startsWith('--no-')
    if (!Object.hasOwn(OPTIONS, token.name) || (negated && token.name !== 'color')) {
      throw new UsageError(`unknown option '${token.rawName}'`)
    }
    if (token.name === OPTION_WITH_VALUE) {
      if (token.value === undefined || isOptionLike(token.value, token.inlineValue)) {
        throw new UsageError(`option '${token.rawName}' needs a template`)
      }
    } else if (token.value !== undefined) {
      throw new UsageError(`option '${token.rawName}' takes no value`)
    }
  }
  return {
    color: values.color as boolean | undefined,
    colorLine: values['color-line'] === true,
    template: parseTemplate(values.format as string | undefined),
    multiline: values.multiline === true,
    help: values.help === true,
    version: values.version === true,
    files: positionals.length === 0 ? ['-'] : positionals
  }
}

// "ENOENT: no such file or directory, open 'x'" → "no such file or directory": the path is ours to print.
function describeReadError (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message
}

async function writeOut (text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain')
}

async function printInput (input: Readable, format: LineFormatter): Promise<void> {
  for await (const lines of readLineBatches(input)) {
    let text = ''
    for (const line of lines) text += formatNdjsonLine(format, line)
    await writeOut(text)
  }
}

/** Prints every input in order; an unreadable file is reported and skipped. Returns the exit code. */
async function printInputs (files: string[], format: LineFormatter): Promise<number> {
  let exitCode = EXIT_OK
  for (const file of files) {
    try {
      await printInput(file === '-' ? process.stdin : createReadStream(file), format)
    } catch (error) {
      process.stderr.write(`threadlog: ${file}: ${describeReadError(error)}\n`)
      exitCode = EXIT_UNREADABLE
    }
  }
  return exitCode
}

function exitOnOutputError (error: NodeJS.ErrnoException): void {
  // The reader went away (`threadlog app.log | head`): nothing left to do, and nothing went wrong.
  if (error.code === 'EPIPE') process.exit(EXIT_OK)
  process.stderr.write(`threadlog: cannot write: ${error.message}\n`)
  process.exit(EXIT_UNREADABLE)
}

async function main (args: string[]): Promise<number> {
  let commandLine: CommandLine
  try {
    commandLine = parseCommandLine(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`threadlog: ${error.message}\nTry 'threadlog --help' for more information.\n`)
    return EXIT_USAGE
  }
  process.stdout.on('error', exitOnOutputError)
  if (commandLine.help || commandLine.version) {
    const { root, version } = findPackage(import.meta.dirname)
    // help.txt is not compiled: it stays at src/cli/help.txt under the root, also for dist/src/cli/main.js.
    await writeOut(commandLine.help ? readFileSync(join(root, 'src', 'cli', 'help.txt'), 'utf8') : version + '\n')
    return EXIT_OK
  }
  const colorLevel = resolveColorLevel({
    colorize: commandLine.color, env: process.env, isTTY: process.stdout.isTTY === true
  })
  const format = createLineFormatter({
    colorLevel, multiline: commandLine.multiline, format: commandLine.template, colorLine: commandLine.colorLine
  })
  return printInputs(commandLine.files, format)
}

// `threadlog view …` writes an HTML timeline instead: src/cli/view.ts.
const [command, ...viewArgs] = process.argv.slice(2)
process.exitCode = command === 'view' ? await (await import('./view.ts')).runView(viewArgs) : await main(process.argv.slice(2))
