import { formatTerm, parseTerm, splitTerms, type CompiledTerm, type DirectiveTerm } from './directive-terms.ts'

export type { DirectiveLevel, DirectiveTerm, SelectorKind } from './directive-terms.ts'

/** What a directive is evaluated against: the identity of a record's source, and its context. */
export interface FilterSubject {
  readonly tid?: number
  readonly thread?: string
  readonly pid?: number
  readonly proc?: string
  /** Context value lookup for ctx.<key> selectors; undefined when absent. */
  readonly context?: (key: string) => unknown
}

/**
 * The threshold of one source (a thread of a process), split for the logging path: `floor` is the
 * lowest threshold any of its records can get, and `forContext`, when the directives have `ctx.`
 * terms that can decide for this source, gives the threshold of one record from its context.
 */
export interface SourceThreshold {
  readonly floor: number
  readonly forContext: ((context: (key: string) => unknown) => number) | undefined
}

/** Parsed filter directives, e.g. `info,thread:resize-*=debug`; see {@link parseDirectives}. */
export interface Directives {
  /** The directives in canonical form (no blanks, lower-case levels): parsing it gives the same directives. */
  readonly text: string
  /** The terms in the order written. */
  readonly terms: readonly DirectiveTerm[]
  /** The last bare level's value (`Infinity` for `silent`), or undefined when there is none. */
  readonly defaultLevel: number | undefined
  /** Whether any term selects on a context field (`ctx.<key>:`), which has to be checked per record. */
  readonly usesContext: boolean
  /** Threshold level value: the most specific matching term's level, else defaultLevel, else fallback. */
  levelFor (subject: FilterSubject, fallback: number): number
  /**
   * The same thresholds as {@link levelFor}, with the identity resolved once: a source whose
   * thread, tid, proc or pid matches a term never looks at context.
   */
  thresholdFor (identity: Omit<FilterSubject, 'context'>, fallback: number): SourceThreshold
}

/** Whether a term's selector matches the subject; a field the subject lacks matches nothing. */
function matches (compiled: CompiledTerm, subject: FilterSubject): boolean {
  const { term, glob, number } = compiled
  switch (term.kind) {
    case 'tid': return subject.tid === number
    case 'pid': return subject.pid === number
    case 'thread': return subject.thread !== undefined && glob!.test(subject.thread)
    case 'proc': return subject.proc !== undefined && glob!.test(subject.proc)
    case 'ctx': return subject.context !== undefined && matchesContext(compiled, subject.context)
    case 'level': return true
  }
}

/** A context value matches as the string it is written as; objects, null and absent values match nothing. */
function matchesContext (compiled: CompiledTerm, context: (key: string) => unknown): boolean {
  const value = context(compiled.term.key as string)
  switch (typeof value) {
    case 'string': return compiled.glob!.test(value)
    case 'number': case 'boolean': case 'bigint': return compiled.glob!.test(String(value))
    default: return false
  }
}

/** Most specific first: rank, then the longer literal part, then the later term. */
function bySpecificity (a: CompiledTerm & { order: number }, b: CompiledTerm & { order: number }): number {
  return b.rank - a.rank || b.literalLength - a.literalLength || b.order - a.order
}

class ParsedDirectives implements Directives {
  readonly text: string
  readonly terms: readonly DirectiveTerm[]
  readonly defaultLevel: number | undefined
  readonly usesContext: boolean
  // Terms with a selector, most specific first: the first that matches decides.
  readonly #identityTerms: readonly CompiledTerm[]
  readonly #contextTerms: readonly CompiledTerm[]

  constructor (compiled: CompiledTerm[]) {
    this.terms = Object.freeze(compiled.map((c) => c.term))
    this.text = this.terms.map(formatTerm).join(',')
    this.defaultLevel = compiled.findLast((c) => c.rank === 0)?.term.value
    const ranked = compiled.map((c, order) => ({ ...c, order })).filter((c) => c.rank > 0).sort(bySpecificity)
    this.#identityTerms = ranked.filter((c) => c.rank > 1)
    this.#contextTerms = ranked.filter((c) => c.rank === 1)
    this.usesContext = this.#contextTerms.length > 0
  }

  levelFor (subject: FilterSubject, fallback: number): number {
    for (const term of this.#identityTerms) if (matches(term, subject)) return term.term.value
    for (const term of this.#contextTerms) if (matches(term, subject)) return term.term.value
    return this.defaultLevel ?? fallback
  }

  thresholdFor (identity: Omit<FilterSubject, 'context'>, fallback: number): SourceThreshold {
    for (const term of this.#identityTerms) {
      if (matches(term, identity)) return { floor: term.term.value, forContext: undefined }
    }
    const base = this.defaultLevel ?? fallback
    const contextTerms = this.#contextTerms
    if (contextTerms.length === 0) return { floor: base, forContext: undefined }
    const floor = Math.min(base, ...contextTerms.map((c) => c.term.value))
    const forContext = (context: (key: string) => unknown): number => {
      for (const term of contextTerms) if (matchesContext(term, context)) return term.term.value
      return base
    }
    return { floor, forContext }
  }
}

/**
 * Parses filter directives: comma-separated terms `[selector=]level`, such as
 * `info,thread:resize-*=debug,proc:billing=warn,tid:3=trace,ctx.tenant:acme=debug`.
 *
 * - Selectors: `thread:<glob>`, `tid:<n>`, `proc:<glob>`, `pid:<n>`, `ctx.<key>:<glob>` (a field of
 *   the current `withContext` scope, compared as the string it is written as). Globs are
 *   picomatch's (`*`, `?`, `[a-z]`, `{a,b}`, `@(a|b)`, `!(x)`), where `*` also matches `/`; a
 *   pattern without wildcards must equal the value.
 * - Levels: trace, debug, info, warn, error, fatal, silent (in any case); a bare level is the
 *   default, the last one wins.
 * - Specificity, when several terms match: tid/pid > thread/proc > ctx.<key> > the bare level; among
 *   terms of one rank, the one with more literal (non-wildcard) characters, then the later one.
 * - Blanks around terms, `=` and `:` are ignored; blank terms are dropped; `''` filters nothing.
 *
 * A record passes when its level ≥ `levelFor(subject, fallback)` (silent is `Infinity`).
 *
 * @param source names where the text came from in errors, e.g. `option "filter"` or `THREADLOG`.
 * @throws {TypeError} quoting the bad term and saying what was expected.
 */
export function parseDirectives (text: string, source = 'filter directives'): Directives {
  if (typeof text !== 'string') {
    throw new TypeError(`threadlog: ${source} must be a string of directives such as "info,thread:worker-*=debug", got ${text === null ? 'null' : typeof text}`)
  }
  return new ParsedDirectives(splitTerms(text, source).map((term) => parseTerm(source, term)))
}
