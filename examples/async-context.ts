// withContext attaches fields to every record logged inside a scope, across awaits, without passing
// a child logger around; call fields win over context fields of the same name.
//
//   node examples/async-context.ts
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { createLogger, getContext, withContext } from '../src/index.ts'

const log = createLogger({ name: 'ctx-example' })

async function loadUser (id: number): Promise<void> {
  log.info({ id }, 'loading user')
  await nextTurn()
  log.info({ fields: Object.keys(getContext()) }, 'user loaded')
}

async function handleRequest (reqId: string): Promise<void> {
  await withContext({ reqId, route: '/users' }, async () => {
    log.info('request received')
    await withContext({ step: 'db' }, () => loadUser(7))
    log.info({ route: '/users/7' }, 'responding (route overridden by the call)')
  })
}

await Promise.all([handleRequest('a1'), handleRequest('b2')])
log.info('outside any request: no context fields')
