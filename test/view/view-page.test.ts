// The page in a real browser (Debian's chromium through playwright-core), made by the real CLI
// from the records of a real process tree: main thread, two workers and a forked child, each
// request under its own reqId. Screenshots go to a directory the test prints; they are not kept
// in the repository.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { HOSTILE_KEY, HOSTILE_MESSAGE } from '../helpers/hostile-record.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import type { LogRecord } from '../helpers/read-records.ts'
import { tempFile } from '../helpers/temp-file.ts'
import { callView, launchChromium, openView, type OpenedView } from '../helpers/view-browser.ts'
import { runViewCli } from '../helpers/view-cli.ts'

const REQUESTS = 12
const SHOTS = mkdtempSync(join(tmpdir(), 'threadlog-view-shots-'))

let browser: Browser
let opened: OpenedView
let page: Page
let records: LogRecord[]
let lanes: { main: string, resize1: string, resize2: string, archiver: string }

type Range = { from: number, to: number }

before(async () => {
  const run = await runFixture('view-requests.ts', [], { FIXTURE: JSON.stringify({ requests: REQUESTS, hostile: true }) })
  assert.equal(run.code, 0, run.stderr)
  records = run.records()
  const input = tempFile('requests.ndjson')
  writeFileSync(input, run.stdout)
  const out = tempFile('requests.html')
  const cli = await runViewCli([input, '--out', out])
  assert.equal(cli.code, 0, cli.stderr)
  const server = records.find((record) => record.proc === 'server') as LogRecord
  const archiver = records.find((record) => record.proc === 'archiver') as LogRecord
  const tidOf = (thread: string) => (records.find((record) => record.thread === thread) as LogRecord).tid as number
  lanes = {
    main: `server:${server.pid}/main:0`,
    resize1: `server:${server.pid}/resize-1:${tidOf('resize-1')}`,
    resize2: `server:${server.pid}/resize-2:${tidOf('resize-2')}`,
    archiver: `archiver:${archiver.pid}/main:0`
  }
  browser = await launchChromium()
  opened = await openView(browser, out)
  page = opened.page
  console.log(`# view screenshots: ${SHOTS}`)
})

after(async () => { await browser?.close() })

