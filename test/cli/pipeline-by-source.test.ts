// The way into the CLI's pipeline that `attach` takes for SELECTED frames: records whose thread and
// process the hub already decided by their ring. Only the other options are tested on them.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { parseAttachLine } from '../../src/cli/args.ts'
import { createPipeline } from '../../src/cli/run-filter.ts'

/** A stdout that keeps what it is given. */
function capture (): { stream: NodeJS.WriteStream, text: () => string } {
  const chunks: Buffer[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { chunks.push(Buffer.from(chunk)); done() } })
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => Buffer.concat(chunks).toString('utf8') }
}

async function bySource (args: string[], lines: string[]): Promise<string> {
  const stdout = capture()
  const pipeline = await createPipeline(parseAttachLine(['tree', ...args]), stdout.stream)
  pipeline.bySource(Buffer.from(lines.join('')))
  pipeline.sink.end()
  await pipeline.output.drain()
  return stdout.text()
}

// w1's records, as its ring carries them: the second also has a `thread` field of its own.
const RECORDS = [
  '{"level":30,"time":1,"pid":5,"proc":"api","tid":1,"thread":"w1","n":1,"msg":"a"}\n',
  '{"level":20,"time":2,"pid":5,"proc":"api","tid":1,"thread":"w1","thread":"decoy","n":2,"msg":"b"}\n',
  '{"level":30,"time":3,"pid":5,"proc":"api","tid":1,"thread":"w1","n":3,"msg":"c"}\n'
]

test('ndjson with nothing but the identity options: the records are printed as they came', async () => {
  assert.equal(await bySource(['--thread', 'w1', '--pid', '5', '-o', 'ndjson'], RECORDS), RECORDS.join(''))
})

test('the other options are tested, the identity options are not tested again', async () => {
  assert.equal(await bySource(['--thread', 'w1', '--level', 'info', '-o', 'ndjson'], RECORDS), RECORDS[0] as string + (RECORDS[2] as string))
  assert.equal(await bySource(['--thread', 'w1', '--where', 'n=2', '-o', 'ndjson'], RECORDS), RECORDS[1])
  assert.equal(await bySource(['--thread', 'w1', '--grep', '^c$', '-o', 'ndjson'], RECORDS), RECORDS[2])
})

test('pretty output prints them as it prints any record', async () => {
  const text = await bySource(['--thread', 'w1', '--no-color'], RECORDS)
  assert.deepEqual(text.split('\n').map((line) => line.replace(/^\S+ /, '')), [
    'INFO  p[api:5] t[w1:1] a  n=1',
    'DEBUG p[api:5] t[decoy:1] b  n=2',
    'INFO  p[api:5] t[w1:1] c  n=3',
    ''
  ])
})
