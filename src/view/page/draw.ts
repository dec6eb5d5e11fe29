/// <reference lib="dom" />
import { bucketVisibleRecords, drawHistogram, drawHover, drawMarks, drawSelection } from './draw-marks.ts'
import { drawAxis, drawRows } from './draw-rows.ts'
import { GEOMETRY, type ViewState } from './state.ts'

/** Draws the whole canvas from the state: histogram, axis, rows, marks, selection, hover. */
export function drawView (state: ViewState): void {
  const { context } = state
  context.clearRect(0, 0, state.width, state.height)
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, state.width, state.height)
  const { columns, bins, binCount, plotWidth } = bucketVisibleRecords(state)
  drawHistogram(state, bins, binCount)
  drawAxis(state)
  drawRows(state)
  context.save()
  // Marks and the request's path stay right of the labels.
  context.beginPath()
  context.rect(GEOMETRY.gutter - GEOMETRY.markWidth, 0, state.width, state.height)
  context.clip()
  drawMarks(state, columns, plotWidth)
  drawSelection(state)
  drawHover(state)
  context.restore()
  if (state.firstPaintMs === undefined) state.firstPaintMs = performance.now()
  updateStatus(state)
}

/** Redraws at the next frame, once however many events asked for it. */
export function scheduleDraw (state: ViewState): void {
  if (state.drawPending) return
  state.drawPending = true
  requestAnimationFrame(() => {
    state.drawPending = false
    drawView(state)
  })
}

/** The status line: how much is shown, and the visible range. */
export function updateStatus (state: ViewState): void {
  const status = document.getElementById('status')
  if (status === null) return
  const lanes = state.rows.filter((row) => row.kind === 'lane').length
  const span = state.to - state.from
  const spanText = span >= 1000 ? `${(span / 1000).toFixed(3)} s` : `${span.toFixed(3)} ms`
  const selected = state.selection === undefined ? '' : ` · ${state.selection.key}=${JSON.stringify(state.selection.value)}: ${state.selection.records.length} records`
  status.textContent = `${state.model.time.length} records · ${lanes} lanes · ${spanText} shown${selected}`
}
