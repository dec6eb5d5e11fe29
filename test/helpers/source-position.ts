import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

/**
 * The `caller` a record should carry for the call `method(argument…` in `file` (`'info', "'hi'"`
 * for `log.info('hi')`): the file relative to the current directory, then the 1-based line and
 * column where `method` starts, which is where V8 places a call. Found in the text, so the
 * expectation cannot drift when the file is edited; the call must occur exactly once. Method and
 * argument are passed apart so that this helper's own call does not contain the text it looks for.
 */
export function callSiteOf (file: string, method: string, argument: string): string {
  const snippet = `${method}(${argument}`
  const text = readFileSync(file, 'utf8')
  const index = text.indexOf(snippet)
  if (index === -1 || text.indexOf(snippet, index + 1) !== -1) {
    throw new Error(`${snippet} must occur exactly once in ${file}`)
  }
  const before = text.slice(0, index).split('\n')
  const column = (before.at(-1) ?? '').length + 1
  return `${relative(process.cwd(), file)}:${before.length}:${column}`
}
