import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's chromium: the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium'

/** Launches headless Chromium; in a container it has no sandbox to run in. */
export async function launchChromium (): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
}

/** A page opened on a view file, with what went wrong in it collected as it happens. */
export interface OpenedView {
  readonly page: Page
  /** Console errors and uncaught exceptions of the page, in order. */
  readonly errors: string[]
  /** Requests the page made besides loading its own file: a self-contained page makes none. */
  readonly requests: string[]
}

/** Opens `file` in a new page of `browser` and waits until the view has drawn its first frame. */
export async function openView (browser: Browser, file: string, viewport = { width: 1400, height: 700 }): Promise<OpenedView> {
  const page = await browser.newPage({ viewport })
  const errors: string[] = []
  const requests: string[] = []
  const url = pathToFileURL(file).href
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()) })
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('request', (request) => { if (request.url() !== url) requests.push(request.url()) })
  await page.goto(url)
  await page.waitForFunction(() => (window as unknown as { threadlogView?: { firstPaintMs: () => number | undefined } }).threadlogView?.firstPaintMs() !== undefined)
  return { page, errors, requests }
}

/** Calls `window.threadlogView[name](...args)` in the page. */
export async function callView<T> (page: Page, name: string, ...args: unknown[]): Promise<T> {
  return await page.evaluate(([name, args]) => {
    const view = (window as unknown as { threadlogView: Record<string, (...a: unknown[]) => unknown> }).threadlogView
    return view[name as string]?.(...(args as unknown[]))
  }, [name, args] as const) as T
}
