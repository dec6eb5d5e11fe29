/** A mistake on the command line: printed after `threadlog: `, with exit code 2. */
export class UsageError extends Error {}
