import assert from 'node:assert/strict'
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { countPerSource, readRecords, type LogRecord } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

const WORKERS = 4
const PER_THREAD = 3000
/** The root's main thread and workers, and the child's main thread. */
const SOURCES = WORKERS + 2

/** Every file pino-roll wrote for the base `app` in `dir`, oldest first, with its records. */
function readRolledFiles (dir: string): Array<{ name: string, records: LogRecord[] }> {
  const names = readdirSync(dir).filter((name) => /^app\.\d+\.log$/.test(name))
  names.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
  // readRecords throws on a line that is not JSON, and checks that each file ends with a whole line.
  return names.map((name) => ({ name, records: readRecords(join(dir, name)) }))
}

test('pino-roll rotates by size under four workers and a child process: every record once, none split', async () => {
  const dir = tempFile('rolled')
  mkdirSync(dir)
  const result = await runFixture('tree-into-targets.ts', [], {
    FIXTURE: JSON.stringify({
      workers: WORKERS, perThread: PER_THREAD, pad: 200,
      targets: [{ target: 'pino-roll', options: { file: join(dir, 'app'), extension: '.log', size: '256k' } }]
    })
  })
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const files = readRolledFiles(dir)
  // 6 × 3000 records of ~400 bytes: about 7 MB, so about 28 files of 256 KiB.
  assert.ok(files.length >= 20, `${files.length} files`)
  const all = files.flatMap(({ records }) => records)
  const counts = countPerSource(all.filter((r) => r.msg === 'record'))
  assert.deepEqual([...counts.values()], Array.from({ length: SOURCES }, () => PER_THREAD))
  assert.equal(new Set(all.filter((r) => r.msg === 'record').map((r) => r.pid)).size, 2, 'root and child')
  for (const { name, records } of files.slice(0, -1)) {
    const bytes = records.reduce((sum, r) => sum + JSON.stringify(r).length + 1, 0)
    assert.ok(bytes >= 256 * 1024 && bytes < 256 * 1024 + 64 * 1024, `${name}: ${bytes} bytes`)
  }
})

test('pino-roll rotates by time and keeps limit.count old files: the newest records, in order, in the files left', async () => {
  const dir = tempFile('rolled')
  mkdirSync(dir)
  const result = await runFixture('roll-by-time.ts', [dir])
  assert.equal(result.code, 0, result.stderr)
  const logged = Number(result.stdout)
  assert.ok(logged < 20_000, 'the fixture saw six files and the retention at work')
  const files = readRolledFiles(dir)
  const numbers = files.map(({ name }) => Number(name.split('.')[1]))
  assert.equal(numbers.length, 3)
  assert.deepEqual(numbers, [numbers[0] as number, (numbers[0] as number) + 1, (numbers[0] as number) + 2])
  assert.ok((numbers[0] as number) >= 4)
  // What is left is the tail of what was logged, each record once, in order, each file after the last.
  const kept = files.flatMap(({ records }) => records.filter((r) => r.msg === 'record').map((r) => r.n as number))
  assert.equal(kept.at(-1), logged)
  assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => logged - kept.length + 1 + i))
  const times = files.map(({ records }) => records.map((r) => r.time as number))
  for (let i = 1; i < times.length; i++) assert.ok(Math.min(...(times[i] as number[])) >= Math.max(...(times[i - 1] as number[])))
})
