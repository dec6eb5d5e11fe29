import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { liveEnv, ps, runLiveCli, startService } from '../helpers/live-service.ts'

test("threadlog set changes a running tree's filter for good, in its own targets too; '' puts back its own", { timeout: 60_000 }, async (t) => {
  const env = liveEnv(t)
  const out = join(env.XDG_RUNTIME_DIR as string, 'service.ndjson')
  env.OUT = out
  const service = await startService(t, env)
  const set = await runLiveCli(['set', String(service.pid), 'thread:resize-2=debug'], env)
  assert.deepEqual(set, { ...set, code: 0, stdout: `live-service (pid ${service.pid}): thread:resize-2=debug\n`, stderr: '' })
  // The set client is gone, the filter stays.
  const [tree] = await ps(env)
  assert.deepEqual({ filter: tree?.filter, clients: tree?.clients }, { filter: 'thread:resize-2=debug', clients: 0 })
  await service.burst(1)
  const marker = readFileSync(out, 'utf8').trimEnd().split('\n').length
  // resize-2 ticks every 20 ms: wait for two more of its debug records in the file, seen as the service writes them.
  let debug: Array<Record<string, unknown>> = []
  while (debug.length < 2) {
    await service.burst(1)
    debug = readFileSync(out, 'utf8').trimEnd().split('\n').slice(marker).map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.level === 20)
  }
  assert.deepEqual([...new Set(debug.map((record) => record.thread))], ['resize-2'])
  const reset = await runLiveCli(['set', 'live-service', ''], env)
  assert.deepEqual({ code: reset.code, stdout: reset.stdout }, { code: 0, stdout: `live-service (pid ${service.pid}): '' (the service's own filter)\n` })
  assert.equal((await ps(env))[0]?.filter, '')
  await service.stop()
})
