import { threadId } from 'node:worker_threads'
import type { HubWorkerData } from './protocol.ts'

/** The hub's own thread name, as its records carry it. */
export const HUB_THREAD_NAME = 'threadlog-hub'

/** Builds one of the hub's own records: a whole NDJSON line. */
export type HubRecorder = (level: number, msg: string, fields: Readonly<Record<string, string | number>>) => string

/**
 * Builds the hub's own records (thread lifecycle, drops) with the same schema as every other
 * record, so that they sort, filter and render like the rest.
 */
export function createHubRecorder (identity: HubWorkerData['identity']): HubRecorder {
  const prefix = `,"pid":${identity.pid},"ppid":${identity.ppid},"hostname":${JSON.stringify(identity.hostname)}` +
    `,"proc":${JSON.stringify(identity.proc)},"tid":${threadId},"thread":"${HUB_THREAD_NAME}"` +
    (identity.worker === undefined ? '' : `,"worker":${identity.worker}`)
  let seq = 0
  return (level, msg, fields) => {
    let json = `{"level":${level},"time":${Date.now()}${prefix},"seq":${++seq}`
    for (const [key, value] of Object.entries(fields)) json += `,"${key}":${JSON.stringify(value)}`
    return json + `,"msg":${JSON.stringify(msg)}}\n`
  }
}
