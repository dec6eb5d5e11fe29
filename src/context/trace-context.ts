// OpenTelemetry's active span, as trace_id / span_id / trace_flags on every record. @opentelemetry/api
// is an optional peer dependency: it is looked up once per thread, at the first logger, from the
// application's working directory (as targets are), then beside threadlog, with `require` — createLogger is synchronous,
// and the API keeps its registered context manager on `globalThis` under a versioned symbol, so its
// CommonJS copy sees what an ES-module application registered, and the reverse. Absent, records get
// nothing and log calls pay nothing (the record prefix then has no trace step at all).
import { createRequire } from 'node:module'
import { join } from 'node:path'

/** The record fields of a span context, the names OpenTelemetry's log bridges use. */
export const TRACE_KEYS = ['trace_id', 'span_id', 'trace_flags'] as const

/** What threadlog uses of @opentelemetry/api. */
interface SpanContext {
  readonly traceId: string
  readonly spanId: string
  readonly traceFlags: number
}
interface OpenTelemetryApi {
  readonly context: { active: () => unknown }
  readonly trace: { getSpanContext: (context: unknown) => SpanContext | undefined }
  readonly isSpanContextValid: (spanContext: SpanContext) => boolean
}

/** undefined: not looked up yet; null: not installed. */
let api: OpenTelemetryApi | null | undefined

/**
 * Where @opentelemetry/api 1.x keeps what an SDK registered (its context manager, its tracer
 * provider). Until something is there, no span can be active: the API need not be loaded (≈ 10 ms
 * and 2 MiB of a one-line program's start-up) to know that.
 */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1')

const registered = (): boolean => (globalThis as Record<symbol, unknown>)[OTEL_GLOBAL] !== undefined

/** Whether the API can be loaded, without loading it. */
function installed (): boolean {
  if (api !== undefined) return api !== null
  for (const from of [join(process.cwd(), 'noop.js'), import.meta.url]) {
    try {
      createRequire(from).resolve('@opentelemetry/api')
      return true
    } catch {
      // Not installed there.
    }
  }
  return false
}

/** @opentelemetry/api as the application has it, or undefined when it is not installed. */
export function openTelemetryApi (): OpenTelemetryApi | undefined {
  if (api !== undefined) return api ?? undefined
  api = null
  // The application's copy first (as for targets), else the one installed beside threadlog.
  for (const from of [join(process.cwd(), 'noop.js'), import.meta.url]) {
    try {
      api = createRequire(from)('@opentelemetry/api') as OpenTelemetryApi
      break
    } catch {
      // Not installed there.
    }
  }
  return api ?? undefined
}

function fieldsOf (spanContext: SpanContext): Record<(typeof TRACE_KEYS)[number], string> {
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    // Two hex digits, as @opentelemetry/instrumentation-pino writes it.
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2)
  }
}

/** The active span's fields, when one is active and valid: as a plain object, for captureContext(). */
export function activeTraceFields (): Record<(typeof TRACE_KEYS)[number], string> | undefined {
  if (api === undefined && !registered()) return undefined
  const otel = openTelemetryApi()
  const spanContext = otel?.trace.getSpanContext(otel.context.active())
  return spanContext !== undefined && otel!.isSpanContextValid(spanContext) ? fieldsOf(spanContext) : undefined
}

/**
 * Returns the record step that writes the active span's fields (`,"trace_id":…`), or undefined when
 * @opentelemetry/api is not installed. While nothing is registered with the API, the step only
 * looks for the registration (one property read) and loads the API once it appears. The active context is the same object for every record
 * logged in one scope (ROOT_CONTEXT outside any), so the step looks it up (≈ 25 ns) and reuses the
 * JSON it made for it, instead of reading the span from it on every record (≈ 140 ns).
 */
export function createTraceStep (): (() => string) | undefined {
  if (api === undefined && !registered()) {
    if (!installed()) return undefined
    let step: (() => string) | undefined
    return () => {
      if (step === undefined && !registered()) return ''
      if (step === undefined) {
        const otel = openTelemetryApi()
        step = otel === undefined ? () => '' : spanStep(otel)
      }
      return step()
    }
  }
  const otel = openTelemetryApi()
  return otel === undefined ? undefined : spanStep(otel)
}

function spanStep (otel: OpenTelemetryApi): () => string {
  let lastContext: unknown
  let lastJson = ''
  return () => {
    const active = otel.context.active()
    if (active === lastContext) return lastJson
    lastContext = active
    const spanContext = otel.trace.getSpanContext(active)
    lastJson = spanContext !== undefined && otel.isSpanContextValid(spanContext)
      ? TRACE_KEYS.map((key) => `,"${key}":${JSON.stringify(fieldsOf(spanContext)[key])}`).join('')
      : ''
    return lastJson
  }
}
