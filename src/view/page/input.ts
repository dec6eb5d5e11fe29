/// <reference lib="dom" />
import { scheduleDraw } from './draw.ts'
import { applyFilter, parseFilterQuery } from './filter.ts'
import { describeRecord } from './model.ts'
import { pickRecord, selectRecord } from './select.ts'
import { GEOMETRY, layOutRows, sizeCanvas, xToTime, type ViewState } from './state.ts'

/** The narrowest range zooming goes to, in milliseconds. */
export const MIN_SPAN_MS = 0.05

/** Sets the visible range, kept within a little more than the whole log and no narrower than MIN_SPAN_MS. */
export function setVisibleRange (state: ViewState, from: number, to: number): void {
  const { start, end } = state.model
  const margin = (end - start) * 0.05
  const span = Math.min(Math.max(to - from, MIN_SPAN_MS), end - start + 2 * margin)
  const low = Math.max(start - margin, Math.min(from, end + margin - span))
  state.from = low
  state.to = low + span
  scheduleDraw(state)
}

/** Zooms by `factor` (< 1 zooms in) around the time under `x`. */
export function zoomAt (state: ViewState, x: number, factor: number): void {
  const anchor = xToTime(state, Math.max(GEOMETRY.gutter, x))
  setVisibleRange(state, anchor - (anchor - state.from) * factor, anchor + (state.to - anchor) * factor)
}

/** Applies the filter box's text: hides lanes and records, and says which terms did not parse. */
export function setFilter (state: ViewState, text: string): void {
  const query = parseFilterQuery(text)
  state.filter = applyFilter(state.model, query)
  const errors = document.getElementById('filter-errors')
  if (errors !== null) errors.textContent = query.errors.length === 0 ? '' : `not understood: ${query.errors.join(' ')}`
  layOutRows(state)
  sizeCanvas(state)
  scheduleDraw(state)
}

/** Shows the hovered record next to the pointer (text only: never markup). */
export function showTooltip (state: ViewState, event: MouseEvent): void {
  const tooltip = document.getElementById('tooltip')
  if (tooltip === null) return
  tooltip.hidden = state.hover < 0
  if (state.hover < 0) return
  tooltip.textContent = describeRecord(state.model, state.hover)
  const left = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8)
  tooltip.style.left = `${Math.max(0, left)}px`
  tooltip.style.top = `${event.clientY + 14}px`
}

/** A mouse event's position on the canvas. */
export function canvasPoint (state: ViewState, event: MouseEvent): [number, number] {
  const box = state.canvas.getBoundingClientRect()
  return [event.clientX - box.left, event.clientY - box.top]
}

/** Drag pans; a press released where it started is a click, which selects. */
export function listenToPointer (state: ViewState): void {
  let drag: { x: number, from: number, to: number, moved: boolean } | undefined
  state.canvas.addEventListener('mousedown', (event) => {
    drag = { x: event.clientX, from: state.from, to: state.to, moved: false }
  })
  window.addEventListener('mousemove', (event) => {
    if (drag !== undefined && (drag.moved || Math.abs(event.clientX - drag.x) > 3)) {
      drag.moved = true
      const perPixel = (drag.to - drag.from) / (state.width - GEOMETRY.gutter)
      const shift = (drag.x - event.clientX) * perPixel
      setVisibleRange(state, drag.from + shift, drag.to + shift)
      return
    }
    if (event.target !== state.canvas) return
    const [x, y] = canvasPoint(state, event)
    const hover = pickRecord(state, x, y)
    if (hover !== state.hover) scheduleDraw(state)
    state.hover = hover
    showTooltip(state, event)
  })
  window.addEventListener('mouseup', (event) => {
    const wasClick = drag !== undefined && !drag.moved && event.target === state.canvas
    drag = undefined
    if (!wasClick) return
    const [x, y] = canvasPoint(state, event)
    selectRecord(state, pickRecord(state, x, y))
    scheduleDraw(state)
  })
  state.canvas.addEventListener('mouseleave', () => {
    const tooltip = document.getElementById('tooltip')
    if (tooltip !== null) tooltip.hidden = true
  })
}

/** Wheel zooms, pointer pans and selects, the filter box filters, Escape clears the selection. */
export function listenToInput (state: ViewState): void {
  state.canvas.addEventListener('wheel', (event) => {
    event.preventDefault()
    const [x] = canvasPoint(state, event)
    zoomAt(state, x, Math.exp(event.deltaY * 0.002))
  }, { passive: false })
  listenToPointer(state)
  const filter = document.getElementById('filter') as HTMLInputElement | null
  filter?.addEventListener('input', () => setFilter(state, filter.value))
  document.getElementById('reset')?.addEventListener('click', () => setVisibleRange(state, state.model.start, state.model.end))
  window.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return
    selectRecord(state, -1)
    scheduleDraw(state)
  })
  window.addEventListener('resize', () => {
    sizeCanvas(state)
    scheduleDraw(state)
  })
}
