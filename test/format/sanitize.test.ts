import assert from 'node:assert/strict'
import { test } from 'node:test'
import { escapeControl } from '../../src/format/sanitize.ts'

test('newline, carriage return and tab become their two-character escapes', () => {
  assert.equal(escapeControl('a\nb\rc\td'), 'a\\nb\\rc\\td')
})

test('other C0 controls, ESC included, become lower-case \\xHH', () => {
  assert.equal(escapeControl('\x00\x07\x08\x0b\x0c\x1b[31mred\x1f'), '\\x00\\x07\\x08\\x0b\\x0c\\x1b[31mred\\x1f')
})

test('DEL becomes \\x7f', () => {
  assert.equal(escapeControl('a\x7fb'), 'a\\x7fb')
})

test('C1 controls (U+0080–U+009F, the 8-bit CSI U+009B included) become \\xHH', () => {
  assert.equal(escapeControl('\x80\x85\x9b31m\x9f'), '\\x80\\x85\\x9b31m\\x9f')
})

test('bidi embeddings, overrides and isolates become lower-case \\uHHHH', () => {
  assert.equal(
    escapeControl('\u202a\u202b\u202c\u202d\u202e|\u2066\u2067\u2068\u2069'),
    '\\u202a\\u202b\\u202c\\u202d\\u202e|\\u2066\\u2067\\u2068\\u2069'
  )
})

test('printable text around the controls is kept, non-ASCII included', () => {
  assert.equal(escapeControl('héllo\x1b wörld ✓ 日本 \u00a0\u00ff'), 'héllo\\x1b wörld ✓ 日本 \u00a0\u00ff')
})

test('characters next to the escaped ranges are left alone', () => {
  const neighbours = ' ~\u00a0\u2029\u202f\u2065\u206a'
  assert.equal(escapeControl(neighbours), neighbours)
})

test('a clean string is returned as the very same string', () => {
  const clean = 'resized image reqId=7f3a'
  assert.equal(escapeControl(clean), clean)
  assert.equal(escapeControl(''), '')
})

test('keepNewlines leaves line breaks real and escapes every other control', () => {
  assert.equal(escapeControl('one\ntwo\r\n\x1b[2J\u202e', { keepNewlines: true }), 'one\ntwo\\r\n\\x1b[2J\\u202e')
})

test('keepNewlines returns a string without other controls unchanged', () => {
  assert.equal(escapeControl('one\ntwo', { keepNewlines: true }), 'one\ntwo')
})

test('keepNewlines: false escapes newlines like the default', () => {
  assert.equal(escapeControl('one\ntwo', { keepNewlines: false }), 'one\\ntwo')
})
