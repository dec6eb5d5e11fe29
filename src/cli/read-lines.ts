import type { Readable } from 'node:stream'

/**
 * Splits a stream into lines, without their `\n`, in batches: one batch per chunk read, so that
 * the caller can write one string per chunk instead of one per line. A last line without `\n` is
 * yielded too, and so is a partial line read before the stream failed (then the error is thrown).
 * Lines of any length are fine: the pieces of a long line are joined once, when it ends.
 */
export async function * readLineBatches (input: Readable): AsyncGenerator<string[]> {
  input.setEncoding('utf8') // decodes characters split across chunks correctly
  let pieces: string[] = []
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      let end = chunk.indexOf('\n')
      if (end === -1) {
        pieces.push(chunk)
        continue
      }
      const lines: string[] = []
      let start = 0
      while (end !== -1) {
        const line = chunk.slice(start, end)
        if (pieces.length === 0) lines.push(line)
        else {
          pieces.push(line)
          lines.push(pieces.join(''))
          pieces = []
        }
        start = end + 1
        end = chunk.indexOf('\n', start)
      }
      if (start < chunk.length) pieces.push(chunk.slice(start))
      yield lines
    }
  } catch (error) {
    if (pieces.length > 0) yield [pieces.join('')]
    throw error
  }
  if (pieces.length > 0) yield [pieces.join('')]
}
