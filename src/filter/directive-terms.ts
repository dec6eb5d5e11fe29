import { LEVEL_VALUES } from '../levels.ts'
import { compileGlob, type Glob } from './glob.ts'

/** What a term selects on: nothing (a bare level), an identity field, or a context field. */
export type SelectorKind = 'level' | 'tid' | 'pid' | 'thread' | 'proc' | 'ctx'

/** A level name a directive may give: pino's, and `silent`, which lets nothing through. */
export type DirectiveLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'

/** One parsed term of a directive string, e.g. `thread:resize-*=debug`. */
export interface DirectiveTerm {
  readonly kind: SelectorKind
  /** The context field, for `ctx.<key>:` terms only. */
  readonly key?: string
  /** The glob or number after `:`; absent for a bare level. */
  readonly pattern?: string
  readonly level: DirectiveLevel
  /** The level's value: pino's number, or `Infinity` for `silent`. */
  readonly value: number
}

/** A term with what evaluating it needs: the compiled glob or number, and its specificity. */
export interface CompiledTerm {
  readonly term: DirectiveTerm
  /** tid/pid 3, thread/proc 2, ctx 1, a bare level 0: see `parseDirectives`. */
  readonly rank: number
  readonly literalLength: number
  readonly glob: Glob | undefined
  readonly number: number | undefined
}

const LEVEL_NAMES = 'trace, debug, info, warn, error, fatal, silent'
const SELECTORS = 'thread:<glob>, tid:<n>, proc:<glob>, pid:<n> or ctx.<key>:<glob>'
const RANKS: Readonly<Record<SelectorKind, number>> = { tid: 3, pid: 3, thread: 2, proc: 2, ctx: 1, level: 0 }

/** The TypeError every bad directive throws: it quotes the term and says what was expected. */
export function badTerm (source: string, term: string, problem: string): TypeError {
  return new TypeError(`threadlog: ${source}: bad term ${JSON.stringify(term)}: ${problem}`)
}

/**
 * Splits a directive string at its commas, except those inside `{…}`, which belong to a glob's
 * alternatives (`thread:{resize,thumb}-*=debug`). Blank terms are dropped, so a trailing comma is
 * harmless.
 */
export function splitTerms (text: string, source: string): string[] {
  const terms: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '{') depth++
    else if (char === '}' && depth > 0) depth--
    else if (char === ',' && depth === 0) {
      terms.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  const last = text.slice(start).trim()
  if (depth > 0) throw badTerm(source, last, 'unclosed "{"; expected "}" closing a glob\'s alternatives')
  terms.push(last)
  return terms.filter((term) => term !== '')
}

function parseLevel (source: string, term: string, name: string): { level: DirectiveLevel, value: number } {
  if (name === '') throw badTerm(source, term, `no level after "="; expected one of ${LEVEL_NAMES}`)
  const level = name.toLowerCase()
  if (level === 'silent') return { level, value: Infinity }
  const value = LEVEL_VALUES[level]
  if (value === undefined) throw badTerm(source, term, `unknown level ${JSON.stringify(name)}; expected one of ${LEVEL_NAMES}`)
  return { level: level as DirectiveLevel, value }
}

function parseNumber (source: string, term: string, kind: string, text: string): number {
  const value = Number(text)
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value)) {
    throw badTerm(source, term, `${JSON.stringify(text)} is not a number; expected ${kind}:<n>, a non-negative integer`)
  }
  return value
}

function parseGlob (source: string, term: string, kind: string, text: string): Glob {
  if (text === '') throw badTerm(source, term, `no pattern after "${kind}:"; expected ${kind}:<glob>`)
  const glob = compileGlob(text)
  if (typeof glob === 'string') throw badTerm(source, term, `${JSON.stringify(text)} is not a valid glob: ${glob}`)
  return glob
}

interface ParsedSelector { kind: SelectorKind, key?: string, pattern: string, glob?: Glob, number?: number }

function parseSelector (source: string, term: string, selector: string): ParsedSelector {
  if (selector === '') throw badTerm(source, term, `no selector before "="; expected ${SELECTORS}`)
  const colon = selector.indexOf(':')
  if (colon === -1) {
    throw badTerm(source, term, `${JSON.stringify(selector)} is not a selector; expected ${SELECTORS} before "="`)
  }
  const kind = selector.slice(0, colon).trim()
  const pattern = selector.slice(colon + 1).trim()
  if (kind === 'tid' || kind === 'pid') return { kind, pattern, number: parseNumber(source, term, kind, pattern) }
  if (kind === 'thread' || kind === 'proc') return { kind, pattern, glob: parseGlob(source, term, kind, pattern) }
  if (kind.startsWith('ctx.')) {
    const key = kind.slice(4).trim()
    if (key === '') throw badTerm(source, term, 'no key after "ctx."; expected ctx.<key>:<glob>')
    return { kind: 'ctx', key, pattern, glob: parseGlob(source, term, `ctx.${key}`, pattern) }
  }
  throw badTerm(source, term, `unknown selector ${JSON.stringify(kind)}; expected ${SELECTORS}`)
}

/** Parses one trimmed, non-empty term, `[selector=]level`. */
export function parseTerm (source: string, term: string): CompiledTerm {
  const equals = term.indexOf('=')
  if (equals === -1) {
    if (term.includes(':')) throw badTerm(source, term, 'a selector without a level; expected <selector>=<level>')
    const { level, value } = parseLevel(source, term, term)
    return { term: { kind: 'level', level, value }, rank: 0, literalLength: 0, glob: undefined, number: undefined }
  }
  const levelText = term.slice(equals + 1).trim()
  if (levelText.includes('=')) throw badTerm(source, term, 'more than one "="; expected <selector>=<level>')
  const { level, value } = parseLevel(source, term, levelText)
  const selector = parseSelector(source, term, term.slice(0, equals).trim())
  const parsed: DirectiveTerm = selector.key === undefined
    ? { kind: selector.kind, pattern: selector.pattern, level, value }
    : { kind: selector.kind, key: selector.key, pattern: selector.pattern, level, value }
  return {
    term: parsed,
    rank: RANKS[selector.kind],
    literalLength: selector.glob?.literalLength ?? selector.pattern.length,
    glob: selector.glob,
    number: selector.number
  }
}

/** A term written back in canonical form: no blanks, the level in lower case. */
export function formatTerm (term: DirectiveTerm): string {
  if (term.kind === 'level') return term.level
  const selector = term.kind === 'ctx' ? `ctx.${term.key ?? ''}` : term.kind
  return `${selector}:${term.pattern ?? ''}=${term.level}`
}
