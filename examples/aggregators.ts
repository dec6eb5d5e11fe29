// One logger shipping to every aggregator at once: rotating files (pino-roll), Loki (pino-loki),
// Elasticsearch (pino-elasticsearch), and an OpenTelemetry collector over OTLP/HTTP
// (pino-opentelemetry-transport), with the request's trace on the records of the worker thread that
// did the job. Without servers of your own it starts local stand-ins (aggregators/receivers.ts) and
// shows what each received; set AGGREGATOR_URL to a host that serves all three APIs to use it instead.
//
//   npm run example:aggregators
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker, isMainThread, parentPort } from 'node:worker_threads'
import { context, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'
import { captureContext, createLogger, withContext, type TargetSpec } from '../src/index.ts'

const JOBS = 3
/** Records per job: one from the main thread, one from the worker. */
const RECORDS = JOBS * 2 + 1

function targets (url: string, logDir: string): TargetSpec[] {
  return [
    { target: 'pretty' },
    // Rotating files: a new file past 10 MB or every day, the 7 newest kept besides the current one.
    { target: 'pino-roll', options: { file: join(logDir, 'app'), extension: '.log', size: '10m', frequency: 'daily', limit: { count: 7 }, mkdir: true } },
    // Loki: each (proc, thread) its own stream; short batches so that the example sees them arrive.
    { target: 'pino-loki', options: { host: url, labels: { app: 'shop' }, propsToLabels: ['proc', 'thread'], batching: { interval: 0.5 } } },
    { target: 'pino-elasticsearch', options: { node: url, index: 'logs-shop', esVersion: 8, opType: 'create', flushInterval: 500 } },
    {
      target: 'pino-opentelemetry-transport',
      options: {
        loggerName: 'shop',
        serviceVersion: '1.0.0',
        resourceAttributes: { 'service.name': 'shop', 'process.parent_pid': process.ppid },
        logRecordProcessorOptions: {
          recordProcessorType: 'batch',
          processorConfig: { scheduledDelayMillis: 500 },
          exporterOptions: { protocol: 'http', httpExporterOptions: { url: `${url}/v1/logs` } }
        }
      }
    }
  ]
}

if (isMainThread) {
  const receivers = process.env.AGGREGATOR_URL === undefined
    ? fork(new URL('./aggregators/receivers.ts', import.meta.url), [String(RECORDS)])
    : undefined
  const url = process.env.AGGREGATOR_URL ??
    (await once(receivers!, 'message') as [{ url: string }])[0].url
  const logDir = mkdtempSync(join(tmpdir(), 'threadlog-example-'))
  const log = createLogger({ name: 'shop', targets: targets(url, logDir) })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  trace.setGlobalTracerProvider(new BasicTracerProvider())

  const worker = new Worker(new URL(import.meta.url), { name: 'resize' })
  for (let job = 1; job <= JOBS; job++) {
    await trace.getTracer('shop').startActiveSpan('POST /images', async (span) => {
      await withContext({ reqId: `req-${job}` }, async () => {
        log.info({ job }, 'image uploaded')
        worker.postMessage({ job, context: captureContext() })
        await once(worker, 'message')
      })
      span.end()
    })
  }
  worker.postMessage({ job: 0 })
  await once(worker, 'exit')
  log.info({ logDir }, 'every job done')
  // Wait until each stand-in has had every record (they arrive in batches), then end. The stand-ins
  // stay up until this process is gone: its targets talk to them until the end of the exit flush.
  if (receivers !== undefined) {
    const [{ done }] = await once(receivers, 'message') as [{ done: Record<string, number> }]
    process.stdout.write(`every receiver got its ${RECORDS} records: ${JSON.stringify(done)}; files: ${readdirSync(logDir).join(', ')}\n`)
    receivers.channel?.unref()
    receivers.unref()
  }
} else {
  const log = createLogger()
  parentPort?.on('message', ({ job, context: captured }: { job: number, context?: Record<string, unknown> }) => {
    if (captured === undefined) {
      parentPort?.close()
      return
    }
    withContext(captured, () => log.info({ job }, 'thumbnail rendered'))
    parentPort?.postMessage('done')
  })
}
