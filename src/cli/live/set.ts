// `threadlog set`: a running tree's filter, changed for good, without watching.
import { parseDirectives } from '../../filter/directives.ts'
import { ATTACH_PROTOCOL_VERSION, FrameType, parseControl, type AttachRequest } from '../../tree/frames.ts'
import { parseWith } from '../args.ts'
import { EXIT_MATCHED } from '../exit-codes.ts'
import { UsageError } from '../usage-error.ts'
import { HubConnection } from './hub-connection.ts'
import { findTree } from './trees.ts'
import { rethrowAs } from '../../library-error.ts'

export const SET_HELP = `Usage: threadlog set <pid|proc> <directives>

Sets the filter of a running process tree (see threadlog ps) in every process and
thread of it, as setFilter() would in the service, and keeps it there. The grammar
is THREADLOG's: threadlog set api 'info,thread:resize-*=debug'. '' puts back what
the service started with. To raise a level only while watching, use
threadlog attach --set instead.

Prints the filter in force. Exit status: 0 set; 2 a usage error, or the tree could
not be found, reached or trusted, or refused the directives.
`

/** The directives as the hub will read them: a mistake is the command line's, said before connecting. */
export function checkDirectives (text: string, source: string): void {
  rethrowAs(() => parseDirectives(text, source), TypeError, (message) => new UsageError(message))
}

/** Runs `threadlog set`. */
export async function runSet (args: string[]): Promise<number> {
  const { values, positionals } = parseWith(args, { help: { type: 'boolean', short: 'h' } })
  if (values.help === true) {
    process.stdout.write(SET_HELP)
    return EXIT_MATCHED
  }
  if (positionals.length !== 2) throw new UsageError(`set needs a process tree (a pid or a process name) and directives, got ${positionals.length} arguments`)
  const [tree, text] = positionals as [string, string]
  checkDirectives(text, "set's directives")
  const { entry } = findTree(tree)
  const connection = await HubConnection.open(entry.socket)
  try {
    const request: AttachRequest = { v: ATTACH_PROTOCOL_VERSION, stream: false, set: text, keep: true }
    connection.send(FrameType.ATTACH, JSON.stringify(request))
    const frame = await connection.answer(`process ${entry.pid}`)
    const { filter } = parseControl<{ filter: string }>(frame.payload, (value) => typeof value.filter === 'string', 'ATTACHED')
    process.stdout.write(`${entry.proc} (pid ${entry.pid}): ${filter === '' ? "'' (the service's own filter)" : filter}\n`)
    return EXIT_MATCHED
  } finally {
    connection.close()
  }
}