async function screenshot (name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

async function rangeAfter (previous: Range): Promise<Range> {
  await page.waitForFunction((before) => {
    const now = (window as unknown as { threadlogView: { visibleRange: () => Range } }).threadlogView.visibleRange()
    return now.from !== before.from || now.to !== before.to
  }, previous)
  return await callView<Range>(page, 'visibleRange')
}

test('the page loads without console errors and loads nothing; the hostile record became no markup', async () => {
  assert.deepEqual(opened.errors, [])
  assert.deepEqual(opened.requests, [])
  const dom = await page.evaluate(() => ({
    pwned: (window as unknown as { pwned?: number }).pwned,
    images: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length
  }))
  assert.deepEqual(dom, { pwned: undefined, images: 0, scripts: 2 })
  await screenshot('loaded')
})

test('one lane per thread, grouped by process, the forked child below its parent, with lifetimes', async () => {
  assert.deepEqual(await callView(page, 'lanes'), [lanes.main, lanes.resize1, lanes.resize2, lanes.archiver])
  const processes = await callView<Array<{ proc: string, depth: number, endKnown: boolean, exit?: string }>>(page, 'processes')
  assert.deepEqual(processes.map(({ proc, depth, endKnown, exit }) => ({ proc, depth, endKnown, exit })), [
    { proc: 'server', depth: 0, endKnown: false, exit: undefined },
    { proc: 'archiver', depth: 1, endKnown: true, exit: 'exit code 0' }
  ])
})

test('hovering a mark shows its record', async () => {
  const last = (await callView<number>(page, 'recordCount')) - 1
  const point = await callView<{ x: number, y: number }>(page, 'pointOf', last)
  await page.mouse.move(point.x, point.y)
  await page.waitForSelector('#tooltip:not([hidden])')
  assert.equal(await callView(page, 'hovered'), last)
  const text = await page.textContent('#tooltip')
  assert.match(text ?? '', /INFO {2}p\[server:\d+\] t\[main:0\]\nall requests done\nseq: \d+\nname: "server"$/)
})

test('a click on a record selects its request across lanes', async () => {
  const [jobDone] = (await callView<number[]>(page, 'recordsWhere', 'n', 3)).slice(-1)
  const point = await callView<{ x: number, y: number }>(page, 'pointOf', jobDone)
  await page.mouse.click(point.x, point.y)
  await page.waitForSelector('#detail:not([hidden])')
  const clicked = await callView<number>(page, 'hovered')
  const selection = await callView<{ key: string, value: string, records: number[], lanes: string[] }>(page, 'selection')
  // Records logged in the same millisecond share a pixel: the request is whichever the click hit.
  const reqId = selection.value
  const expected = records.filter((record) => record.reqId === reqId)
  const n = Number(reqId.slice('req-'.length))
  assert.equal(selection.key, 'reqId')
  assert.deepEqual(selection.records, await callView(page, 'recordsWhere', 'reqId', reqId))
  assert.equal(selection.records.length, expected.length)
  assert.equal(expected.length, n % 10 === 0 ? 6 : 5)
  assert.ok(selection.records.includes(clicked))
  // In time order: received in main, worked on in its worker, archived in the child.
  assert.deepEqual(selection.lanes, [lanes.main, n % 2 === 0 ? lanes.resize1 : lanes.resize2, lanes.archiver])
  assert.equal(await page.textContent('#detail button.active'), 'reqId')
  await screenshot('request-selected')
})

test('the wheel zooms around the pointer and a drag pans', async () => {
  const start = await callView<Range>(page, 'visibleRange')
  const box = await page.locator('#view').boundingBox()
  assert.ok(box !== null)
  const x = box.x + 230 + (box.width - 230) / 2
  const y = box.y + 40
  await page.mouse.move(x, y)
  await page.mouse.wheel(0, -500)
  const zoomed = await rangeAfter(start)
  const ratio = (zoomed.to - zoomed.from) / (start.to - start.from)
  // Epoch milliseconds near 1.8e12 carry about 7 significant digits below the millisecond.
  assert.ok(Math.abs(ratio - Math.exp(-1)) < 1e-6, `zoomed to ${ratio} of the range`)
  assert.ok(Math.abs((zoomed.from + zoomed.to) / 2 - (start.from + start.to) / 2) < 1e-3, 'the time under the pointer stays')
  await page.mouse.down()
  await page.mouse.move(x - 200, y, { steps: 4 })
  await page.mouse.up()
  const panned = await rangeAfter(zoomed)
  const shift = 200 * (zoomed.to - zoomed.from) / (box.width - 230)
  assert.ok(Math.abs(panned.from - zoomed.from - shift) < 1e-3, `panned by ${panned.from - zoomed.from}, not ${shift}`)
  assert.ok(Math.abs((panned.to - panned.from) - (zoomed.to - zoomed.from)) < 1e-3)
  await screenshot('zoomed')
  await page.click('#reset')
  await rangeAfter(panned)
})

test('the filter box hides lanes: by thread, by request, by level', async () => {
  await page.fill('#filter', 'thread:resize-*')
  assert.deepEqual(await callView(page, 'lanes'), [lanes.resize1, lanes.resize2])
  await page.fill('#filter', 'reqId=req-3')
  assert.deepEqual(await callView(page, 'lanes'), [lanes.main, lanes.resize2, lanes.archiver])
  await screenshot('filtered-request')
  await page.fill('#filter', 'level>=warn')
  assert.deepEqual(await callView(page, 'lanes'), [lanes.main, lanes.resize1])
  await page.fill('#filter', 'level>=warn oops>')
  assert.equal(await page.textContent('#filter-errors'), 'not understood: oops>')
  await page.fill('#filter', '')
  assert.deepEqual(await callView(page, 'lanes'), [lanes.main, lanes.resize1, lanes.resize2, lanes.archiver])
})

test('the hostile record shows as text in the detail panel, and still runs nothing', async () => {
  const [hostile] = await callView<number[]>(page, 'recordsWhere', 'reqId', 'hostile')
  await callView(page, 'select', hostile)
  const detail = await page.textContent('#detail pre')
  assert.ok(detail?.includes(`\n${HOSTILE_MESSAGE}\n`), detail ?? '')
  assert.ok(detail?.includes(`${HOSTILE_KEY}: ${JSON.stringify(HOSTILE_MESSAGE)}`), detail ?? '')
  const dom = await page.evaluate(() => ({ pwned: (window as unknown as { pwned?: number }).pwned, images: document.querySelectorAll('img').length }))
  assert.deepEqual(dom, { pwned: undefined, images: 0 })
  assert.deepEqual(opened.errors, [])
})

test('an empty log makes a page that loads without errors and shows no lane', async () => {
  const out = tempFile('empty.html')
  const cli = await runViewCli(['--out', out], { input: '' })
  assert.equal(cli.stderr, `threadlog view: 0 records in 0 lanes → ${out}\n`)
  const empty = await openView(browser, out)
  assert.deepEqual({ errors: empty.errors, lanes: await callView(empty.page, 'lanes') }, { errors: [], lanes: [] })
  await empty.page.close()
})

test('3000 threads fit one canvas: rows shrink instead of passing what Chromium can draw', async () => {
  let input = ''
  for (let tid = 1; tid <= 3000; tid++) input += JSON.stringify({ level: 30, time: 1000 + tid, pid: 1, proc: 'pool', tid, thread: `w${tid}`, msg: 'work' }) + '\n'
  const out = tempFile('threads.html')
  assert.equal((await runViewCli(['--out', out], { input })).code, 0)
  const many = await openView(browser, out)
  const { height, ratio } = await many.page.evaluate(() => ({ height: (document.getElementById('view') as HTMLCanvasElement).height, ratio: window.devicePixelRatio }))
  assert.deepEqual({ errors: many.errors, lanes: (await callView<string[]>(many.page, 'lanes')).length }, { errors: [], lanes: 3000 })
  assert.ok(height <= 16_008 * ratio, `canvas ${height} px high`) // 16 000 CSS px and the bottom margin
  await many.page.close()
})
