// The root hub's side of `threadlog ps` for child processes: asks each connected child what only its
// own hub knows (its threads, its drops and losses) and gathers the answers.
import type { Socket } from 'node:net'
import { FrameType, encodeFrame, type ProcessReport } from './frames.ts'

/** STATUS requests sent to children, until each has answered or gone, or the wait is over. */
export class ChildReports<Child extends { readonly socket: Socket }> {
  readonly #requests = new Map<number, { pending: Set<Child>, reports: ProcessReport[], done: () => void }>()
  #nextId = 1

  /** Asks every child; resolves with the answers that came within `timeoutMs` (a busy child may miss it). */
  async ask (children: Child[], timeoutMs: number): Promise<ProcessReport[]> {
    if (children.length === 0) return []
    const id = this.#nextId++
    const reports: ProcessReport[] = []
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>((resolve) => {
      this.#requests.set(id, { pending: new Set(children), reports, done: resolve })
      timer = setTimeout(resolve, timeoutMs)
      const frame = encodeFrame(FrameType.STATUS, JSON.stringify({ id }))
      for (const child of children) child.socket.write(frame)
    })
    clearTimeout(timer)
    this.#requests.delete(id)
    return reports
  }

  /** A child answered (report given) or is gone (undefined): it is waited for no more. */
  answered (child: Child, report: ProcessReport | undefined): void {
    for (const [id, request] of this.#requests) {
      if (report !== undefined && report.id !== id) continue
      if (!request.pending.delete(child)) continue
      if (report !== undefined) request.reports.push(report)
      if (request.pending.size === 0) request.done()
    }
  }
}
