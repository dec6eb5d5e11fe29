/// <reference lib="dom" />
import { scheduleDraw } from './draw.ts'
import { describeRecord, firstIndexAt } from './model.ts'
import { GEOMETRY, timeToX, xToTime, type Selection, type ViewState } from './state.ts'

/** The shown record nearest to a point of the canvas, within a few pixels of it, or -1. */
export function pickRecord (state: ViewState, x: number, y: number): number {
  const row = state.rows.find((candidate) => candidate.kind === 'lane' && y >= candidate.y && y < candidate.y + candidate.height)
  if (row === undefined || x < GEOMETRY.gutter) return -1
  const { model, filter } = state
  const first = firstIndexAt(model.time, xToTime(state, x - GEOMETRY.pickRadius))
  const last = firstIndexAt(model.time, xToTime(state, x + GEOMETRY.pickRadius))
  let best = -1
  let bestDistance = Number.POSITIVE_INFINITY
  for (let i = first; i < last && i < model.time.length; i++) {
    if (model.lane[i] !== row.index || (filter.recordShown !== undefined && filter.recordShown[i] !== 1)) continue
    const distance = Math.abs(timeToX(state, model.time[i] as number) - x)
    // Of records drawn on the same pixel, the highest level is the one the mark shows.
    if (distance < bestDistance - 0.5 || (distance < bestDistance + 0.5 && (model.level[i] as number) > (model.level[best] as number))) {
      best = i
      bestDistance = distance
    }
  }
  return best
}

/** The key a click on a record links by: the first of the data's link keys the record has. */
export function linkKeyOf (state: ViewState, index: number): string | undefined {
  const fields = state.model.data.fields[state.model.field[index] as number] ?? {}
  return state.model.data.linkKeys.find((key) => Object.hasOwn(fields, key))
}

/** Every record whose `key` field equals the record's, in time order (values compared as JSON). */
export function selectLinked (state: ViewState, anchor: number, key: string): Selection {
  const { model } = state
  const fields = model.data.fields
  const value = fields[model.field[anchor] as number]?.[key]
  const wanted = JSON.stringify(value)
  // Many records share a field set: compare each distinct set once.
  const matches = new Uint8Array(fields.length)
  fields.forEach((set, index) => { matches[index] = Object.hasOwn(set, key) && JSON.stringify(set[key]) === wanted ? 1 : 0 })
  const records: number[] = []
  for (let i = 0; i < model.time.length; i++) if (matches[model.field[i] as number] === 1) records.push(i)
  return { key, value, records, anchor }
}

/** Selects what a record links to (or only the record, when it has no link key), and shows its details. */
export function selectRecord (state: ViewState, index: number, key?: string): void {
  if (index < 0) {
    state.selection = undefined
    showDetail(state, -1)
    return
  }
  const linkKey = key ?? linkKeyOf(state, index)
  state.selection = linkKey === undefined ? { key: '(record)', value: index, records: [index], anchor: index } : selectLinked(state, index, linkKey)
  showDetail(state, index)
}

/**
 * The detail panel of the clicked record: its text, and one button per field to link by that
 * field instead. Built with textContent only: record data never becomes markup.
 */
export function showDetail (state: ViewState, index: number): void {
  const panel = document.getElementById('detail')
  if (panel === null) return
  panel.replaceChildren()
  panel.hidden = index < 0
  if (index < 0) return
  const text = document.createElement('pre')
  text.textContent = describeRecord(state.model, index)
  const links = document.createElement('div')
  links.append('link by: ')
  const fields = state.model.data.fields[state.model.field[index] as number] ?? {}
  for (const key of Object.keys(fields)) {
    const button = document.createElement('button')
    button.textContent = key
    button.dataset.key = key
    if (state.selection?.key === key) button.className = 'active'
    button.addEventListener('click', () => {
      selectRecord(state, index, key)
      scheduleDraw(state)
    })
    links.append(button)
  }
  const close = document.createElement('button')
  close.textContent = 'close (Esc)'
  close.addEventListener('click', () => {
    selectRecord(state, -1)
    scheduleDraw(state)
  })
  links.append(' ', close)
  panel.append(links, text)
}
