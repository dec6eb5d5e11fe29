/**
 * The keys of a threadlog record that are its structure rather than its fields: pino's own (`level`,
 * `time`, `pid`, `hostname`, `msg`) and threadlog's identity (`ppid`, `proc`, `tid`, `thread`,
 * `worker`, `seq`). The pretty printer shows them in its columns instead of repeating them as fields,
 * and a context field of the same name is kept out of records, where it would shadow the identity.
 */
export const RECORD_KEYS: ReadonlySet<string> = new Set([
  'level', 'time', 'pid', 'ppid', 'hostname', 'proc', 'tid', 'thread', 'worker', 'seq', 'msg'
])
