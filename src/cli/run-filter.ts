import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs'
import type { Readable } from 'node:stream'
import type { CommandLine } from './args.ts'
import { ContextSink } from './context-lines.ts'
import { hasCriteria } from './criteria.ts'
import { SELECTED, UNDECIDED, compileFlatSelection } from './flat-selection.ts'
import { EXIT_MATCHED, EXIT_NO_MATCH, EXIT_TROUBLE } from './exit-codes.ts'
import { followFile } from './follow.ts'
import { GroupSink } from './group.ts'
import { compileRecordTest } from './line-filter.ts'
import { LineScanner, type ScannerOptions } from './line-scanner.ts'
import type { LineSink } from './line-sink.ts'
import { LineSplitter } from './line-splitter.ts'
import { Output } from './output.ts'
import { compilePrefilter } from './prefilter.ts'
import { PrintSink } from './print-sink.ts'
import { StatsSink } from './stats.ts'

/** How many bytes a read asks for: large reads mean few chunks, few partial lines, few writes. */
const READ_BYTES = 1024 * 1024

/** Where lines go, and how the records that need no parse are decided and printed (see ScannerOptions). */
interface SinkSetup {
  readonly sink: LineSink
  readonly decideUnparsed?: ScannerOptions['decideUnparsed']
}

async function createSink (line: CommandLine, output: Output, stdout: NodeJS.WriteStream): Promise<SinkSetup> {
  if (line.stats) return { sink: new StatsSink(output) }
  const pretty = line.output === 'pretty' ? (await import('./pretty-setup.ts')).setUpPretty(line, stdout) : undefined
  const format = pretty?.format
  if (line.group) return { sink: new GroupSink(output, (writer) => new PrintSink(writer, format), pretty?.header) }
  const print = new PrintSink(output, format)
  if (line.before > 0 || line.after > 0) {
    return { sink: new ContextSink(print, output, { before: line.before, after: line.after, separators: line.output === 'pretty' }) }
  }
  if (pretty === undefined) {
    const select = compileFlatSelection(line.criteria)
    if (select === undefined) return { sink: print }
    return {
      sink: print,
      decideUnparsed: (buffer, start, end) => {
        const verdict = select(buffer, start, end)
        if (verdict === SELECTED) output.line(buffer, start, end)
        return verdict
      }
    }
  }
  const direct = hasCriteria(line.criteria) ? undefined : pretty.direct
  if (direct === undefined) return { sink: print }
  return { sink: print, decideUnparsed: (buffer, start, end) => direct.print(buffer, start, end, output) ? SELECTED : UNDECIDED }
}

// "ENOENT: no such file or directory, open 'x'" → "no such file or directory": the path is ours to print.
function describeReadError (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message
}

/**
 * A regular file's chunks, read on the main thread: a stream reads each one on the thread pool,
 * and the main thread spent a third of a `--thread 3` run idle waiting for them. Each chunk is a
 * new buffer: sinks may keep lines (see LineSink).
 */
function * readRegularFile (fd: number): Generator<Buffer> {
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_BYTES)
      const bytes = readSync(fd, chunk, 0, READ_BYTES, null)
      if (bytes === 0) return
      yield bytes === READ_BYTES ? chunk : chunk.subarray(0, bytes)
    }
  } finally {
    closeSync(fd)
  }
}

/** A file's chunks: read directly when it is a regular file, else (a pipe, a device) as a stream. */
function openInput (file: string): Iterable<Buffer> | Readable {
  const fd = openSync(file, 'r')
  try {
    if (fstatSync(fd).isFile()) return readRegularFile(fd)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  return createReadStream(file, { fd, highWaterMark: READ_BYTES })
}

async function scanInput (input: Iterable<Buffer> | Readable, splitter: LineSplitter, output: Output): Promise<void> {
  try {
    for await (const chunk of input as AsyncIterable<Buffer> | Iterable<Buffer>) {
      splitter.push(chunk)
      await output.drain()
    }
  } finally {
    splitter.finish() // a last line without `\n`, or what was read before the input failed
  }
}

/** What the command line makes of lines, from bytes in to output: the file reader's and `attach`'s. */
export interface Pipeline {
  readonly splitter: LineSplitter
  readonly output: Output
  readonly sink: LineSink
  readonly scanner: LineScanner
}

/** Builds the splitter, selection and sink that `line` asks for, writing to `stdout`. */
export async function createPipeline (line: CommandLine, stdout: NodeJS.WriteStream): Promise<Pipeline> {
  const output = new Output(stdout)
  const { sink, decideUnparsed } = await createSink(line, output, stdout)
  const criteria = line.criteria
  const scanner = new LineScanner({
    decideUnparsed,
    prefilter: compilePrefilter(criteria),
    test: compileRecordTest(criteria),
    grep: criteria.grep,
    sink,
    everyRecord: line.before > 0 || line.after > 0,
    textLines: line.output === 'pretty' && !line.stats
  })
  return { splitter: new LineSplitter(scanner.scan, scanner.jump), output, sink, scanner }
}

/**
 * Runs the filter command: reads the inputs in order (an unreadable one is reported and skipped),
 * writes what the command line asks for, and returns grep's exit code: 0 when a record was
 * selected, 1 when none was, 2 when an input could not be read.
 */
export async function runFilter (line: CommandLine, stdin: Readable, stdout: NodeJS.WriteStream): Promise<number> {
  const { splitter, output, sink, scanner } = await createPipeline(line, stdout)
  if (line.follow) {
    await followFile(line.files[0] as string, splitter, output)
    return EXIT_MATCHED
  }
  let trouble = false
  for (const file of line.files) {
    try {
      await scanInput(file === '-' ? stdin : openInput(file), splitter, output)
    } catch (error) {
      await output.drain()
      process.stderr.write(`threadlog: ${file}: ${describeReadError(error)}\n`)
      trouble = true
    }
  }
  sink.end()
  await output.drain()
  if (trouble) return EXIT_TROUBLE
  return scanner.matches > 0 ? EXIT_MATCHED : EXIT_NO_MATCH
}
