import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The threadlog package a module belongs to: its root folder and version. */
export interface PackageInfo {
  /** The folder holding threadlog's `package.json`. */
  root: string
  /** The `version` of that `package.json`. */
  version: string
}

function readManifest (path: string): { name?: unknown, version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * Finds the threadlog package by walking up from `fromDir` to the nearest `package.json` named
 * `threadlog`. The CLI runs both as `src/cli/main.ts` and compiled as `dist/src/cli/main.js`, so
 * its depth below the root differs; `dist/` has no `package.json` of its own.
 *
 * @throws {Error} when no such `package.json` exists above `fromDir`.
 */
export function findPackage (fromDir: string): PackageInfo {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'))
    if (manifest?.name === 'threadlog') return { root: dir, version: String(manifest.version) }
    if (dirname(dir) === dir) throw new Error(`threadlog: no package.json named threadlog above ${fromDir}`)
  }
}
