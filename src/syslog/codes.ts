import { levelOfLabel } from '../levels.ts'

/** Syslog facility codes by name (RFC 5424 table 1, with the names syslog.conf uses). */
export const FACILITIES: Readonly<Record<string, number>> = Object.freeze({
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
  authpriv: 10, ftp: 11, ntp: 12, security: 13, console: 14, solaris_cron: 15,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23
})

/** RFC 5424 severities. */
export const Severity = Object.freeze({
  EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFORMATIONAL: 6, DEBUG: 7
})

/**
 * The severity of a pino level: trace and debug → debug, info → informational, warn → warning,
 * error → error, fatal → critical (as pino-syslog maps them). A custom numeric level takes the
 * severity of the highest pino level at or below it; a label (from `formatters.level`) is read as
 * the level it names; anything else is informational.
 */
export function severityOfLevel (level: unknown): number {
  const value = typeof level === 'number' ? level : typeof level === 'string' ? levelOfLabel(level) : undefined
  if (value === undefined || !Number.isFinite(value)) return Severity.INFORMATIONAL
  if (value >= 60) return Severity.CRITICAL
  if (value >= 50) return Severity.ERROR
  if (value >= 40) return Severity.WARNING
  if (value >= 30) return Severity.INFORMATIONAL
  return Severity.DEBUG
}
