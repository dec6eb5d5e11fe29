import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseCriteria, type CriteriaText } from '../../src/select/criteria.ts'
import { REJECTED, SELECTED, UNDECIDED, compileFlatSelection } from '../../src/cli/flat-selection.ts'
import { compileRecordTest } from '../../src/select/record-test.ts'

const NONE: CriteriaText = { level: undefined, thread: undefined, pid: undefined, proc: undefined, where: [], since: undefined, until: undefined, grep: undefined, filter: undefined }
const criteria = (text: Partial<CriteriaText>) => parseCriteria({ ...NONE, ...text }, 0)

function decide (text: Partial<CriteriaText>, line: string): number {
  const select = compileFlatSelection(criteria(text))
  assert.ok(select !== undefined)
  return select(Buffer.from(line), 0, Buffer.byteLength(line))
}

test('--thread <n> and --pid <n> are decided on a flat record, as the parsed test decides them', () => {
  assert.equal(decide({ thread: '3' }, '{"pid":1,"tid":3,"msg":"m"}'), SELECTED)
  assert.equal(decide({ thread: '3' }, '{"pid":3,"tid":4}'), REJECTED)
  assert.equal(decide({ thread: '3' }, '{"tid":"3"}'), REJECTED)
  assert.equal(decide({ thread: '3' }, '{"tid":3.5}'), REJECTED)
  assert.equal(decide({ thread: '3' }, '{"msg":"no tid"}'), REJECTED)
  assert.equal(decide({ thread: '3', pid: '7' }, '{"pid":7,"tid":3}'), SELECTED)
  assert.equal(decide({ thread: '3', pid: '7' }, '{"tid":3}'), REJECTED)
  assert.equal(decide({ thread: '3', pid: '7' }, '{"pid":8,"tid":3}'), REJECTED)
})

test('--thread <glob> and --proc <glob> are decided on a flat record, as the parsed test decides them', () => {
  assert.equal(decide({ thread: 'resize-*' }, '{"tid":3,"thread":"resize-2","msg":"m"}'), SELECTED)
  assert.equal(decide({ thread: 'resize-*' }, '{"tid":3,"thread":"main"}'), REJECTED)
  assert.equal(decide({ thread: 'resize-*' }, '{"tid":3}'), REJECTED)
  assert.equal(decide({ thread: '*' }, '{"thread":3}'), REJECTED)
  assert.equal(decide({ thread: 'w?', proc: 'api' }, '{"proc":"api","thread":"w1"}'), SELECTED)
  assert.equal(decide({ thread: 'w?', proc: 'api' }, '{"proc":"web","thread":"w1"}'), REJECTED)
  assert.equal(decide({ thread: 'w?', pid: '7' }, '{"pid":7,"thread":"w10"}'), REJECTED)
  assert.equal(decide({ proc: 'a b' }, '{"proc":"a b"}'), SELECTED)
})

test('lines that are not flat records are left to the parse', () => {
  for (const line of ['{"tid":3,"a":{"b":1}}', '{"tid":3.0}', '{"tid":3,"tid":4}', '{"tid":3,"m":"caf\u00e9"}', '{ "tid":3}']) {
    assert.equal(decide({ thread: '3' }, line), UNDECIDED, line)
  }
})

test('other criteria are not decided on bytes', () => {
  assert.equal(compileFlatSelection(criteria({})), undefined)
  assert.equal(compileFlatSelection(criteria({ thread: '3', level: 'info' })), undefined)
  assert.equal(compileFlatSelection(criteria({ thread: 'resize-*', since: '2026-01-01' })), undefined)
  assert.equal(compileFlatSelection(criteria({ pid: '7', grep: 'x' })), undefined)
})

test('property: a decided verdict is what the parsed test says', () => {
  const id = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('3', 3.5, null, true))
  const name = fc.oneof(fc.constantFrom('w1', 'w2', 'main', 'a b', ''), fc.string({ maxLength: 3 }), id)
  fc.assert(fc.property(fc.record({ tid: id, pid: id, thread: name, proc: name, msg: fc.string({ maxLength: 4 }) }, { requiredKeys: [] }),
    fc.constantFrom<Partial<CriteriaText>>({ thread: '3' }, { pid: '2' }, { thread: '3', pid: '2' }, { thread: 'w*' }, { thread: 'w1', proc: '*' },
      { proc: '{main,a b}' }, { thread: '?', pid: '1' }), (record, text) => {
      const line = JSON.stringify(record)
      const verdict = decide(text, line)
      if (verdict !== UNDECIDED) assert.equal(verdict === SELECTED, compileRecordTest(criteria(text))(JSON.parse(line)), line)
    }), { numRuns: 2000 })
})
