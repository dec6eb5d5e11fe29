// pino tells a transport thread its levels, messageKey and errorKey: thread-stream's worker gets
// `workerData.workerData.pinoWillSendConfig`, and pino posts `{ code: 'PINO_CONFIG', config }` on the
// worker's port. pino-abstract-transport waits for that message when a transport asks for it
// (`expectPinoConfig`, as pino-opentelemetry-transport does, which maps levels to severities with
// it) and fails the transport when pino will not send it. The hub plays pino's part, in its own thread.
import pino from 'pino'
import { parentPort } from 'node:worker_threads'
import type { HubRecordSettings } from './hub-records.ts'

/** What pino sends a transport: `levels` as pino's `logger.levels` (`labels` by number, `values` by label). */
export interface PinoTransportConfig {
  readonly levels: { readonly labels: Readonly<Record<number, string>>, readonly values: Readonly<Record<string, number>> }
  readonly messageKey: string
  readonly errorKey: string
}

/** The hub's workerData must carry this for pino-abstract-transport to wait for the config. */
export const PINO_WILL_SEND_CONFIG = { pinoWillSendConfig: true } as const

/** pino's config for transports, from the settings of the logger that configured the process. */
export function pinoTransportConfig (settings: HubRecordSettings): PinoTransportConfig {
  const values = { ...pino.levels.values, ...settings.customLevels }
  const labels = Object.fromEntries(Object.entries(values).map(([label, value]) => [value, label]))
  return { levels: { labels, values }, messageKey: settings.messageKey, errorKey: settings.errorKey ?? 'err' }
}

/**
 * Hands the config to the transports being opened, as pino would: pino-abstract-transport listens on
 * the thread's port, and an event emitted on the port reaches its listeners without leaving the
 * thread. A transport that listens only later (after an await of its own) would miss it: call this
 * right after its factory has been called.
 */
export function announcePinoConfig (config: PinoTransportConfig): void {
  parentPort?.emit('message', { code: 'PINO_CONFIG', config })
}
