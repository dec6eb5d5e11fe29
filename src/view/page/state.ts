/// <reference lib="dom" />
import type { FilterResult } from './filter.ts'
import type { ViewModel } from './model.ts'

/** Sizes of the canvas's parts, in CSS pixels. */
export const GEOMETRY = { gutter: 230, histogram: 72, axis: 24, processRow: 20, laneRow: 24, markWidth: 3, pickRadius: 6 } as const

/**
 * The tallest the canvas gets, in CSS pixels: Chromium draws nothing on a canvas taller than
 * 32 767 device pixels, so with thousands of threads (a pool's short-lived workers) rows shrink.
 */
export const MAX_CANVAS_HEIGHT = 16_000

/** One row of the lanes area: a process's header or one of its threads. */
export interface Row {
  readonly kind: 'process' | 'lane'
  /** Index into the data's processes or lanes. */
  readonly index: number
  readonly y: number
  readonly height: number
}

/** The records a click linked: every record whose `key` field has the clicked record's value. */
export interface Selection {
  readonly key: string
  readonly value: unknown
  /** Record indices, in time order. */
  readonly records: readonly number[]
  /** The record that was clicked. */
  readonly anchor: number
}

/** Everything the page draws from, in one place. */
export interface ViewState {
  readonly model: ViewModel
  readonly canvas: HTMLCanvasElement
  readonly context: CanvasRenderingContext2D
  /** The visible time range, epoch milliseconds. */
  from: number
  to: number
  width: number
  height: number
  filter: FilterResult
  rows: Row[]
  /** The vertical center of each lane on the canvas; NaN while the filter hides it. */
  laneCenter: Float64Array
  selection: Selection | undefined
  /** The record under the pointer, or -1. */
  hover: number
  drawPending: boolean
  /** Milliseconds from navigation start to the end of the first drawing. */
  firstPaintMs: number | undefined
}

/** The x of a time on the canvas. */
export function timeToX (state: ViewState, time: number): number {
  return GEOMETRY.gutter + (time - state.from) / (state.to - state.from) * (state.width - GEOMETRY.gutter)
}

/** The time at an x of the canvas. */
export function xToTime (state: ViewState, x: number): number {
  return state.from + (x - GEOMETRY.gutter) / (state.width - GEOMETRY.gutter) * (state.to - state.from)
}

/** Lays out the rows the filter shows: each process with a shown lane, then its shown lanes. */
export function layOutRows (state: ViewState): void {
  const { lanes } = state.model.data
  const shown = lanes.filter((_, index) => state.filter.laneShown[index] === 1)
  const processCount = new Set(shown.map((lane) => lane.process)).size
  const natural = processCount * GEOMETRY.processRow + shown.length * GEOMETRY.laneRow
  const scale = Math.min(1, (MAX_CANVAS_HEIGHT - GEOMETRY.histogram - GEOMETRY.axis) / Math.max(1, natural))
  const [processRow, laneRow] = [GEOMETRY.processRow * scale, GEOMETRY.laneRow * scale]
  const rows: Row[] = []
  state.laneCenter.fill(Number.NaN)
  let y = GEOMETRY.histogram + GEOMETRY.axis
  let process = -1
  lanes.forEach((lane, index) => {
    if (state.filter.laneShown[index] !== 1) return
    if (lane.process !== process) {
      process = lane.process
      rows.push({ kind: 'process', index: process, y, height: processRow })
      y += processRow
    }
    rows.push({ kind: 'lane', index, y, height: laneRow })
    state.laneCenter[index] = y + laneRow / 2
    y += laneRow
  })
  state.rows = rows
  state.height = y + 8
}

/** Sizes the canvas to the window's width and the rows' height, sharp on high-density screens. */
export function sizeCanvas (state: ViewState): void {
  const ratio = window.devicePixelRatio || 1
  state.width = Math.max(GEOMETRY.gutter + 100, document.documentElement.clientWidth)
  state.canvas.width = Math.round(state.width * ratio)
  state.canvas.height = Math.round(state.height * ratio)
  state.canvas.style.width = `${state.width}px`
  state.canvas.style.height = `${state.height}px`
  state.context.setTransform(ratio, 0, 0, ratio, 0, 0)
}
