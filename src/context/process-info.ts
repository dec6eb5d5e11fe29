import { createRequire } from 'node:module'
import { hostname } from 'node:os'
import { basename, extname } from 'node:path'
import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads'

// Worker threads spawned after these are set inherit them, so every thread of a process agrees
// on its name and cluster id without any set-up in the worker's code.
const PROCESS_NAME_KEY = 'threadlog:process-name'
const CLUSTER_WORKER_KEY = 'threadlog:cluster-worker'

/** The process-wide part of a record's identity. */
export interface ProcessInfo {
  readonly pid: number
  readonly ppid: number
  readonly hostname: string
  readonly proc: string
  /** `cluster.worker.id` in a cluster worker (and its threads), otherwise absent. */
  readonly worker?: number
}

function defaultProcessName (): string {
  const inherited = getEnvironmentData(PROCESS_NAME_KEY)
  if (typeof inherited === 'string') return inherited
  // process.title defaults to argv0 ("node"), which tells processes apart poorly: the script is better.
  const script = process.argv[1]
  const name = script === undefined ? '' : basename(script, extname(script))
  if (name !== '') return name
  return process.title !== '' ? process.title : 'node'
}

function clusterWorkerId (): number | undefined {
  if (isMainThread) {
    // A cluster worker always has an IPC channel to its primary; node:cluster (with child_process
    // and net, ≈ 3 MiB) is loaded only then.
    if (process.channel === undefined) return undefined
    const cluster = createRequire(import.meta.url)('node:cluster') as typeof import('node:cluster').default
    const id = cluster.worker?.id
    if (id !== undefined) setEnvironmentData(CLUSTER_WORKER_KEY, id)
    return id
  }
  const inherited = getEnvironmentData(CLUSTER_WORKER_KEY)
  return typeof inherited === 'number' ? inherited : undefined
}

/**
 * Resolves the process identity. A name given explicitly is also handed to the worker threads
 * spawned from now on, so that every thread of the process reports the same `proc`.
 */
export function resolveProcessInfo (name: string | undefined): ProcessInfo {
  if (name !== undefined) setEnvironmentData(PROCESS_NAME_KEY, name)
  const info = { pid: process.pid, ppid: process.ppid, hostname: hostname(), proc: name ?? defaultProcessName() }
  const worker = clusterWorkerId()
  return worker === undefined ? info : { ...info, worker }
}
