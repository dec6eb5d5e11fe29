import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs'
import type { Readable } from 'node:stream'
import type { CommandLine } from './args.ts'
import { ContextSink } from './context-lines.ts'
import { hasCriteria, withoutIdentity, type Criteria } from '../select/criteria.ts'
import { SELECTED, UNDECIDED, compileFlatSelection } from './flat-selection.ts'
import { EXIT_MATCHED, EXIT_NO_MATCH, EXIT_TROUBLE } from './exit-codes.ts'
import { followFile } from './follow.ts'
import { GroupSink } from './group.ts'
import { compileRecordTest } from '../select/record-test.ts'
import { LineScanner, type ScannerOptions } from './line-scanner.ts'
import type { LineSink } from './line-sink.ts'
import { LineSplitter } from './line-splitter.ts'
import { Output } from './output.ts'
import { compilePrefilter } from '../select/prefilter.ts'
import { PrintSink } from './print-sink.ts'
import { StatsSink } from './stats.ts'

/** How many bytes a read asks for: large reads mean few chunks, few partial lines, few writes. */
const READ_BYTES = 1024 * 1024

/**
 * Where lines go, and, for criteria, how the records that need no parse are decided and printed
 * (see ScannerOptions); `passThrough` when a record needs no deciding and prints as it was read.
 */
interface SinkSetup {
  readonly sink: LineSink
  readonly decideUnparsed: (criteria: Criteria) => ScannerOptions['decideUnparsed']
  readonly passThrough: boolean
}

const ALWAYS_PARSE: SinkSetup['decideUnparsed'] = () => undefined

async function createSink (line: CommandLine, output: Output, stdout: NodeJS.WriteStream): Promise<SinkSetup> {
  if (line.stats) return { sink: new StatsSink(output), decideUnparsed: ALWAYS_PARSE, passThrough: false }
  const pretty = line.output === 'pretty' ? (await import('./pretty-setup.ts')).setUpPretty(line, stdout) : undefined
  const format = pretty?.format
  if (line.group) return { sink: new GroupSink(output, (writer) => new PrintSink(writer, format), pretty?.header), decideUnparsed: ALWAYS_PARSE, passThrough: false }
  const print = new PrintSink(output, format)
  if (line.before > 0 || line.after > 0) {
    const sink = new ContextSink(print, output, { before: line.before, after: line.after, separators: line.output === 'pretty' })
    return { sink, decideUnparsed: ALWAYS_PARSE, passThrough: false }
  }
  if (pretty === undefined) {
    return {
      sink: print,
      passThrough: true,
      decideUnparsed: (criteria) => {
        const select = compileFlatSelection(criteria)
        if (select === undefined) return undefined
        return (buffer, start, end) => {
          const verdict = select(buffer, start, end)
          if (verdict === SELECTED) output.line(buffer, start, end)
          return verdict
        }
      }
    }
  }
  const direct = pretty.direct
  return {
    sink: print,
    passThrough: false,
    decideUnparsed: (criteria) => hasCriteria(criteria) || direct === undefined
      ? undefined
      : (buffer, start, end) => direct.print(buffer, start, end, output) ? SELECTED : UNDECIDED
  }
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
  /**
   * Takes whole lines of records whose `--thread`, `--pid` and `--proc` are decided already (an
   * attach hub selected them by the thread that logged them): only the other options are tested.
   */
  readonly bySource: (lines: Buffer) => void
}

/** Builds the splitter, selection and sink that `line` asks for, writing to `stdout`. */
export async function createPipeline (line: CommandLine, stdout: NodeJS.WriteStream): Promise<Pipeline> {
  const output = new Output(stdout)
  const setup = await createSink(line, output, stdout)
  const scannerFor = (criteria: Criteria) => new LineScanner({
    decideUnparsed: setup.decideUnparsed(criteria),
    prefilter: compilePrefilter(criteria),
    test: compileRecordTest(criteria),
    grep: criteria.grep,
    sink: setup.sink,
    everyRecord: line.before > 0 || line.after > 0,
    textLines: line.output === 'pretty' && !line.stats
  })
  const scanner = scannerFor(line.criteria)
  const rest = withoutIdentity(line.criteria)
  let bySource: Pipeline['bySource']
  if (setup.passThrough && !hasCriteria(rest)) {
    // Lines a thread's logger wrote, selected by that thread: printed as they came.
    bySource = (lines) => output.lines(lines)
  } else {
    const identityDecided = scannerFor(rest)
    const splitter = new LineSplitter(identityDecided.scan, identityDecided.jump)
    bySource = (lines) => splitter.push(lines)
  }
  return { splitter: new LineSplitter(scanner.scan, scanner.jump), output, sink: setup.sink, scanner, bySource }
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
