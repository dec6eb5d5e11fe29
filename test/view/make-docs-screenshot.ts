// Makes docs/view.png, the README's picture of `threadlog view`: the demo's records (npm run demo,
// piped, so NDJSON) through the real CLI, in the same headless Chromium and with the same helpers
// as the view's tests, zoomed to where the work is, one request selected across its lanes.
//
//   npm run docs:screenshot
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseNdjson } from '../helpers/read-records.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'
import { tempFile } from '../helpers/temp-file.ts'
import { callView, launchChromium, openView } from '../helpers/view-browser.ts'
import { runViewCli } from '../helpers/view-cli.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const OUT = join(ROOT, 'docs', 'view.png')

const demo = await runProcess(process.execPath, [join(ROOT, 'examples', 'demo.ts')], { env: minimalEnv() })
assert.equal(demo.code, 0, demo.stderr)
// A request that crosses three lanes: dispatched by main, converted with a warning in a worker, archived by the child.
const records = parseNdjson(demo.stdout)
const warned = records.find((record) => record.level === 40 && record.file === 'scan.bmp')
assert.ok(warned !== undefined, 'the demo warns about scan.bmp')
const input = tempFile('demo.ndjson')
writeFileSync(input, demo.stdout)
const page = tempFile('demo.html')
const cli = await runViewCli([input, '--out', page])
assert.equal(cli.code, 0, cli.stderr)

const browser = await launchChromium()
try {
  const { page: view, errors } = await openView(browser, page, { width: 1280, height: 600 })
  assert.deepEqual(errors, [])
  const request = await callView<number[]>(view, 'recordsWhere', 'reqId', warned.reqId)
  const archived = request[request.length - 1] as number
  assert.match(await callView<string>(view, 'laneOf', archived), /^archiver:/)
  // Worker threads take a while to start: zoom to where the work is (the request's dispatch stays left of it).
  const workTimes = records.filter((record) => record.tid !== 0 && record.thread !== 'threadlog-hub').map((record) => record.time as number)
  const [from, to] = [Math.min(...workTimes), Math.max(...records.map((record) => record.time as number))]
  await callView(view, 'setVisibleRange', from - (to - from) * 0.1, to + (to - from) * 0.05)
  await callView(view, 'select', archived)
  await view.screenshot({ path: OUT })
  console.log(`wrote ${OUT}`)
} finally {
  await browser.close()
}
