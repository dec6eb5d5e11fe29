/** A contender: `run(n)` performs n operations. */
export interface Contender {
  name: string
  run: (iterations: number) => void
}

/** Per contender: median ns per operation, and the median of its per-round ratios to the first one. */
export interface Result {
  nsPerOp: number
  ratio: number
  /** ns per operation in each round, in round order: for {@link ratioBetween}. */
  rounds: number[]
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/**
 * Times contenders side by side in one process. Rounds alternate between them and each round's
 * ratio is taken against the baseline's time in that same round, so that drift (CPU frequency, GC,
 * a noisy neighbour) cancels out; the first contender is the baseline.
 */
export function compare (contenders: Contender[], { iterations = 20_000, rounds = 61 } = {}): Map<string, Result> {
  for (const contender of contenders) contender.run(iterations * 5) // warm-up: let V8 optimise every path
  const times = contenders.map(() => [] as number[])
  for (let round = 0; round < rounds; round++) {
    contenders.forEach((contender, index) => {
      const start = process.hrtime.bigint()
      contender.run(iterations)
      times[index]?.push(Number(process.hrtime.bigint() - start) / iterations)
    })
  }
  const baseline = times[0] ?? []
  return new Map(contenders.map((contender, index) => {
    const own = times[index] ?? []
    const ratio = median(own.map((ns, round) => ns / (baseline[round] ?? Number.NaN)))
    return [contender.name, { nsPerOp: median(own), ratio, rounds: own }]
  }))
}

/** Like {@link Result.ratio}, against any contender of the same run: the median of `a`'s per-round ratios to `b`. */
export function ratioBetween (a: Result, b: Result): number {
  return median(a.rounds.map((ns, round) => ns / (b.rounds[round] ?? Number.NaN)))
}

/** Prints ns/op and the ratio to the baseline, one line per contender. */
export function printRatios (title: string, results: Map<string, Result>): void {
  console.log(`\n${title}`)
  for (const [name, { nsPerOp, ratio }] of results) {
    console.log(`  ${name.padEnd(48)} ${nsPerOp.toFixed(0).padStart(6)} ns/call   ${ratio.toFixed(2)}×`)
  }
}
