import { captureContext, withContext } from './async-context.ts'

/** A task with the context of the code that queued it, as {@link carryContext} makes it. */
export interface TaskWithContext<T> {
  readonly task: T
  readonly context: Record<string, unknown>
}

/**
 * Wraps a task for a worker pool (piscina's `pool.run`, a `postMessage` job) with the caller's
 * current context, so that the worker's records carry it: pair it with {@link restoreContext} on
 * the worker's side. The context travels as a structured-cloneable copy, as {@link captureContext}
 * makes it.
 */
export function carryContext<T> (task: T): TaskWithContext<T> {
  return { task, context: captureContext() }
}

/**
 * Wraps a worker's task function so that each call runs inside the context its task was queued
 * with (see {@link carryContext}): `export default restoreContext((task) => …)` in a piscina worker.
 */
export function restoreContext<T, R> (fn: (task: T) => R): (wrapped: TaskWithContext<T>) => R {
  return (wrapped) => withContext(wrapped.context, () => fn(wrapped.task))
}
