// node:fs through `require`. An ES import of node:fs builds the module's whole namespace, and its
// `promises` getter loads fs/promises with readline, streams and watchers: ≈ 2 MiB of every
// process's start-up (measured on Node 24), for an API threadlog does not use at start-up.
import { createRequire } from 'node:module'

const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs')

export const {
  chmodSync, closeSync, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync,
  readFileSync, renameSync, rmSync, writeFileSync, writeSync
} = fs
