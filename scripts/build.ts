// Builds dist/: the JavaScript as an ES-module bundle (esbuild), the declarations with tsc.
// A bundle, because a one-line program loading ≈ 55 modules of threadlog one by one paid the ESM
// loader's resolve, load and link for each: ≈ +9 MiB and +25 ms over pino (bench/README.md,
// "Start-up"). Code splitting keeps what only the CLI, the hub thread or a transport needs out of
// what `import 'threadlog'` loads.
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { FILES_LOADED_BY_URL } from '../src/package-files.ts'

const ROOT = join(import.meta.dirname, '..')
const DIST = join(ROOT, 'dist')

interface Manifest {
  exports: Record<string, string | { default?: string }>
  bin: Record<string, string>
}

// Every file something loads by path: what package.json exports and its bin, and the files threadlog
// itself loads by URL. Each keeps its source path under dist/ (src/index.ts → dist/src/index.js).
function requiredEntryPoints (): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest
  const published = [...Object.values(manifest.exports), ...Object.values(manifest.bin)]
    .map((entry) => typeof entry === 'string' ? entry : entry.default)
    .filter((path): path is string => path?.startsWith('./dist/') === true && path.endsWith('.js'))
    .map((path) => path.slice('./dist/'.length).replace(/\.js$/, '.ts'))
  return [...new Set([...published, ...Object.values(FILES_LOADED_BY_URL)])]
}

// One build per kind of thread. esbuild puts a module that several entry points of one build use in a
// shared chunk, once; it never shares across builds. So a thread must load the files of one build only,
// or it would hold two copies of a module and of its state. Separate builds also keep the chunks that
// `import 'threadlog'` loads few: each output file is one more resolve, load and link (10 files, all
// entry points in one build, took ≈ 3 ms longer to import than 2).
const BUILDS: Readonly<Record<string, readonly string[]>> = {
  // The application's threads: what they import, and the sink a thread without a hub requires.
  application: ['src/index.ts', 'src/sink/local-sink.ts'],
  // The hub thread, and the transport modules it loads by URL (or that pino.transport runs).
  hub: ['src/hub/hub-worker.ts', 'transports/pretty.ts', 'transports/syslog.ts'],
  cli: ['src/cli/main.ts']
}

function checkBuilds (): void {
  const placed = Object.values(BUILDS).flat()
  const required = requiredEntryPoints()
  const missing = required.filter((entry) => !placed.includes(entry))
  const unknown = placed.filter((entry) => !required.includes(entry))
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(`scripts/build.ts: place every entry point in one build (missing: ${missing.join(', ') || 'none'}; not an entry point: ${unknown.join(', ') || 'none'})`)
  }
}

checkBuilds()
rmSync(DIST, { recursive: true, force: true })
await Promise.all(Object.entries(BUILDS).map(async ([kind, entryPoints]) => await build({
  absWorkingDir: ROOT,
  entryPoints: [...entryPoints],
  outbase: '.',
  outdir: DIST,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.20',
  // Dependencies stay packages of their own, resolved and deduplicated by the user's install.
  packages: 'external',
  // Inside dist/src/, so that dist/src/ alone is threadlog's own code (the caller lookup skips it).
  chunkNames: `src/chunks/${kind}-[name]-[hash]`,
  logLevel: 'warning'
})))

// TypeScript 7's bin execs the native compiler; running it with this Node keeps PATH out of it.
execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' })
