/**
 * pino's default levels: the one table every part of threadlog that names a level reads (target
 * filters, the hub's level reader, the pretty printer's labels).
 */
export const LEVEL_VALUES: Readonly<Record<string, number>> = Object.freeze({
  trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60
})

/**
 * Labels that level formatters write for pino's levels besides its own names: syslog's and Google
 * Cloud Logging's severities (`WARNING`, `CRITICAL`…). Matched without regard to case.
 */
const LEVEL_ALIASES: Readonly<Record<string, number>> = Object.freeze({
  warning: 40, critical: 60, alert: 60, emergency: 60, emerg: 60, crit: 60, err: 50, notice: 30, default: 30
})

/** The level a label stands for, in any case; `undefined` when it names none. */
export function levelOfLabel (label: string): number | undefined {
  const lower = label.toLowerCase()
  return LEVEL_VALUES[lower] ?? LEVEL_ALIASES[lower]
}
