/// <reference lib="dom" />
import type { Lifetime } from '../lanes.ts'
import { isoTime } from './model.ts'
import { GEOMETRY, timeToX, type Row, type ViewState } from './state.ts'

/** Tick spacings the axis chooses from, in milliseconds. */
export const TICK_STEPS: readonly number[] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500,
  1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000]

/** Rows shrunk below this height (thousands of threads) get no label: it would not fit. */
export const MIN_LABEL_ROW = 11

/** A tick's label: the UTC clock time, to the precision the step needs. */
export function formatTick (time: number, step: number): string {
  const iso = isoTime(time) // 2026-12-07T03:04:05.678Z
  const clock = step >= 1000 ? iso.slice(11, 19) : iso.slice(11, 23)
  if (step >= 1) return clock
  return clock + (time % 1).toFixed(3).slice(2, 2 + Math.ceil(-Math.log10(step)))
}

/** The time axis under the histogram, with a light grid line down through the lanes per tick. */
export function drawAxis (state: ViewState): void {
  const { context } = state
  const span = state.to - state.from
  const plot = state.width - GEOMETRY.gutter
  const step = TICK_STEPS.find((candidate) => candidate / span * plot >= 110) ?? (TICK_STEPS[TICK_STEPS.length - 1] as number)
  const top = GEOMETRY.histogram
  context.font = '11px ui-monospace, monospace'
  for (let tick = Math.ceil(state.from / step) * step; tick <= state.to; tick += step) {
    const x = timeToX(state, tick)
    context.fillStyle = '#e8eaed'
    context.fillRect(x, top + GEOMETRY.axis - 4, 1, state.height - top - GEOMETRY.axis)
    context.fillStyle = '#5f6368'
    context.fillRect(x, top + GEOMETRY.axis - 8, 1, 6)
    context.fillText(formatTick(tick, step), x + 3, top + 12)
  }
  context.fillStyle = '#dadce0'
  context.fillRect(0, top + GEOMETRY.axis - 2, state.width, 1)
}

/** A lifetime as a bar; a known start or end gets a cap; an end only guessed from the first or last record has none. */
export function drawLifetime (state: ViewState, life: Lifetime, y: number, height: number, color: string): void {
  const { context } = state
  const start = Math.max(GEOMETRY.gutter, timeToX(state, life.start))
  const end = Math.min(state.width, Math.max(start + 1, timeToX(state, life.end)))
  if (end < GEOMETRY.gutter || start > state.width) return
  context.fillStyle = color
  context.fillRect(start, y, end - start, height)
  context.fillStyle = '#5f6368'
  if (life.startKnown && timeToX(state, life.start) >= GEOMETRY.gutter) context.fillRect(start, y - 2, 2, height + 4)
  if (life.endKnown && timeToX(state, life.end) <= state.width) context.fillRect(end - 2, y - 2, 2, height + 4)
}

/** A process's header row: its name, pid and how it ended, indented by depth, and its lifetime. */
export function drawProcessRow (state: ViewState, row: Row): void {
  const process = state.model.data.processes[row.index]
  if (process === undefined) return
  const { context } = state
  const indent = 6 + process.depth * 14
  context.fillStyle = '#f1f3f4'
  context.fillRect(0, row.y, state.width, row.height)
  context.fillStyle = '#202124'
  context.font = 'bold 12px system-ui, sans-serif'
  const exit = process.exit === undefined ? '' : ` (${process.exit})`
  if (row.height >= MIN_LABEL_ROW) context.fillText(`${process.proc}:${process.pid}${exit}`, indent, row.y + row.height * 0.7, GEOMETRY.gutter - indent - 4)
  drawLifetime(state, process, row.y + row.height * 0.35, row.height * 0.3, '#9fa8da')
}

/** A thread's lane: its name and tid, and its lifetime as a light bar behind the marks. */
export function drawLaneRow (state: ViewState, row: Row): void {
  const lane = state.model.data.lanes[row.index]
  const process = lane === undefined ? undefined : state.model.data.processes[lane.process]
  if (lane === undefined || process === undefined) return
  const { context } = state
  const indent = 20 + process.depth * 14
  context.fillStyle = '#3c4043'
  context.font = '12px system-ui, sans-serif'
  // A thread's clean exit goes without saying; any other end is worth reading in its label.
  const exit = lane.exit === undefined || lane.exit === 'exit code 0' ? '' : ` (${lane.exit})`
  if (row.height >= MIN_LABEL_ROW) context.fillText(`${lane.thread}:${lane.tid}${exit}`, indent, row.y + row.height * 0.67, GEOMETRY.gutter - indent - 4)
  drawLifetime(state, lane, row.y + row.height * 0.125, row.height * 0.75, '#eef1f8')
}

/** Labels and lifetime bars of every row. */
export function drawRows (state: ViewState): void {
  for (const row of state.rows) {
    if (row.kind === 'process') drawProcessRow(state, row)
    else drawLaneRow(state, row)
  }
}
