// The root hub's side of setFilter for child processes: which connected children still have to
// apply which FILTER frame.
import type { Socket } from 'node:net'
import { filterBlock, readFilterText } from '../filter/filter-block.ts'
import { FrameType, encodeFrame } from './frames.ts'

/** Id of the FILTER a child gets on connecting: no setFilter waits for its answer. */
const ON_CONNECT = 0

/** Tracks the FILTER frames sent to children until each has answered FILTER_APPLIED or gone. */
export class ChildFilters<Child extends { readonly socket: Socket }> {
  readonly #requests = new Map<number, { pending: Set<Child>, done: () => void }>()
  #nextId = ON_CONNECT + 1

  /** Sends the directives to each child; resolves once every one of them applied them or is gone. */
  async send (children: Child[], text: string): Promise<void> {
    if (children.length === 0) return
    const id = this.#nextId++
    const applied = new Promise<void>((resolve) => this.#requests.set(id, { pending: new Set(children), done: resolve }))
    const frame = encodeFrame(FrameType.FILTER, JSON.stringify({ id, text }))
    for (const child of children) child.socket.write(frame)
    await applied
  }

  /**
   * A child that connects after a setFilter of this process (made even before the hub ran: the
   * directives are in the filter block) gets them right after its HELLO.
   */
  welcome (child: Child): void {
    const block = filterBlock()
    const filter = block === undefined ? undefined : readFilterText(block)
    if (filter !== undefined) child.socket.write(encodeFrame(FrameType.FILTER, JSON.stringify({ id: ON_CONNECT, text: filter.text })))
  }

  /** The child answered FILTER_APPLIED `id`, or (id undefined) is gone and will answer nothing more. */
  applied (child: Child, id: number | undefined): void {
    for (const [requestId, request] of this.#requests) {
      if (id !== undefined && requestId !== id) continue
      request.pending.delete(child)
      if (request.pending.size > 0) continue
      this.#requests.delete(requestId)
      request.done()
    }
  }
}
