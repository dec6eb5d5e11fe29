import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { minimalEnv, runProcess, type ProcessResult } from './run-process.ts'
import type { ViewData } from '../../src/view/view-data.ts'

const BIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts')

/**
 * Runs the real bin's `view` subcommand in a child process, with color off as the environment says
 * (the page has no color policy, but a CLI test always says what it means).
 */
export async function runViewCli (args: string[], { input = '', env = {} }: { input?: string, env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  const childEnv = minimalEnv({ TZ: 'UTC', NO_COLOR: '1', ...env })
  delete childEnv.FORCE_COLOR
  return await runProcess(process.execPath, [BIN, 'view', ...args], { env: childEnv, input })
}

const DATA_BLOCK = /<script type="application\/json" id="threadlog-data">([^<]*)<\/script>/

/** The data block of a view page, parsed: what the page draws. */
export function readViewData (html: string): ViewData {
  const match = DATA_BLOCK.exec(html)
  if (match === null) throw new Error('the page has no data block')
  return JSON.parse(match[1] as string) as ViewData
}

/** The data block of a view page file. */
export function readViewFile (path: string): ViewData {
  return readViewData(readFileSync(path, 'utf8'))
}

/** Each lane as `proc:pid/thread:tid`, in the page's order. */
export function laneLabels (data: ViewData): string[] {
  return data.lanes.map((lane) => {
    const process = data.processes[lane.process]
    return `${process?.proc}:${process?.pid}/${lane.thread}:${lane.tid}`
  })
}
