/** A running tree that cannot be found, reached or trusted: printed after `threadlog: `, exit code 2. */
export class LiveError extends Error {}
