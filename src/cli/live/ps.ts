// `threadlog ps`: the running threadlog process trees of this user.
import type { TreeStatus } from '../../live/tree-status.ts'
import { parseWith } from '../args.ts'
import { EXIT_MATCHED } from '../exit-codes.ts'
import { UsageError } from '../usage-error.ts'
import { askStatus, liveEntries, userRegistry } from './trees.ts'

export const PS_HELP = `Usage: threadlog ps [--json]

Lists the running threadlog process trees of this user, one line per root process:
its pid and name, uptime, processes and threads in the tree, records written per
second over the last 5 s, records dropped and lost so far, the filter in force and
the socket that threadlog attach connects to.

Root processes register in $XDG_RUNTIME_DIR/threadlog when that is set, else in
threadlog-<uid> under the OS temp directory (a 0700 directory of this user). An
entry whose process is gone is removed. A service started with registry: false or
THREADLOG_REGISTRY=0 is not listed.

  --json       one JSON array of the trees, for scripts
  -h, --help   print this help and exit
`

/** 45s, 12m05s, 3h02m, 2d04h: two units at most, as a glance needs. */
export function formatUptime (ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const [d, h, m, s] = [Math.floor(seconds / 86400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60]
  const two = (value: number) => String(value).padStart(2, '0')
  if (d > 0) return `${d}d${two(h)}h`
  if (h > 0) return `${h}h${two(m)}m`
  if (m > 0) return `${m}m${two(s)}s`
  return `${s}s`
}

const COLUMNS: ReadonlyArray<readonly [string, (tree: TreeStatus) => string]> = [
  ['PID', (tree) => String(tree.pid)],
  ['PROC', (tree) => tree.proc],
  ['UPTIME', (tree) => formatUptime(tree.uptimeMs)],
  ['PROCS', (tree) => String(tree.processes)],
  ['THREADS', (tree) => String(tree.threads)],
  ['REC/S', (tree) => String(tree.recordsPerSecond)],
  ['DROPPED', (tree) => String(tree.dropped)],
  ['LOST', (tree) => String(tree.lost)],
  ['FILTER', (tree) => tree.filter === '' ? '-' : tree.filter],
  ['SOCKET', (tree) => tree.socket]
]

/** The trees as a table, columns padded to their widest cell; the last one unpadded. */
export function formatTable (trees: readonly TreeStatus[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...trees.map((tree) => COLUMNS.map(([, cell]) => cell(tree)))]
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)))
  return rows.map((row) => row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column] as number)).join('  ')).join('\n') + '\n'
}

/** Runs `threadlog ps`; a tree whose hub does not answer in time is named on stderr and left out. */
export async function runPs (args: string[]): Promise<number> {
  const { values, positionals } = parseWith(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  if (values.help === true) {
    process.stdout.write(PS_HELP)
    return EXIT_MATCHED
  }
  if (positionals.length > 0) throw new UsageError(`ps takes no arguments, got '${positionals.join(' ')}'`)
  const json = values.json === true
  const dir = userRegistry()
  const entries = dir === undefined ? [] : liveEntries(dir)
  const answers = await Promise.allSettled(entries.map(async (entry) => await askStatus(dir as string, entry)))
  const trees: TreeStatus[] = []
  for (const answer of answers) {
    if (answer.status === 'fulfilled') {
      if (answer.value !== undefined) trees.push(answer.value)
    } else {
      process.stderr.write(`threadlog: ${(answer.reason as Error).message}\n`)
    }
  }
  process.stdout.write(json ? JSON.stringify(trees) + '\n' : formatTable(trees))
  return EXIT_MATCHED
}
