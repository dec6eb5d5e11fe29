import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ecsFormat } from '@elastic/ecs-pino-format'
import { createLogger, withContext } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

/** The record's top-level keys as written, duplicates included: nested objects are cut out first. */
function topLevelKeys (line: string): string[] {
  const record = JSON.parse(line) as Record<string, unknown>
  let flat = line
  for (const value of Object.values(record)) {
    if (typeof value === 'object' && value !== null) flat = flat.replace(JSON.stringify(value), '0')
  }
  return [...flat.matchAll(/[{,]"([^"]+)":/g)].map((match) => match[1]!)
}

test('formatters.identity reshapes threadlog\'s own fields, once per logger', () => {
  const sink = collectLines()
  let calls = 0
  const log = createLogger({
    formatters: {
      identity: ({ tid, thread, proc }) => {
        calls++
        return { 'process.thread.id': tid, 'process.thread.name': thread, service: proc }
      }
    }
  }, sink)
  log.info('a')
  log.info('b')
  const record = sink.records()[1]
  assert.equal(calls, 1)
  assert.deepEqual([record?.['process.thread.id'], record?.['process.thread.name'], record?.tid, record?.thread], [0, 'main', undefined, undefined])
  assert.equal(typeof record?.seq, 'number')
})

test('@elastic/ecs-pino-format works end to end: ECS fields, identity under process.thread, no duplicate keys', () => {
  const sink = collectLines()
  const log = createLogger({
    name: 'billing',
    ...ecsFormat(),
    formatters: {
      ...ecsFormat().formatters,
      identity: ({ tid, thread, ppid }) => ({ 'process.thread.id': tid, 'process.thread.name': thread, 'process.parent.pid': ppid })
    }
  }, sink)
  withContext({ reqId: 'r1' }, () => log.child({ part: 'x' }).warn({ err: new Error('boom') }, 'charged'))
  const line = sink.lines[0] ?? ''
  const all = topLevelKeys(line)
  assert.deepEqual(all.filter((key, i) => all.indexOf(key) !== i), [], `no duplicate keys in ${line}`)
  const record = sink.records()[0] ?? {}
  assert.deepEqual(
    [record['log.level'], record.message, record['process.pid'], record['log.logger'], record['process.thread.id'],
      record['process.thread.name'], record['process.parent.pid'], record.reqId, record.part, (record.error as { message?: string })?.message],
    ['warn', 'charged', process.pid, 'billing', 0, 'main', process.ppid, 'r1', 'x', 'boom'])
  assert.equal(typeof record['@timestamp'], 'string')
  assert.equal(typeof record['ecs.version'], 'string')
})
