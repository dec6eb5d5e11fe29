import { once } from 'node:events'
import pino from 'pino'
import build from 'pino-abstract-transport'
import { formatNdjsonLine } from '../src/format/pretty.ts'
import { validatePrettyOptions, type PrettyOptions } from '../src/format/pretty-options.ts'
import { createFormatter } from '../src/format/pretty-sink.ts'

export type { PrettyOptions } from '../src/format/pretty-options.ts'
export { createPrettySink, type PrettySink } from '../src/format/pretty-sink.ts'

type Destination = ReturnType<typeof pino.destination>

// Resolves once the destination has flushed and closed, or can never write again.
function waitForClose (destination: Destination): Promise<unknown> {
  return new Promise((resolve) => {
    destination.once('close', resolve)
    destination.once('error', resolve)
  })
}

/**
 * The pretty transport: a pino-abstract-transport module for `pino.transport({ target })`. Every
 * NDJSON line becomes a pretty line; lines that are not JSON objects pass through unchanged.
 * Lines go to `destination` asynchronously, and closing waits until they are all written.
 * Rejects with a TypeError or RangeError (a bad `format` naming its position) before opening anything.
 */
export default async function prettyTransport (options?: PrettyOptions) {
  const resolved = validatePrettyOptions(options)
  const dest = resolved.destination ?? 1
  const format = createFormatter(resolved, dest)
  const destination = pino.destination({ dest, sync: false })
  const closed = waitForClose(destination)
  // Raw lines rather than parsed records: non-JSON lines then keep their place in the output.
  return build(async function writePrettyLines (source) {
    destination.on('error', (error: NodeJS.ErrnoException) => {
      // A reader that went away (EPIPE) is not an error of the logger; anything else is loud.
      if (error.code !== 'EPIPE') source.destroy(error)
    })
    for await (const line of source as AsyncIterable<string>) {
      if (destination.write(formatNdjsonLine(format, line)) === false) {
        await Promise.race([once(destination, 'drain'), closed])
      }
    }
  }, {
    parse: 'lines',
    parseLine: (line) => line,
    async close () {
      try {
        destination.end()
      } catch {
        // Already destroyed: there is nothing left to flush.
        return
      }
      await closed
    }
  })
}
