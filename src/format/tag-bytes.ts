import type { ColorLevel } from './colors.ts'
import { formatTag } from './columns.ts'
import { LITERAL, readIntegerToken, type FlatValues } from './flat-json.ts'

/** A source's tag as drawn (`undefined`: the record shows none), and the names it was made from. */
interface DrawnTag {
  readonly tid: number
  readonly proc: string | undefined
  readonly worker: string | undefined
  readonly thread: string | undefined
  readonly bytes: Buffer | undefined
}

/** The fields of a line that make its source tag: field indexes, -1 when the record lacks one. */
export interface TagFields {
  readonly pid: number
  readonly tid: number
  readonly proc: number
  readonly worker: number
  readonly thread: number
}

/** Tags kept; past this (a log of many short-lived sources), they are forgotten and drawn again. */
const LIMIT = 4096

function sameText (source: Buffer, start: number, end: number, expected: string | undefined): boolean {
  if (expected === undefined || expected.length !== end - start) return false
  for (let index = 0; index < expected.length; index++) {
    if (source[start + index] !== expected.charCodeAt(index)) return false
  }
  return true
}

/**
 * The `p[proc#worker:pid] t[thread:tid]` tags of flat record lines, drawn by formatTag once per
 * source and kept as bytes, by pid, then tid and names: a log has few sources and many records each.
 */
export class TagBytes {
  readonly #colorLevel: ColorLevel
  readonly #byPid = new Map<number, DrawnTag[]>()
  #count = 0

  constructor (colorLevel: ColorLevel) {
    this.#colorLevel = colorLevel
  }

  /** The tag of a line's fields; `false` when its pid or tid is not an integer (the parse decides then). */
  of (source: Buffer, values: FlatValues, pid: number, tid: number, proc: number, worker: number, thread: number): Buffer | undefined | false {
    const pidValue = this.#idAt(source, values, pid)
    const tidValue = this.#idAt(source, values, tid)
    if ((pid !== -1 && Number.isNaN(pidValue)) || (tid !== -1 && Number.isNaN(tidValue))) return false
    const drawn = this.#byPid.get(pidValue)
    if (drawn !== undefined) {
      for (const tag of drawn) {
        if (Object.is(tag.tid, tidValue) && this.#sameName(source, values, proc, tag.proc) &&
          this.#sameName(source, values, worker, tag.worker) && this.#sameName(source, values, thread, tag.thread)) return tag.bytes
      }
    }
    const tag = this.#draw(source, values, { pid, tid, proc, worker, thread }, pidValue, tidValue)
    if (++this.#count > LIMIT) {
      this.#byPid.clear()
      this.#count = 1
    }
    const list = this.#byPid.get(pidValue)
    if (list === undefined) this.#byPid.set(pidValue, [tag])
    else list.push(tag)
    return tag.bytes
  }

  #draw (source: Buffer, values: FlatValues, fields: TagFields, pid: number, tid: number): DrawnTag {
    // The record formatTag would see once the line is parsed, from the fields it reads.
    const record: Record<string, unknown> = {}
    if (fields.pid !== -1) record['pid'] = pid
    if (fields.tid !== -1) record['tid'] = tid
    const names = { proc: this.#nameAt(source, values, fields.proc), worker: this.#nameAt(source, values, fields.worker), thread: this.#nameAt(source, values, fields.thread) }
    for (const key of ['proc', 'worker', 'thread'] as const) {
      const name = names[key]
      if (name !== undefined) record[key] = values.kinds[fields[key]] === LITERAL ? JSON.parse(name) : name
    }
    const text = formatTag(record, this.#colorLevel)
    return { tid, ...names, bytes: text === undefined ? undefined : Buffer.from(text) }
  }

  #idAt (source: Buffer, values: FlatValues, field: number): number {
    if (field === -1 || values.kinds[field] !== LITERAL) return Number.NaN
    return readIntegerToken(source, values.starts[field] as number, values.ends[field] as number)
  }

  // A name prints as the tag prints it: a string and a literal with the same text print alike.
  #nameAt (source: Buffer, values: FlatValues, field: number): string | undefined {
    return field === -1 ? undefined : source.toString('latin1', values.starts[field], values.ends[field])
  }

  #sameName (source: Buffer, values: FlatValues, field: number, name: string | undefined): boolean {
    if (field === -1) return name === undefined
    return sameText(source, values.starts[field] as number, values.ends[field] as number, name)
  }
}
