// Past this many files the cache starts over: only code that creates scripts without end gets there.
const MAX_CACHED_FILES = 1024

/**
 * What `compute` gives for a file name (a stack frame's file), computed once per file. Bounded: when
 * full it starts over rather than tracking use, since a log call must stay a plain Map lookup.
 */
export class FileCache<V> {
  readonly #compute: (file: string) => V
  readonly #values = new Map<string, V>()

  /** `compute` must not return `undefined`, which stands for "not cached yet". */
  constructor (compute: (file: string) => Exclude<V, undefined>) {
    this.#compute = compute
  }

  /** The cached value for `file`, computed now if it is not there. */
  get (file: string): V {
    let value = this.#values.get(file)
    if (value === undefined) {
      value = this.#compute(file)
      if (this.#values.size >= MAX_CACHED_FILES) this.#values.clear()
      this.#values.set(file, value)
    }
    return value
  }

  /** Forgets every file, for when what the values depend on (the current directory) has changed. */
  clear (): void {
    this.#values.clear()
  }
}
