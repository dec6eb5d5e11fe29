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
 * (types already stripped, by Node from src/ or by the bundler into dist/), each exported constant
 * as a JSON literal, then a call to startView. So the page's code is type-checked with the rest,
 * ships inside dist/ with it, and the page loads nothing.
 *
 * @throws {Error} if the text could end the script element, or if a function no longer bears its
 * exported name (a bundler renames one whose name collides with another module's in its chunk,
 * and the page's calls by that name would find nothing). Neither should happen: checked here.
 */
export function buildPageScript (): string {
  const parts = ['"use strict";']
  for (const module of PAGE_MODULES) {
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'function' && value.name !== name) {
        throw new Error(`threadlog view: the page function ${name} was renamed ${value.name} by the build`)
      }
      parts.push(typeof value === 'function' ? String(value) : `const ${name} = ${JSON.stringify(value)};`)
    }
  }
  parts.push('startView();')
  const script = parts.join('\n')
  if (/<\/script|<!--/i.test(script)) throw new Error('threadlog view: the page script contains text that would end its element')
  return script
}
