import { createRequire } from 'node:module'
import type picomatch from 'picomatch'

/** A compiled `thread:`, `proc:` or `ctx.<key>:` pattern. */
export interface Glob {
  readonly pattern: string
  /** How many of the pattern's characters are not wildcards: ranks ties between matching terms. */
  readonly literalLength: number
  test (value: string): boolean
}

// Characters that make a pattern a glob in picomatch's syntax. A pattern with none of them is
// compared for equality, which is what it means and several times cheaper than a regex.
const GLOB_CHARACTERS = new Set(['*', '?', '[', ']', '{', '}', '(', ')', '!', '+', '@', '|', '\\'])

// `bash`: a `*` matches every character, `/` included: thread and process names are not paths.
// `dot`: a leading `.` is an ordinary character.
const PICOMATCH_OPTIONS: picomatch.PicomatchOptions = Object.freeze({ dot: true, bash: true })

let loaded: typeof picomatch | undefined
/**
 * picomatch, loaded on the first pattern with a wildcard: it costs a process ~7 ms to load, which
 * a program without such a directive (most of them) need not pay at start-up.
 */
function loadPicomatch (): typeof picomatch {
  loaded ??= createRequire(import.meta.url)('picomatch') as typeof picomatch
  return loaded
}

/** Counts the pattern's literal characters: `[...]` classes and wildcards count for nothing. */
function countLiteral (pattern: string): number {
  let count = 0
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string
    if (char === '\\') {
      count++
      i++
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2)
      if (close === -1) count++
      else i = close
    } else if (!GLOB_CHARACTERS.has(char)) {
      count++
    }
  }
  return count
}

function isLiteral (pattern: string): boolean {
  for (const char of pattern) if (GLOB_CHARACTERS.has(char)) return false
  return true
}

/**
 * Compiles a pattern with picomatch. Returns the reason instead of a glob when picomatch refuses
 * it or compiles it to a regex that matches nothing (it does so for an unclosed `{` or a trailing
 * `\`): such a pattern is a mistake, and a filter must say so rather than silently match nothing.
 */
export function compileGlob (pattern: string): Glob | string {
  if (isLiteral(pattern)) {
    return { pattern, literalLength: pattern.length, test: (value) => value === pattern }
  }
  let regex: RegExp
  try {
    regex = loadPicomatch().makeRe(pattern, PICOMATCH_OPTIONS)
  } catch (error) {
    return (error as Error).message
  }
  if (regex.source === '$^') return 'it can match nothing (an unclosed "{", "[" or a trailing "\\"?)'
  return { pattern, literalLength: countLiteral(pattern), test: (value) => regex.test(value) }
}
