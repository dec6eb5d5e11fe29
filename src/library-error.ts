// The library's configuration errors say `threadlog: …`, as they reach an application's stderr. Where
// another message frames them (a CLI usage error, the hub refusing a client), the prefix goes.

/** The error's message without the library's `threadlog: ` prefix. */
export function withoutPrefix (error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^threadlog: /, '')
}

/** Runs `check`; an error of class `type` from it is thrown again as `wrap` of its message without the prefix. */
export function rethrowAs<T> (check: () => T, type: abstract new (...args: never[]) => Error, wrap: (message: string) => Error): T {
  try {
    return check()
  } catch (error) {
    if (!(error instanceof type)) throw error
    throw wrap(withoutPrefix(error))
  }
}
