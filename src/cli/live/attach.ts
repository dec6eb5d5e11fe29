// `threadlog attach`: a running tree's records, live, through the CLI's selection and output.
import { ATTACH_PROTOCOL_VERSION, FrameType, parseControl, type AttachRequest } from '../../tree/frames.ts'
import { parseAttachLine, type AttachLine } from '../args.ts'
import { EXIT_MATCHED } from '../exit-codes.ts'
import { createPipeline } from '../run-filter.ts'
import { HubConnection } from './hub-connection.ts'
import { checkDirectives } from './set.ts'
import { findTree } from './trees.ts'

export const ATTACH_HELP = `Usage: threadlog attach <pid|proc> [options]

Streams the live records of a running process tree (see threadlog ps), from every
process and thread in it, through the same selection and output as threadlog's
file reading. Ctrl-C detaches; the service runs on untouched.

  <pid|proc>           the root process's pid, or its name (a glob)

Raising a level while attached:
  --set <directives>   the tree's filter for as long as this attach lasts, in the
                       THREADLOG grammar: --set 'thread:resize-*=debug'. Detaching,
                       or this process being killed, puts the previous one back
  --keep               leave the --set filter in force after detaching
  --to-targets         the records only --set raises also go to the service's own
                       targets (default: to this client only)

Selecting and output, as in threadlog --help:
  --level  --thread  --pid  --proc  --where  --since  --until  --grep  --filter
  -o, --output pretty|ndjson   -A/-B/-C   --color/--no-color   --color-line
  --format   --multiline

A client that reads too slowly never slows the service: the hub keeps 4 MiB for it
and says how many records it missed ("missed N records", on stderr).

Examples:
  threadlog attach api --thread 'resize-*'
  threadlog attach 4242 --set 'thread:resize-*=debug' --thread 'resize-*'
  threadlog attach api -o ndjson --level warn | jq .msg

Exit status: 0 detached, or the tree ended; 2 a usage error, or the tree could not
be found, reached or trusted, or refused the request.
`

function requestOf (line: AttachLine): AttachRequest {
  return {
    v: ATTACH_PROTOCOL_VERSION,
    stream: true,
    ...(line.set === undefined ? {} : { set: line.set, keep: line.keep, toTargets: line.toTargets }),
    ...(line.select === undefined ? {} : { select: line.select })
  }
}

const isAttached = (value: Record<string, unknown>): boolean => value.filter === null || typeof value.filter === 'string'

/** Runs `threadlog attach`; resolves when the CLI detaches or the tree ends. */
export async function runAttach (args: string[]): Promise<number> {
  const line = parseAttachLine(args)
  if (line.help) {
    process.stdout.write(ATTACH_HELP)
    return EXIT_MATCHED
  }
  if (line.set !== undefined) checkDirectives(line.set, "option '--set'")
  const { entry } = findTree(line.tree)
  const pipeline = await createPipeline(line, process.stdout)
  const connection = await HubConnection.open(entry.socket)
  connection.send(FrameType.ATTACH, JSON.stringify(requestOf(line)))
  const { filter } = parseControl<{ filter: string | null }>((await connection.answer(`process ${entry.pid}`)).payload, isAttached, 'ATTACHED')
  const name = `${entry.proc} (pid ${entry.pid})`
  process.stderr.write(filter === null
    ? `threadlog: attached to ${name}; Ctrl-C detaches\n`
    : `threadlog: attached to ${name} with filter '${filter}'${line.keep ? ', kept after detaching' : ''}; Ctrl-C detaches\n`)
  let detached = false
  let ended = false
  const detach = () => {
    detached = true
    connection.socket.end()
  }
  process.once('SIGINT', detach)
  process.once('SIGTERM', detach)
  try {
    for (let frame = await connection.next(); frame !== undefined; frame = await connection.next()) {
      if (frame.type === FrameType.RECORDS || frame.type === FrameType.SELECTED) {
        if (frame.type === FrameType.RECORDS) pipeline.splitter.push(frame.payload)
        else pipeline.bySource(frame.payload)
        // Until the terminal takes these, the socket is not read: the hub holds the rest, or counts what it cannot.
        await pipeline.output.drain()
      } else if (frame.type === FrameType.MISSED || frame.type === FrameType.ENDED) {
        await pipeline.output.drain()
        // ENDED says, as MISSED does, what this client missed since it was last told.
        const { records } = JSON.parse(frame.payload.toString('utf8')) as { records: number }
        if (records > 0) process.stderr.write(`threadlog: missed ${records} records: this client read more slowly than ${name} logged\n`)
        ended ||= frame.type === FrameType.ENDED
      } else if (frame.type === FrameType.REFUSED) {
        process.stderr.write(`threadlog: ${name} ended the attach: ${frame.payload.toString('utf8')}\n`)
        ended = true
      }
    }
  } catch (error) {
    // A connection reset by a killed service ends the stream as its exit would.
    if (!detached) process.stderr.write(`threadlog: the connection to ${name} failed: ${(error as Error).message}\n`)
  } finally {
    process.off('SIGINT', detach)
    process.off('SIGTERM', detach)
  }
  pipeline.splitter.finish()
  pipeline.sink.end()
  await pipeline.output.drain()
  if (detached) process.stderr.write(`threadlog: detached from ${name}\n`)
  else if (ended) process.stderr.write(`threadlog: ${name} ended\n`)
  else process.stderr.write(`threadlog: ${name} ended without saying it had sent everything: records it still held for this client are lost\n`)
  return EXIT_MATCHED
}
