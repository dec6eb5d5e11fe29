import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, test } from 'node:test'

const ROOT = join(import.meta.dirname, '..', '..')
const FIXTURES = join(import.meta.dirname, 'fixtures')
// TypeScript 7's bin is a small Node script that execs the native compiler: its exit code and output
// are the compiler's. Running it with this Node keeps the test independent of `node` on PATH.
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
// The fixtures import the source by path, so that the root typecheck and editors see them. Here
// they import the package by name instead, resolved through `exports` to the emitted declarations:
// the types a user of the published package gets.
const SOURCE_SPECIFIER = "'../../../src/index.ts'"
const PACKAGE_SPECIFIER = "'threadlog'"
const DIRECTIVE = /^\/\/ @ts-expect-error (TS\d+)\b.*$/

interface TscResult {
  code: number | null
  stdout: string
  stderr: string
}

let project = ''

async function runTsc (args: string[], cwd: string): Promise<TscResult> {
  const child = spawn(process.execPath, [TSC, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const [code] = await once(child, 'close') as [number | null]
  return { code, stdout, stderr }
}

/** Type-checks one file of the consumer project with the fixtures' consumer tsconfig. */
async function typeCheck (file: string): Promise<TscResult> {
  const config = `tsconfig.${file}.json`
  await writeFile(join(project, config), JSON.stringify({ extends: './tsconfig.consumer.json', files: [file] }))
  return runTsc(['-p', config, '--pretty', 'false'], project)
}

async function copyFixture (name: string, target = name, transform = (text: string) => text): Promise<void> {
  const text = await readFile(join(FIXTURES, name), 'utf8')
  assert.ok(text.includes(SOURCE_SPECIFIER), `${name} imports ${SOURCE_SPECIFIER}`)
  await writeFile(join(project, target), transform(text.replaceAll(SOURCE_SPECIFIER, PACKAGE_SPECIFIER)))
}

async function linkFromRoot (name: string): Promise<void> {
  const link = join(project, 'node_modules', name)
  await mkdir(dirname(link), { recursive: true })
  await symlink(join(ROOT, 'node_modules', name), link, 'dir')
}

// A consumer project: threadlog "installed" as its package.json plus freshly emitted declarations,
// next to links to its dependencies and @types/node.
before(async () => {
  project = await mkdtemp(join(tmpdir(), 'threadlog-types-'))
  const installed = join(project, 'node_modules', 'threadlog')
  const emit = await runTsc(['-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', join(installed, 'dist')], ROOT)
  assert.equal(emit.code, 0, emit.stdout + emit.stderr)
  await copyFile(join(ROOT, 'package.json'), join(installed, 'package.json'))
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  for (const name of [...Object.keys(manifest.dependencies), '@types/node']) await linkFromRoot(name)
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  await copyFile(join(FIXTURES, 'tsconfig.consumer.json'), join(project, 'tsconfig.consumer.json'))
  await copyFixture('consumer.ts')
  await copyFixture('misuse.ts')
  // The same misuses with the directives blanked out, so that every line keeps its number.
  await copyFixture('misuse.ts', 'misuse-unmarked.ts',
    (text) => text.split('\n').map((line) => DIRECTIVE.test(line) ? '' : line).join('\n'))
})

after(async () => {
  if (project !== '') await rm(project, { recursive: true, force: true })
})

test('a consumer using the whole public API type-checks against the published declarations', async () => {
  assert.deepEqual(await typeCheck('consumer.ts'), { code: 0, stdout: '', stderr: '' })
})

test('every misuse marked @ts-expect-error is an error (an unused directive would fail)', async () => {
  assert.deepEqual(await typeCheck('misuse.ts'), { code: 0, stdout: '', stderr: '' })
})

test('unmarked, the misuses fail with exactly the expected error code on each line', async () => {
  const source = await readFile(join(FIXTURES, 'misuse.ts'), 'utf8')
  // A directive on line n expects its code on line n + 1 (1-based: index + 2).
  const expected = source.split('\n').flatMap((line, index) => {
    const match = DIRECTIVE.exec(line)
    return match === null ? [] : [`${index + 2} ${match[1]}`]
  })
  assert.equal(expected.length, 13)
  const result = await typeCheck('misuse-unmarked.ts')
  const reported = [...result.stdout.matchAll(/^misuse-unmarked\.ts\((\d+),\d+\): error (TS\d+):/gm)]
    .map(([, line, code]) => `${line} ${code}`)
  assert.deepEqual({ code: result.code, reported, errorLines: result.stdout.split('\n').filter((line) => line.includes(': error ')).length },
    { code: 1, reported: expected, errorLines: expected.length })
})
