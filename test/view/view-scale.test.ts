// 200 000 records from a real process tree, through the real CLI, into headless Chromium. The
// page's size is asserted (columns keep it well under the NDJSON's); times are measured and
// printed, never asserted: this machine is shared and its speed varies.
import assert from 'node:assert/strict'
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'
import { callView, launchChromium, openView } from '../helpers/view-browser.ts'
import { readViewFile, runViewCli } from '../helpers/view-cli.ts'

// 5 records per request, and a warning every 10th: 204 000 records, and the hub's lifecycle records.
const REQUESTS = 40_000
const MAX_SIZE_RATIO = 2.5

test('200 000 records: the page is under 2.5× the NDJSON, loads without errors; first paint measured', async (t) => {
  const run = await runFixture('view-requests.ts', [], { FIXTURE: JSON.stringify({ requests: REQUESTS }) }, t.signal)
  assert.equal(run.code, 0, run.stderr)
  const input = tempFile('200k.ndjson')
  writeFileSync(input, run.stdout)
  const lines = run.stdout.split('\n').filter((line) => line !== '').length
  assert.ok(lines >= REQUESTS * 5.1, `${lines} records`)
  const out = tempFile('200k.html')
  const started = performance.now()
  const cli = await runViewCli([input, '--out', out])
  const cliMs = performance.now() - started
  assert.equal(cli.code, 0, cli.stderr)
  assert.equal(readViewFile(out).dt.length, lines, 'every record is in the page')
  const [ndjsonBytes, htmlBytes] = [statSync(input).size, statSync(out).size]
  const ratio = htmlBytes / ndjsonBytes
  assert.ok(ratio < MAX_SIZE_RATIO, `the page is ${ratio.toFixed(2)}× the NDJSON`)

  const browser = await launchChromium()
  try {
    const loadStarted = performance.now()
    const { page, errors } = await openView(browser, out)
    const loadMs = performance.now() - loadStarted
    assert.deepEqual(errors, [])
    assert.equal(await callView(page, 'recordCount'), lines)
    assert.equal((await callView<string[]>(page, 'lanes')).length, 4)
    const firstPaintMs = await callView<number>(page, 'firstPaintMs')
    const redraws = []
    for (let i = 0; i < 5; i++) redraws.push(await callView<number>(page, 'measureDraw'))
    const shots = mkdtempSync(join(tmpdir(), 'threadlog-view-shots-'))
    await page.screenshot({ path: join(shots, '200k.png'), fullPage: true })
    console.log(`# ${lines} records: NDJSON ${(ndjsonBytes / 1e6).toFixed(1)} MB, page ${(htmlBytes / 1e6).toFixed(1)} MB (${ratio.toFixed(2)}×); ` +
      `CLI ${cliMs.toFixed(0)} ms; first paint ${firstPaintMs.toFixed(0)} ms after navigation (${loadMs.toFixed(0)} ms from goto); ` +
      `a full redraw ${Math.min(...redraws).toFixed(1)}–${Math.max(...redraws).toFixed(1)} ms; screenshot ${join(shots, '200k.png')}`)
  } finally {
    await browser.close()
  }
})
