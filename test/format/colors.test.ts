import assert from 'node:assert/strict'
import { test } from 'node:test'
import { levelColor, resolveColorLevel, tagColor, type ColorPolicy } from '../../src/format/colors.ts'

type Row = readonly [colorize: boolean | undefined, env: ColorPolicy['env'], isTTY: boolean, expected: number]

// The whole decision table of resolveColorLevel, in its order of precedence.
const MATRIX: readonly Row[] = [
  // An explicit choice beats the environment.
  [false, {}, true, 0],
  [false, { FORCE_COLOR: '3' }, true, 0],
  [true, {}, false, 1],
  [true, { NO_COLOR: '1' }, false, 1],
  [true, { FORCE_COLOR: '0' }, false, 1],
  [true, { FORCE_COLOR: '2' }, false, 2],
  [true, { FORCE_COLOR: '3', NO_COLOR: '1' }, false, 3],
  [true, { TERM: 'xterm-256color' }, false, 2],
  [true, { COLORTERM: 'truecolor' }, false, 3],
  [true, { TERM: 'dumb' }, false, 1],
  // NO_COLOR, when not empty, beats FORCE_COLOR and the terminal.
  [undefined, { NO_COLOR: '1' }, true, 0],
  [undefined, { NO_COLOR: '1', FORCE_COLOR: '3' }, true, 0],
  [undefined, { NO_COLOR: '' }, true, 1],
  [undefined, { NO_COLOR: '', FORCE_COLOR: '2' }, false, 2],
  // FORCE_COLOR.
  [undefined, { FORCE_COLOR: '0' }, true, 0],
  [undefined, { FORCE_COLOR: 'false' }, true, 0],
  [undefined, { FORCE_COLOR: '1' }, false, 1],
  [undefined, { FORCE_COLOR: '2' }, false, 2],
  [undefined, { FORCE_COLOR: '3' }, false, 3],
  [undefined, { FORCE_COLOR: '7' }, false, 3],
  [undefined, { FORCE_COLOR: '' }, false, 1],
  [undefined, { FORCE_COLOR: 'true' }, false, 1],
  [undefined, { FORCE_COLOR: 'yes' }, false, 1],
  [undefined, { FORCE_COLOR: '1', TERM: 'xterm-256color' }, true, 1],
  // Nothing said: colors only on a terminal, as much as it supports.
  [undefined, {}, false, 0],
  [undefined, { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, false, 0],
  [undefined, {}, true, 1],
  [undefined, { TERM: 'xterm' }, true, 1],
  [undefined, { TERM: 'dumb' }, true, 0],
  [undefined, { TERM: 'dumb', COLORTERM: 'truecolor' }, true, 0],
  [undefined, { TERM: 'xterm-256color' }, true, 2],
  [undefined, { TERM: 'screen-256colour' }, true, 2],
  [undefined, { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, true, 3],
  [undefined, { COLORTERM: '24bit' }, true, 3],
  [undefined, { TERM: 'xterm-direct' }, true, 3]
]

test('resolveColorLevel follows the NO_COLOR / FORCE_COLOR / TTY / explicit matrix', () => {
  const actual = MATRIX.map(([colorize, env, isTTY]) => resolveColorLevel({ colorize, env, isTTY }))
  assert.deepEqual(actual, MATRIX.map((row) => row[3]))
})

test('level colors at level 1 are the basic ANSI colors of each level', () => {
  const labels = [10, 20, 30, 40, 50, 60].map((level) => JSON.stringify(levelColor(level, 1)('X')))
  assert.deepEqual(labels, [
    '"\\u001b[90mX\\u001b[39m"',
    '"\\u001b[36mX\\u001b[39m"',
    '"\\u001b[32mX\\u001b[39m"',
    '"\\u001b[33mX\\u001b[39m"',
    '"\\u001b[31mX\\u001b[39m"',
    '"\\u001b[1m\\u001b[37m\\u001b[41mX\\u001b[49m\\u001b[39m\\u001b[22m"'
  ])
})

test('a custom level takes the color of the standard level below it; below 10 none', () => {
  assert.equal(levelColor(45, 1)('X'), '\x1b[33mX\x1b[39m')
  assert.equal(levelColor(99, 1)('X'), levelColor(60, 1)('X'))
  assert.equal(levelColor(5, 1)('X'), 'X')
})

test('level 0 adds no escape sequence', () => {
  assert.equal(levelColor(50, 0)('X'), 'X')
  assert.equal(tagColor(4242, 3, 0)('X'), 'X')
})

test('tagColor is stable: the same pid and tid always give the same color', () => {
  // Golden values: a change here recolors every user's logs, so it must be deliberate.
  assert.equal(tagColor(4242, 0, 1)('X'), '\x1b[32mX\x1b[39m')
  assert.equal(tagColor(4242, 3, 1)('X'), '\x1b[33mX\x1b[39m')
  assert.equal(tagColor(4242, 0, 2)('X'), '\x1b[38;5;136mX\x1b[39m')
  assert.equal(tagColor(4242, 3, 2)('X'), '\x1b[38;5;69mX\x1b[39m')
  assert.equal(tagColor(4242, 3, 3)('X'), '\x1b[38;5;69mX\x1b[39m')
})

test('tagColor gives the threads of one process distinct colors', () => {
  for (const level of [1, 2] as const) {
    const colors = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((tid) => tagColor(4242, tid, level)('X')))
    assert.equal(colors.size, 10, `level ${level}`)
  }
})

test('tagColor tells a few processes apart', () => {
  const colors = new Set([4242, 4243, 4244, 1].map((pid) => tagColor(pid, 0, 2)('X')))
  assert.equal(colors.size, 4)
})

test('tagColor never uses red, black, white or gray at level 1', () => {
  const forbidden = /\x1b\[(30|31|37|90|91|97)m/
  for (let pid = 0; pid < 50; pid++) {
    for (let tid = 0; tid < 12; tid++) assert.doesNotMatch(tagColor(pid, tid, 1)('X'), forbidden)
  }
})
