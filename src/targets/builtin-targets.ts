// The built-in targets, written by the hub's own thread: NDJSON to a descriptor, a file or a
// socket, and the pretty printer (loaded only when a hub has one).
import { fstatSync, fsyncSync } from 'node:fs'
import { Socket } from 'node:net'
import pino from 'pino'
import { openBlockingDescriptor } from './blocking-fd.ts'
import type { OpenTarget, TerminalHints } from './open-target.ts'
import { reportTargetFailure } from './target-report.ts'
import type { ResolvedTarget } from './target-spec.ts'

/** A path as it is; a descriptor made blocking where that is possible (see blocking-fd.ts). */
function writableDestination (destination: unknown): number | string {
  return typeof destination === 'number' ? openBlockingDescriptor(destination) : destination as string
}

function openSocket (spec: ResolvedTarget, fd: number): OpenTarget {
  // A socket (stdout of a process spawned by Node, by systemd…) cannot be reopened blocking (see
  // blocking-fd.ts), and a synchronous writer sleeps 100 ms on each EAGAIN: write it the evented
  // way instead. It is never ended, since it is the process's own stdout.
  const socket = new Socket({ fd, readable: false, writable: true })
  const target: OpenTarget = {
    name: spec.name,
    minLevel: spec.minLevel,
    failed: false,
    // Resolves once the socket has handed the bytes to the kernel: only then may the batch be
    // refilled, and a flush (or a child's SYNC) answered after it mean written.
    write: async (batch) => {
      await new Promise((resolve) => socket.write(batch.bytes(), resolve))
    },
    close: async () => {}
  }
  socket.on('error', (error: Error) => reportTargetFailure(target, error))
  return target
}

export function openSyncFile (spec: ResolvedTarget, destination: unknown): OpenTarget {
  if (typeof destination === 'number' && isSocket(destination)) return openSocket(spec, destination)
  // The hub is a thread of its own: writing synchronously blocks nobody who logs, and what was
  // written is on its way to the OS when the process exits.
  const dest = writableDestination(destination)
  // Bytes as the rings hold them: synchronous, so the batch is written before write() returns.
  const stream = pino.destination({ dest, sync: true, mkdir: true, append: true, contentMode: 'buffer' })
  // In 'buffer' content mode sonic-boom writes bytes; its types only know its 'utf8' mode.
  const writeBytes = stream.write.bind(stream) as unknown as (bytes: Buffer) => boolean
  const target: OpenTarget = {
    name: spec.name,
    minLevel: spec.minLevel,
    failed: false,
    write: (batch) => { writeBytes(batch.bytes()) },
    // A failed stream may still hold part of a batch that has been refilled since: nothing to flush.
    close: async () => {
      if (target.failed) return
      stream.flushSync()
      // On disk when the process is gone (sonic-boom's flushSync does this in its 'utf8' mode only).
      try {
        fsyncSync((stream as unknown as { fd: number }).fd) // sonic-boom's types leave out its fd
      } catch {
        // A pipe or a terminal cannot be synced: nothing was lost.
      }
    }
  }
  if (spec.options.reopenOnSighup === true) target.reopen = () => { if (!target.failed) stream.reopen() }
  stream.on('error', (error: Error) => reportTargetFailure(target, error))
  return target
}

/**
 * Loaded only by a hub that has a pretty target: the formatter and chalk are most of what a hub
 * imports, and a relaying child's hub, or one writing NDJSON, never needs them.
 */
export async function openPretty (spec: ResolvedTarget, hints: TerminalHints): Promise<OpenTarget> {
  const { createPrettySink } = await import('../format/pretty-sink.ts')
  const destination = spec.options.destination ?? 1
  const isTTY = destination === 1 ? hints.stdoutIsTTY : destination === 2 ? hints.stderrIsTTY : false
  const dest = writableDestination(destination)
  const sink = createPrettySink({ ...spec.options, destination: dest, isTTY })
  return {
    name: spec.name,
    minLevel: spec.minLevel,
    failed: false,
    write: (batch) => { for (const line of batch.lines()) sink.write(line) },
    close: async () => {}
  }
}

function isSocket (fd: number): boolean {
  try {
    return fstatSync(fd).isSocket()
  } catch {
    return false
  }
}
