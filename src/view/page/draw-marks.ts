/// <reference lib="dom" />
import { LEVEL_COLORS, firstIndexAt } from './model.ts'
import { GEOMETRY, timeToX, type ViewState } from './state.ts'

/** Histogram bins are this many pixels wide. */
export const HISTOGRAM_BIN_PX = 4

/**
 * One pass over the visible records: per lane and pixel column the highest level class (plus one;
 * 0 is empty), per histogram bin the count of each level class. Drawing then costs pixels, not
 * records: 200 000 records cost one loop here.
 */
export function bucketVisibleRecords (state: ViewState): { columns: Uint8Array, bins: Uint32Array, binCount: number, plotWidth: number } {
  const { model, filter } = state
  const plotWidth = Math.max(1, Math.floor(state.width - GEOMETRY.gutter))
  const columns = new Uint8Array(model.data.lanes.length * plotWidth)
  const binCount = Math.ceil(plotWidth / HISTOGRAM_BIN_PX)
  const bins = new Uint32Array(binCount * LEVEL_COLORS.length)
  const first = firstIndexAt(model.time, state.from)
  const last = firstIndexAt(model.time, state.to)
  const scale = plotWidth / (state.to - state.from)
  for (let i = first; i < last; i++) {
    const lane = model.lane[i] as number
    if (filter.laneShown[lane] !== 1 || (filter.recordShown !== undefined && filter.recordShown[i] !== 1)) continue
    const x = Math.min(plotWidth - 1, Math.floor(((model.time[i] as number) - state.from) * scale))
    const levelClass = model.levelClass[i] as number
    const cell = lane * plotWidth + x
    if ((columns[cell] as number) < levelClass + 1) columns[cell] = levelClass + 1
    const bin = Math.floor(x / HISTOGRAM_BIN_PX) * LEVEL_COLORS.length + levelClass
    bins[bin] = (bins[bin] as number) + 1
  }
  return { columns, bins, binCount, plotWidth }
}

/** The level histogram over the visible range: stacked counts per bin, trace at the bottom. */
export function drawHistogram (state: ViewState, bins: Uint32Array, binCount: number): void {
  const { context } = state
  const classes = LEVEL_COLORS.length
  let highest = 1
  for (let bin = 0; bin < binCount; bin++) {
    let total = 0
    for (let c = 0; c < classes; c++) total += bins[bin * classes + c] as number
    if (total > highest) highest = total
  }
  const top = 14
  const height = GEOMETRY.histogram - top - 4
  for (let bin = 0; bin < binCount; bin++) {
    let y = GEOMETRY.histogram - 4
    for (let c = 0; c < classes; c++) {
      const count = bins[bin * classes + c] as number
      if (count === 0) continue
      const h = Math.max(1, count / highest * height)
      context.fillStyle = LEVEL_COLORS[c] as string
      context.fillRect(GEOMETRY.gutter + bin * HISTOGRAM_BIN_PX, y - h, HISTOGRAM_BIN_PX - 1, h)
      y -= h
    }
  }
  context.fillStyle = '#5f6368'
  context.font = '11px system-ui, sans-serif'
  context.fillText(`records per ${HISTOGRAM_BIN_PX} px, highest ${highest}`, GEOMETRY.gutter, 11)
}

/** Every shown lane's marks, one level color at a time (few fillStyle changes). */
export function drawMarks (state: ViewState, columns: Uint8Array, plotWidth: number): void {
  const { context } = state
  const half = Math.floor(GEOMETRY.markWidth / 2)
  for (let c = 0; c < LEVEL_COLORS.length; c++) {
    context.fillStyle = LEVEL_COLORS[c] as string
    for (const row of state.rows) {
      if (row.kind !== 'lane') continue
      const offset = row.index * plotWidth
      for (let x = 0; x < plotWidth; x++) {
        if (columns[offset + x] === c + 1) context.fillRect(GEOMETRY.gutter + x - half, row.y + row.height * 0.2, GEOMETRY.markWidth, row.height * 0.6)
      }
    }
  }
}

/** The selected request: a line through its records in time order, across lanes, and a ring on each. */
export function drawSelection (state: ViewState): void {
  const { selection, context, model } = state
  if (selection === undefined) return
  context.strokeStyle = '#7b1fa2'
  context.lineWidth = 1.5
  context.beginPath()
  let drawing = false
  for (const index of selection.records) {
    const y = state.laneCenter[model.lane[index] as number] as number
    if (Number.isNaN(y)) continue
    const x = timeToX(state, model.time[index] as number)
    if (drawing) context.lineTo(x, y)
    else context.moveTo(x, y)
    drawing = true
  }
  context.stroke()
  for (const index of selection.records) {
    const y = state.laneCenter[model.lane[index] as number] as number
    const x = timeToX(state, model.time[index] as number)
    if (Number.isNaN(y) || x < GEOMETRY.gutter || x > state.width) continue
    context.beginPath()
    context.arc(x, y, index === selection.anchor ? 6 : 4, 0, Math.PI * 2)
    context.stroke()
  }
}

/** A ring around the record under the pointer. */
export function drawHover (state: ViewState): void {
  if (state.hover < 0) return
  const y = state.laneCenter[state.model.lane[state.hover] as number] as number
  if (Number.isNaN(y)) return
  const x = timeToX(state, state.model.time[state.hover] as number)
  state.context.strokeStyle = '#202124'
  state.context.lineWidth = 2
  state.context.strokeRect(x - 4, y - 8, 8, 16)
}
