/// <reference lib="dom" />
import type { ViewData } from '../view-data.ts'
import { drawView } from './draw.ts'
import { applyFilter, parseFilterQuery } from './filter.ts'
import { listenToInput, setFilter, setVisibleRange } from './input.ts'
import { decodeViewModel } from './model.ts'
import { selectRecord } from './select.ts'
import { layOutRows, sizeCanvas, timeToX, type ViewState } from './state.ts'

/**
 * What the page exposes as `window.threadlogView`, for tests and for the curious: the state the
 * canvas shows, and the same actions the mouse and the filter box take.
 */
export function exposeView (state: ViewState): Record<string, unknown> {
  const laneLabel = (lane: number) => {
    const info = state.model.data.lanes[lane]
    const process = info === undefined ? undefined : state.model.data.processes[info.process]
    return `${process?.proc}:${process?.pid}/${info?.thread}:${info?.tid}`
  }
  return {
    visibleRange: () => ({ from: state.from, to: state.to }),
    setVisibleRange: (from: number, to: number) => setVisibleRange(state, from, to),
    lanes: () => state.rows.filter((row) => row.kind === 'lane').map((row) => laneLabel(row.index)),
    processes: () => state.rows.filter((row) => row.kind === 'process').map((row) => state.model.data.processes[row.index]),
    recordCount: () => state.model.time.length,
    firstPaintMs: () => state.firstPaintMs,
    /** Draws the whole canvas now and returns how long it took, in milliseconds. */
    measureDraw: () => {
      const started = performance.now()
      drawView(state)
      return performance.now() - started
    },
    setFilter: (text: string) => setFilter(state, text),
    select: (index: number, key?: string) => { selectRecord(state, index, key); drawView(state) },
    selection: () => state.selection === undefined
      ? undefined
      : { key: state.selection.key, value: state.selection.value, records: [...state.selection.records], lanes: [...new Set(state.selection.records.map((i) => laneLabel(state.model.lane[i] as number)))] },
    hovered: () => state.hover,
    /** Indices of the records whose field `key` is `value`. */
    recordsWhere: (key: string, value: unknown) => {
      const found: number[] = []
      for (let i = 0; i < state.model.time.length; i++) {
        const fields = state.model.data.fields[state.model.field[i] as number]
        if (fields !== undefined && fields[key] === value) found.push(i)
      }
      return found
    },
    /** Where a record's mark is, in the page's CSS pixels (for a test's mouse). */
    pointOf: (index: number) => {
      const box = state.canvas.getBoundingClientRect()
      return { x: box.left + timeToX(state, state.model.time[index] as number), y: box.top + (state.laneCenter[state.model.lane[index] as number] as number) }
    },
    laneOf: (index: number) => laneLabel(state.model.lane[index] as number)
  }
}

/** Reads the data block, draws the first frame synchronously and starts listening. */
export function startView (): void {
  const block = document.getElementById('threadlog-data')
  const canvas = document.getElementById('view') as HTMLCanvasElement | null
  const context = canvas?.getContext('2d')
  if (block === null || canvas === null || context === null || context === undefined) throw new Error('threadlog view: the page is incomplete')
  const model = decodeViewModel(JSON.parse(block.textContent ?? '{}') as ViewData)
  const margin = (model.end - model.start) * 0.02
  const state: ViewState = {
    model, canvas, context, from: model.start - margin, to: model.end + margin, width: 0, height: 0,
    filter: applyFilter(model, parseFilterQuery('')), rows: [], laneCenter: new Float64Array(model.data.lanes.length),
    selection: undefined, hover: -1, drawPending: false, firstPaintMs: undefined
  }
  layOutRows(state)
  sizeCanvas(state)
  drawView(state)
  listenToInput(state)
  Object.assign(window, { threadlogView: exposeView(state) })
}
