/// <reference lib="dom" />
// Runs in the page: every function exported from src/view/page/ is inlined into the HTML by
// src/view/page-script.ts, by its source text. So these functions call each other and the page's
// globals only, and take no closures over anything of the module besides its exported constants;
// every function of these modules is exported, since one that is not would be missing from the page.
import { LEVEL_VALUES } from '../../levels.ts'
import type { ViewData } from '../view-data.ts'

/** Level numbers by label, from the one table of src/levels.ts. */
export const PAGE_LEVELS: Readonly<Record<string, number>> = LEVEL_VALUES

/** Colors of the level classes: trace, debug, info, warn, error, fatal. */
export const LEVEL_COLORS: readonly string[] = ['#9aa0a6', '#3fa7d6', '#2e9e44', '#e6a700', '#d93025', '#a50e6e']

/** The records of the page, decoded into typed columns once. */
export interface ViewModel {
  readonly data: ViewData
  /** Epoch milliseconds, ascending. */
  readonly time: Float64Array
  readonly level: Float64Array
  /** Index of the level's class in LEVEL_COLORS. */
  readonly levelClass: Uint8Array
  readonly lane: Uint32Array
  readonly msg: Uint32Array
  readonly field: Uint32Array
  /** The whole log's time range: first record or lifetime start to last. */
  readonly start: number
  readonly end: number
}

/** The class of a level: 0 trace … 5 fatal; custom levels fall in the class below them. */
export function levelClassOf (level: number): number {
  if (level <= 10) return 0
  if (level <= 20) return 1
  if (level <= 30) return 2
  if (level <= 40) return 3
  return level <= 50 ? 4 : 5
}

/** The label of a level number, or the number itself for a custom level. */
export function levelLabelOf (level: number): string {
  for (const [label, value] of Object.entries(PAGE_LEVELS)) if (value === level) return label
  return String(level)
}

/** Reads the data block: typed columns, times summed back from their deltas. */
export function decodeViewModel (data: ViewData): ViewModel {
  const count = data.dt.length
  const time = new Float64Array(count)
  const levelClass = new Uint8Array(count)
  let t = data.t0
  for (let i = 0; i < count; i++) {
    t += data.dt[i] as number
    time[i] = t
    levelClass[i] = levelClassOf(data.level[i] as number)
  }
  let start = count > 0 ? time[0] as number : Date.now()
  let end = count > 0 ? time[count - 1] as number : start + 1
  for (const life of [...data.lanes, ...data.processes]) {
    start = Math.min(start, life.start)
    end = Math.max(end, life.end)
  }
  if (end <= start) end = start + 1
  return {
    data, time, levelClass, start, end,
    level: Float64Array.from(data.level),
    lane: Uint32Array.from(data.lane),
    msg: Uint32Array.from(data.msg),
    field: Uint32Array.from(data.field)
  }
}

/** The first record index at or after `t` (binary search over the ascending times). */
export function firstIndexAt (time: Float64Array, t: number): number {
  let low = 0
  let high = time.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((time[middle] as number) < t) low = middle + 1
    else high = middle
  }
  return low
}

/** A time as ISO 8601 UTC; one Date cannot hold (beyond ±8.64e15 ms) as its number of milliseconds. */
export function isoTime (time: number): string {
  return Number.isNaN(new Date(time).getTime()) ? `${time} ms` : new Date(time).toISOString()
}

/** A record's text as hover and the detail panel show it: time, level, source, message, fields. */
export function describeRecord (model: ViewModel, index: number): string {
  const { data } = model
  const lane = data.lanes[model.lane[index] as number]
  const process = lane === undefined ? undefined : data.processes[lane.process]
  const time = isoTime(model.time[index] as number)
  const head = `${time}  ${levelLabelOf(model.level[index] as number).toUpperCase()}  ` +
    `p[${process?.proc ?? '?'}:${process?.pid ?? '?'}] t[${lane?.thread ?? '?'}:${lane?.tid ?? '?'}]`
  const fields = data.fields[model.field[index] as number] ?? {}
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
  return [head, data.messages[model.msg[index] as number] ?? '', ...lines].join('\n')
}
