import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { after, before, test } from 'node:test'
import { minimalEnv, runProcess, type ProcessResult } from '../helpers/run-process.ts'

// Packing builds dist/ with tsc and installing fetches the dependencies: well under a minute, but
// the registry sets the pace.
const SETUP_TIMEOUT_MS = 120_000
const ROOT = join(import.meta.dirname, '..', '..')
const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }

// Logs one record inside a context; stdout is a pipe, so the record is NDJSON.
const LOG_IN_CONTEXT = `import { createLogger, withContext } from 'threadlog'
const log = createLogger()
withContext({ reqId: 'r-1' }, () => log.info('inside a context'))
`

type RunOptions = Parameters<typeof runProcess>[2] & { cwd: string }

let work = ''
let app = ''
let packedPaths: string[] = []

/** Runs a program, feeding `input` on stdin, and waits for it to close. */
const run = async (command: string, args: string[], options: RunOptions): Promise<ProcessResult> =>
  await runProcess(command, args, options)

// What npm needs to reach the registry as the user's own npm does. Under `npm test` the PATH starts
// with node_modules/.bin, so this npm runs on the `node` devDependency: its prefix, and with it the
// global npmrc that may hold the machine's `cafile`, are no longer the system's. The parent npm's
// resolved settings and the TLS and proxy variables carry them over; nothing that names this
// repository (npm_config_local_prefix, npm_package_*) is passed, or npm would install into it.
const NPM_SETTINGS = /^(npm_config_(registry|cafile|globalconfig|userconfig|cache|strict_ssl|proxy|https_proxy|noproxy)|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|https?_proxy|no_proxy)$/i

function npmEnv (): NodeJS.ProcessEnv {
  const settings = Object.entries(process.env).filter(([key]) => NPM_SETTINGS.test(key))
  return minimalEnv(Object.fromEntries(settings))
}

async function npm (args: string[], cwd: string, signal: AbortSignal): Promise<ProcessResult> {
  const result = await run('npm', [...args, '--loglevel=error'], { cwd, signal, env: npmEnv() })
  // npm's warnings (an unknown ~/.npmrc key, say) are not ours: only the exit code counts.
  assert.equal(result.code, 0, `npm ${args.join(' ')}\n${result.stderr}`)
  return result
}

// The environment says exactly what the test means: no color unless asked, UTC times.
function plainEnv (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return minimalEnv({ TZ: 'UTC', NO_COLOR: '1', ...extra })
}

// The tarball as a user gets it (prepack builds dist/), installed into an empty project. A stuck
// npm is killed when the hook times out, so that the file fails instead of hanging the suite.
before(async (context) => {
  const { signal } = context
  work = await mkdtemp(join(tmpdir(), 'threadlog-pack-'))
  const pack = await npm(['pack', '--json', '--pack-destination', work], ROOT, signal)
  const [packed] = JSON.parse(pack.stdout) as [{ filename: string, files: Array<{ path: string }> }]
  packedPaths = packed.files.map((file) => file.path)
  app = join(work, 'app')
  await mkdir(app)
  await npm(['init', '-y'], app, signal)
  await npm(['install', join(work, packed.filename), '--no-audit', '--no-fund'], app, signal)
}, { timeout: SETUP_TIMEOUT_MS })

after(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true })
})

