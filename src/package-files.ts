// Where threadlog's own files are at run time, from its sources or from the built package. A module
// cannot compute these relative to itself: in dist/ its code may sit in a shared chunk of the bundle
// (dist/src/chunks/), so `new URL('./hub-worker.js', import.meta.url)` would point to nothing.

/**
 * The files threadlog loads by URL rather than by import: the hub thread's entry, a transport module
 * the hub loads as pino would, and a module required synchronously on first use. Each is an entry
 * point of the build (scripts/build.ts), so the bundle keeps it at its source path under dist/:
 * `src/hub/hub-worker.ts` runs as `dist/src/hub/hub-worker.js`.
 */
export const FILES_LOADED_BY_URL = {
  hubWorker: 'src/hub/hub-worker.ts',
  syslogTransport: 'transports/syslog.ts',
  localSink: 'src/sink/local-sink.ts'
} as const

/** A file of {@link FILES_LOADED_BY_URL}. */
export type PackageFile = keyof typeof FILES_LOADED_BY_URL

// Run from the sources, every module is a .ts file of its own; built, none is.
const FROM_SOURCES = import.meta.url.endsWith('.ts')

let root: URL | undefined

// The package's own folder, by resolving threadlog's package.json through its name (a package may
// import itself through its `exports`): true wherever this code was bundled to. Resolved on first
// use, so a program that never needs these paths does not pay for the lookup.
function packageRoot (): URL {
  root ??= new URL('.', import.meta.resolve('threadlog/package.json'))
  return root
}

/** The URL `file` runs from: its source file, or its counterpart in dist/ once built. */
export function packageFileUrl (file: PackageFile): URL {
  const source = FILES_LOADED_BY_URL[file]
  return new URL(FROM_SOURCES ? source : `dist/${source.replace(/\.ts$/, '.js')}`, packageRoot())
}

/** The folder holding threadlog's own code, with a trailing separator: `src/`, or `dist/src/` once built. */
export function ownCodeUrl (): URL {
  return new URL(FROM_SOURCES ? 'src/' : 'dist/src/', packageRoot())
}
