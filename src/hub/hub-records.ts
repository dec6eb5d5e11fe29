import pino from 'pino'
import { threadId } from 'node:worker_threads'
import { createHubThreshold } from '../filter/hub-threshold.ts'
import type { HubWorkerData } from './protocol.ts'
import type { DeferredRecord } from './time-merge.ts'

/** The hub's own thread name, as its records carry it. */
export const HUB_THREAD_NAME = 'threadlog-hub'

/** Threads and processes starting and ending: useful when debugging, noise in production. */
export const LIFECYCLE_LEVEL = 20
/** Records dropped or lost, a thread or process that ended badly. */
export const WARNING_LEVEL = 40

/** What the hub's own records follow of the logger that configured the process (its first main-thread logger). */
export interface HubRecordSettings {
  /** The logger's level, as a number: the hub writes none of its records below it. */
  readonly level: number
  /** The logger's `messageKey`. */
  readonly messageKey: string
  /** The logger's `filter` option, which applies to the hub's records too (see createHubThreshold). */
  readonly filter?: string | undefined
}

export const DEFAULT_HUB_RECORD_SETTINGS: HubRecordSettings = { level: 30, messageKey: 'msg' }

/**
 * The settings of a logger's options, as pino resolves them: `level` is a label of pino's or of
 * `customLevels` (`silent`: none). Functions (formatters, timestamp) cannot reach the hub's thread.
 */
export function resolveHubRecordSettings (options: { level?: string, customLevels?: Record<string, number>, messageKey?: string },
  filter?: string): HubRecordSettings {
  const label = options.level ?? 'info'
  const level = label === 'silent' ? Number.POSITIVE_INFINITY : options.customLevels?.[label] ?? pino.levels.values[label] ?? 30
  return { level, messageKey: options.messageKey ?? 'msg', filter }
}

/** Builds the hub's own records, each placed in the stream by its time and given its `seq` there. */
export interface HubRecorder {
  /** A record at `level`, stamped `time` (default: now); undefined when the settings' level hides it. */
  readonly record: (level: number, msg: string, fields: Readonly<Record<string, string | number | boolean>>, time?: number) => DeferredRecord | undefined
  /** Follows the settings of the logger that configured the process from now on. */
  readonly configure: (settings: HubRecordSettings) => void
}

/**
 * The hub's own records (lifecycle, drops and losses) have the same schema as every other record,
 * so that they sort, filter and render like the rest.
 */
export function createHubRecorder (identity: HubWorkerData['identity'], initial: HubRecordSettings): HubRecorder {
  const prefix = `,"pid":${identity.pid},"ppid":${identity.ppid},"hostname":${JSON.stringify(identity.hostname)}` +
    `,"proc":${JSON.stringify(identity.proc)},"tid":${threadId},"thread":"${HUB_THREAD_NAME}"` +
    (identity.worker === undefined ? '' : `,"worker":${identity.worker}`)
  let settings = initial
  let seq = 0
  const thresholdOf = createHubThreshold({ tid: threadId, thread: HUB_THREAD_NAME, pid: identity.pid, proc: identity.proc })
  return {
    record: (level, msg, fields, time = Date.now()) => {
      if (level < thresholdOf(settings.level, settings.filter)) return undefined
      const { messageKey } = settings
      return {
        time,
        build: () => {
          let json = `{"level":${level},"time":${time}${prefix},"seq":${++seq}`
          for (const [key, value] of Object.entries(fields)) json += `,"${key}":${JSON.stringify(value)}`
          return json + `,${JSON.stringify(messageKey)}:${JSON.stringify(msg)}}\n`
        }
      }
    },
    configure: (next) => { settings = next }
  }
}
