import { fstatSync, openSync } from '../node-fs.ts'
import { createRequire } from 'node:module'

/**
 * `tty.isatty(fd)`, loading node:tty (which loads node:net, ≈ 2 MiB of start-up) only for a
 * character device: anything else (a pipe, a socket, a file) is no terminal.
 */
export function isTerminal (fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false
  } catch {
    return false
  }
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd)
}

/**
 * A descriptor for `fd` whose writes block instead of failing with EAGAIN. Node switches a pipe or
 * terminal on stdout to non-blocking as soon as a worker starts, and a synchronous writer that gets
 * EAGAIN sleeps 100 ms before it retries: the hub stalled on every full pipe. Blocking is what the
 * hub wants — it has a thread of its own, and a slow reader should slow it, then the rings, then the
 * producers. O_NONBLOCK belongs to the open file description, so reopening the pipe or terminal
 * through /proc gives a blocking one without touching the process's own fd. Anywhere else (not
 * Linux, a socket, a regular file), the descriptor is used as it is.
 */
export function openBlockingDescriptor (fd: number): number {
  if (process.platform !== 'linux') return fd
  try {
    if (fstatSync(fd).isFIFO() || isTerminal(fd)) return openSync(`/proc/self/fd/${fd}`, 'w')
  } catch {
    // Not reopenable (a socket, a closed fd, no /proc): the descriptor as it is still works.
  }
  return fd
}
