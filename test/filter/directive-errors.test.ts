import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDirectives } from '../../src/filter/directives.ts'

const LEVELS = 'expected one of trace, debug, info, warn, error, fatal, silent'
const SELECTORS = 'thread:<glob>, tid:<n>, proc:<glob>, pid:<n> or ctx.<key>:<glob>'

// Each bad directive, and the whole message it throws: the term quoted, then what was expected.
const cases: Array<[string, string]> = [
  ['verbose', `bad term "verbose": unknown level "verbose"; ${LEVELS}`],
  ['info,WARNING', `bad term "WARNING": unknown level "WARNING"; ${LEVELS}`],
  ['thread:x=', `bad term "thread:x=": no level after "="; ${LEVELS}`],
  ['thread:x=loud', `bad term "thread:x=loud": unknown level "loud"; ${LEVELS}`],
  ['thread:x', 'bad term "thread:x": a selector without a level; expected <selector>=<level>'],
  ['x=debug', `bad term "x=debug": "x" is not a selector; expected ${SELECTORS} before "="`],
  ['=debug', `bad term "=debug": no selector before "="; expected ${SELECTORS}`],
  ['thred:x=debug', `bad term "thred:x=debug": unknown selector "thred"; expected ${SELECTORS}`],
  ['Thread:x=debug', `bad term "Thread:x=debug": unknown selector "Thread"; expected ${SELECTORS}`],
  ['thread:=debug', 'bad term "thread:=debug": no pattern after "thread:"; expected thread:<glob>'],
  ['proc: =debug', 'bad term "proc: =debug": no pattern after "proc:"; expected proc:<glob>'],
  ['tid:x=debug', 'bad term "tid:x=debug": "x" is not a number; expected tid:<n>, a non-negative integer'],
  ['tid:-1=debug', 'bad term "tid:-1=debug": "-1" is not a number; expected tid:<n>, a non-negative integer'],
  ['pid:1.5=info', 'bad term "pid:1.5=info": "1.5" is not a number; expected pid:<n>, a non-negative integer'],
  ['pid:=info', 'bad term "pid:=info": "" is not a number; expected pid:<n>, a non-negative integer'],
  ['tid:99999999999999999999=info',
    'bad term "tid:99999999999999999999=info": "99999999999999999999" is not a number; expected tid:<n>, a non-negative integer'],
  ['ctx.:x=debug', 'bad term "ctx.:x=debug": no key after "ctx."; expected ctx.<key>:<glob>'],
  ['ctx.user:=info', 'bad term "ctx.user:=info": no pattern after "ctx.user:"; expected ctx.user:<glob>'],
  ['thread:x=debug=info', 'bad term "thread:x=debug=info": more than one "="; expected <selector>=<level>'],
  ['info,thread:{a,b=debug', 'bad term "thread:{a,b=debug": unclosed "{"; expected "}" closing a glob\'s alternatives'],
  ['thread:a\\=debug',
    'bad term "thread:a\\\\=debug": "a\\\\" is not a valid glob: it can match nothing (an unclosed "{", "[" or a trailing "\\"?)']
]

for (const [text, message] of cases) {
  test(`a bad directive throws a TypeError quoting the term: ${text}`, () => {
    assert.throws(() => parseDirectives(text), { name: 'TypeError', message: `threadlog: filter directives: ${message}` })
  })
}

test('the source names where the directives came from', () => {
  assert.throws(() => parseDirectives('info,trace2', 'environment variable THREADLOG'), {
    name: 'TypeError',
    message: `threadlog: environment variable THREADLOG: bad term "trace2": unknown level "trace2"; ${LEVELS}`
  })
})

test('a term is quoted as JSON, so control characters in it are visible', () => {
  assert.throws(() => parseDirectives('deb\nug'), { message: `threadlog: filter directives: bad term "deb\\nug": unknown level "deb\\nug"; ${LEVELS}` })
})

test('directives that are not a string throw a TypeError', () => {
  assert.throws(() => parseDirectives(42 as never, 'option "filter"'), {
    name: 'TypeError',
    message: 'threadlog: option "filter" must be a string of directives such as "info,thread:worker-*=debug", got number'
  })
  assert.throws(() => parseDirectives(null as never), { name: 'TypeError', message: /got null$/ })
})
