import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ControlSlot, HubState } from '../../src/hub/control.ts'
import {
  HUB_TRANSITIONS, hubStateOf, nextHubPhase, publishHubState, waitAsyncWhileHubState, type HubEvent, type HubPhase
} from '../../src/hub/control-plane.ts'

const transitions: Array<[HubPhase, HubEvent, HubPhase]> = [
  ['absent', 'write-inline', 'inline'],
  ['absent', 'spawn', 'starting'],
  ['inline', 'spawn', 'starting'],
  ['inline', 'final-flush', 'gone'],
  ['starting', 'ready', 'running'],
  ['starting', 'final-flush', 'draining'],
  ['starting', 'stop', 'gone'],
  ['running', 'final-flush', 'draining'],
  ['running', 'stop', 'gone'],
  ['draining', 'stop', 'gone']
]

for (const [from, event, to] of transitions) {
  test(`${from} --${event}--> ${to}`, () => {
    assert.equal(nextHubPhase(from, event), to)
  })
}

test('the table has exactly the transitions above', () => {
  const table = Object.entries(HUB_TRANSITIONS).flatMap(([from, row]) => Object.entries(row).map(([event, to]) => [from, event, to]))
  assert.deepEqual(table.sort(), transitions.map((row) => [...row]).sort())
})

test('an event the table does not have for a phase throws, naming both', () => {
  assert.throws(() => nextHubPhase('gone', 'spawn'), { name: 'RangeError', message: 'threadlog: hub event "spawn" cannot happen in phase "gone"' })
  assert.throws(() => nextHubPhase('running', 'write-inline'), RangeError)
  assert.throws(() => nextHubPhase('draining', 'ready'), RangeError)
})

test('the HUB_STATE slot reads starting, then what the hub published', () => {
  const control = new Int32Array(new SharedArrayBuffer(16 * Int32Array.BYTES_PER_ELEMENT))
  assert.equal(hubStateOf(control), 'starting')
  publishHubState(control, 'running')
  assert.equal([hubStateOf(control), Atomics.load(control, ControlSlot.HUB_STATE)].join(), ['running', HubState.RUNNING].join())
  publishHubState(control, 'gone')
  assert.equal(hubStateOf(control), 'gone')
})

test('publishing wakes a waiter on the slot, and one waiting for a flush when the hub is gone', async () => {
  const control = new Int32Array(new SharedArrayBuffer(16 * Int32Array.BYTES_PER_ELEMENT))
  const flushWaiter = Atomics.waitAsync(control, ControlSlot.FLUSH_DONE, 0, 10_000)
  assert.equal(flushWaiter.async, true)
  const startWaiter = Atomics.waitAsync(control, ControlSlot.HUB_STATE, HubState.NONE, 10_000)
  const started = waitAsyncWhileHubState(control, 'starting', 10_000)
  publishHubState(control, 'running')
  // 'ok': woken by the notification, not by the timeout.
  assert.equal(startWaiter.async && await startWaiter.value, 'ok')
  await started
  publishHubState(control, 'gone')
  assert.equal(await flushWaiter.value, 'ok')
})
