import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let dir: string | undefined
let count = 0

/**
 * A fresh path in this test process's own temporary directory, which is removed when the process
 * exits: a suite that writes hundreds of megabytes per run must not leave them behind.
 */
export function tempFile (name = 'out.ndjson'): string {
  if (dir === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'threadlog-test-'))
    process.on('exit', () => rmSync(created, { recursive: true, force: true }))
    dir = created
  }
  return join(dir, `${++count}-${name}`)
}
