import { resolveColorLevel } from '../format/colors.ts'
import { formatTag } from '../format/columns.ts'
import { DirectLinePrinter } from '../format/direct-line.ts'
import { createLineFormatter, type LineFormatter } from '../format/pretty.ts'
import type { CommandLine } from './args.ts'

/** What pretty output needs: the line formatter, and the header of a `--group` group. */
export interface PrettySetup {
  readonly format: LineFormatter
  readonly header: (record: Record<string, unknown>) => string
  /** Prints flat records without parsing them, as `format` would; only for the default line. */
  readonly direct: DirectLinePrinter | undefined
}

/**
 * Sets up pretty output with the pretty transport's color policy. A module of its own, imported
 * only for pretty output: chalk alone takes ~50 ms to load, a tenth of a 1 M-line NDJSON run.
 */
export function setUpPretty (line: CommandLine, stdout: NodeJS.WriteStream): PrettySetup {
  const colorLevel = resolveColorLevel({ colorize: line.color, env: process.env, isTTY: stdout.isTTY === true })
  return {
    format: createLineFormatter({ colorLevel, multiline: line.multiline, format: line.template, colorLine: line.colorLine }),
    header: (record) => formatTag(record, colorLevel) ?? 'no source',
    direct: line.template === undefined && !line.colorLine ? new DirectLinePrinter(colorLevel) : undefined
  }
}
