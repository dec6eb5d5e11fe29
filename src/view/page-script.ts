import * as drawMarks from './page/draw-marks.ts'
import * as drawRows from './page/draw-rows.ts'
import * as draw from './page/draw.ts'
import * as filter from './page/filter.ts'
import * as input from './page/input.ts'
import * as model from './page/model.ts'
import * as select from './page/select.ts'
import * as start from './page/start.ts'
import * as state from './page/state.ts'

// Every module of src/view/page/, whose exports make up the page's script.
const PAGE_MODULES: ReadonlyArray<Record<string, unknown>> = [model, filter, state, drawMarks, drawRows, draw, select, input, start]

/**
 * The page's script, from the page modules' own source text: each exported function as it is
 * (types already stripped, by Node from src/ or by tsc into dist/), each exported constant as a
 * JSON literal, then a call to startView. So the page's code is type-checked with the rest,
 * ships inside dist/ with it, and the page needs no bundler and loads nothing.
 *
 * @throws {Error} if the text could end the script element (it never should: checked once here).
 */
export function buildPageScript (): string {
  const parts = ['"use strict";']
  for (const module of PAGE_MODULES) {
    for (const [name, value] of Object.entries(module)) {
      parts.push(typeof value === 'function' ? String(value) : `const ${name} = ${JSON.stringify(value)};`)
    }
  }
  parts.push('startView();')
  const script = parts.join('\n')
  if (/<\/script|<!--/i.test(script)) throw new Error('threadlog view: the page script contains text that would end its element')
  return script
}
