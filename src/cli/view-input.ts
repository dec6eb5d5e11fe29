import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { sourceKey } from '../view/lanes.ts'
import { readViewRecord, type ViewRecord } from '../view/view-record.ts'
import { LineSplitter } from './line-splitter.ts'
import type { ViewFilter } from './view-filter.ts'

/** What reading the inputs gave. */
export interface ViewInput {
  records: ViewRecord[]
  /** Lines that are not JSON objects with a time. */
  skipped: number
  /** Inputs that could not be read, each with why. */
  failures: Array<{ file: string, reason: string }>
}

function readLine (line: string, filter: ViewFilter, input: ViewInput): void {
  if (!line.startsWith('{')) {
    if (line.trim() !== '') input.skipped++
    return
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    input.skipped++
    return
  }
  const raw = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined
  const record = raw === undefined ? undefined : readViewRecord(raw)
  if (raw === undefined || record === undefined) input.skipped++
  else if (filter.test(raw, record)) input.records.push(record)
}

async function readStream (stream: Readable, filter: ViewFilter, input: ViewInput): Promise<void> {
  // The splitter hands lines over as bytes; a record is parsed anyway, so each is decoded once.
  const splitter = new LineSplitter((buffer, _text, start, end) => readLine(buffer.toString('utf8', start, end), filter, input))
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) splitter.push(chunk)
  } finally {
    splitter.finish()
  }
}

// "ENOENT: no such file or directory, open 'x'" → "no such file or directory": the path is ours to print.
function describeReadError (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message
}

/** When the options pick records by content, lifecycle records of lanes that kept nothing else go too. */
function dropLifecycleOnlyLanes (records: ViewRecord[]): ViewRecord[] {
  const kept = new Set<string>()
  for (const record of records) if (record.lifecycle === undefined) kept.add(sourceKey(record.source))
  return records.filter((record) => record.lifecycle === undefined || kept.has(sourceKey(record.source)))
}

/** Reads every input in order (`-` is standard input); one that cannot be read is noted and skipped. */
export async function readViewInputs (files: readonly string[], filter: ViewFilter, stdin: Readable): Promise<ViewInput> {
  const input: ViewInput = { records: [], skipped: 0, failures: [] }
  for (const file of files) {
    try {
      await readStream(file === '-' ? stdin : createReadStream(file), filter, input)
    } catch (error) {
      input.failures.push({ file, reason: describeReadError(error) })
    }
  }
  if (filter.picksContent) input.records = dropLifecycleOnlyLanes(input.records)
  return input
}