test('the tarball holds the built code and its declarations, and no sources, tests or benchmarks', () => {
  for (const path of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js',
    'dist/transports/pretty.js', 'dist/transports/pretty.d.ts', 'src/cli/help.txt', 'package.json']) {
    assert.ok(packedPaths.includes(path), `${path} is packed`)
  }
  assert.deepEqual(packedPaths.filter((path) => path.startsWith('src/')), ['src/cli/help.txt'])
  assert.deepEqual(packedPaths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts')), [])
  assert.deepEqual(packedPaths.filter((path) => /^(test|bench|examples)\//.test(path)), [])
})

test('the installed CLI, run with this Node, prints the package version', async () => {
  const main = join(app, 'node_modules', 'threadlog', 'dist', 'src', 'cli', 'main.js')
  const result = await run(process.execPath, [main, '--version'], { cwd: app, env: plainEnv() })
  assert.deepEqual({ code: result.code, stdout: result.stdout }, { code: 0, stdout: `${version}\n` })
})

test('the installed CLI pretty-prints an NDJSON record piped to it', async () => {
  const main = join(app, 'node_modules', 'threadlog', 'dist', 'src', 'cli', 'main.js')
  const record = '{"level":30,"time":1700000000000,"pid":4242,"proc":"api","tid":0,"thread":"main","seq":1,"msg":"hello","reqId":"r-1"}\n'
  const result = await run(process.execPath, [main], { cwd: app, env: plainEnv(), input: record })
  assert.deepEqual({ code: result.code, stdout: result.stdout },
    { code: 0, stdout: '22:13:20.000 INFO  p[api:4242] t[main:0] hello  reqId=r-1\n' })
})

test('the node_modules/.bin link runs the CLI with the node first on PATH', async () => {
  // The shebang is `#!/usr/bin/env node`: put this Node first so the link runs on it.
  const env = plainEnv({ PATH: dirname(process.execPath) + delimiter + (process.env.PATH ?? '') })
  const result = await run(join(app, 'node_modules', '.bin', 'threadlog'), ['--version'], { cwd: app, env })
  assert.deepEqual({ code: result.code, stdout: result.stdout }, { code: 0, stdout: `${version}\n` })
})

test('an ESM program importing threadlog by name logs its identity, seq and context as NDJSON', async () => {
  const script = join(app, 'log-in-context.mjs')
  await writeFile(script, LOG_IN_CONTEXT)
  const { pid, code, stdout, stderr } = await run(process.execPath, [script], { cwd: app, env: plainEnv() })
  assert.equal(code, 0, stderr)
  assert.ok(stdout.endsWith('\n'), 'stdout ends with a whole line')
  // Every line is a record; threadlog's own lifecycle records may sit next to ours.
  const records = stdout.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  const ours = records.filter((record) => record.msg === 'inside a context')
  assert.equal(ours.length, 1, stdout)
  const { time, ...record } = ours[0] ?? {}
  assert.equal(typeof time, 'number')
  assert.deepEqual(record, {
    level: 30,
    pid,
    ppid: process.pid,
    hostname: hostname(),
    proc: 'log-in-context',
    tid: 0,
    thread: 'main',
    seq: 1,
    reqId: 'r-1',
    msg: 'inside a context'
  })
})

// A root with a pretty target into a file, and a forked child that relays to it: the installed
// package's hub loads its pretty formatter and its relay from dist/ (paths computed at run time).
const TREE = `import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createLogger } from 'threadlog'
if (process.env.CHILD === '1') {
  createLogger({ name: 'child' }).info('from the child')
} else {
  const log = createLogger({ name: 'root', targets: [{ target: 'pretty', options: { destination: process.argv[2], colorize: false } }] })
  log.info('from the root')
  await once(fork(new URL(import.meta.url), { env: { ...process.env, CHILD: '1' } }), 'exit')
}
`

test('an installed root writes pretty lines, its forked child\'s records among them', async () => {
  const script = join(app, 'tree.mjs')
  const out = join(work, 'tree.log')
  await writeFile(script, TREE)
  const { pid, code, stderr } = await run(process.execPath, [script, out], { cwd: app, env: plainEnv() })
  assert.equal(code, 0, stderr)
  const lines = (await readFile(out, 'utf8')).split('\n')
  assert.ok(lines.some((line) => line.includes(` p[root:${pid}] t[main:0] from the root`)), lines.join('\n'))
  assert.ok(lines.some((line) => / p\[child:\d+\] t\[main:0\] from the child$/.test(line)), lines.join('\n'))
  // Quiet by default: the child's connecting is a debug record, below the root's info level.
  assert.equal(lines.filter((line) => line !== '').length, 2, lines.join('\n'))
})

// A worker logs while its main thread never loads threadlog: the worker requires the local sink
// from dist/ by its path (src/package-files.ts), since no hub will answer.
const WORKER_ONLY = `import { Worker } from 'node:worker_threads'
new Worker("import('threadlog').then(({ createLogger }) => createLogger({ name: 'w' }).info('from the worker'))", { eval: true })
`

test('an installed worker whose main thread never loads threadlog writes its records itself', async () => {
  const script = join(app, 'worker-only.mjs')
  await writeFile(script, WORKER_ONLY)
  const { code, stdout, stderr } = await run(process.execPath, [script], { cwd: app, env: plainEnv() })
  assert.equal(code, 0, stderr)
  const records = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  assert.deepEqual(records.map((record) => [record.thread, record.msg]), [['worker-1', 'from the worker']])
})

// The built-in syslog target is threadlog's transports/syslog module, which the hub loads by URL.
const TO_SYSLOG = `import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { createLogger } from 'threadlog'
const server = createSocket('udp4').bind(0, '127.0.0.1')
await once(server, 'listening')
createLogger({ name: 'app', targets: [{ target: 'syslog', options: { host: '127.0.0.1', port: server.address().port, protocol: 'udp' } }] }).info('to syslog')
const [message] = await once(server, 'message')
process.stdout.write(String(message).replace(/^.*\\] /, ''))
server.close()
`

test('an installed root sends a record to the built-in syslog target', async () => {
  const script = join(app, 'to-syslog.mjs')
  await writeFile(script, TO_SYSLOG)
  const { code, stdout, stderr } = await run(process.execPath, [script], { cwd: app, env: plainEnv() })
  assert.deepEqual({ code, stdout, stderr }, { code: 0, stdout: 'to syslog', stderr: '' })
})

test('the installed CLI writes a view page whose script comes from dist/', async () => {
  const main = join(app, 'node_modules', 'threadlog', 'dist', 'src', 'cli', 'main.js')
  const record = '{"level":30,"time":1700000000000,"pid":4242,"proc":"api","tid":0,"thread":"main","seq":1,"msg":"hello","reqId":"r-1"}\n'
  const result = await run(process.execPath, [main, 'view', '--out', '-'], { cwd: app, env: plainEnv(), input: record })
  assert.equal(result.code, 0, result.stderr)
  assert.ok(result.stdout.includes('function startView'), 'the page script is inlined')
  assert.ok(result.stdout.includes('"messages":["hello"]'), 'the record is in the data block')
})
