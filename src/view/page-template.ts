import { createHash } from 'node:crypto'
import { LEVEL_COLORS } from './page/model.ts'
import { buildPageScript } from './page-script.ts'
import { PAGE_STYLE } from './page-style.ts'
import { encodeForScriptElement, type ViewData } from './view-data.ts'

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text as HTML text or attribute value: the only way anything but the data block enters the markup. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string)
}

const LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']

const FILTER_HELP = `<details><summary>filter syntax</summary><div>
<p>Terms separated by spaces; every term must hold.</p>
<p><code>thread:resize-*</code> <code>proc:api</code> <code>pid:4242</code> <code>tid:3</code>: which lanes show (<code>*</code> and <code>?</code> match any text, one character).</p>
<p><code>level&gt;=warn</code> <code>level=error</code> <code>level&lt;30</code>: by level (label or number).</p>
<p><code>reqId=7f3a</code> <code>user!=42</code>: by a field's value as text (globs too).</p>
<p><code>timeout</code> <code>-retry</code>: the message contains (or lacks) a word, in any case.</p>
<p>A lane without any record that passes is hidden. Wheel: zoom; drag: pan; click a mark: select every record of its request
(its <code>reqId</code>, or the field you choose); Escape: clear.</p></div></details>`

function legend (): string {
  return LEVEL_NAMES.map((name, index) =>
    `<span><span style="display:inline-block;width:9px;height:9px;background:${LEVEL_COLORS[index] as string}"></span> ${name}</span>`).join(' ')
}

// The page may run its own script and style, load nothing and send nothing: a record that somehow
// became markup still could not run a script or reach the network.
function contentSecurityPolicy (script: string): string {
  const hash = createHash('sha256').update(script).digest('base64')
  return `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:`
}

/** The whole page: markup, style, the data block and the script, in one self-contained HTML file. */
export function renderViewPage (data: ViewData): string {
  const script = buildPageScript()
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>threadlog view: ${escapeHtml(data.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>threadlog view</h1>
<input id="filter" type="search" spellcheck="false" autocomplete="off" placeholder="thread:resize-* level>=warn reqId=7f3a" aria-label="filter">
<span id="filter-errors"></span>
<button id="reset" type="button">whole log</button>
${FILTER_HELP}
<span>${legend()}</span>
<span id="status"></span>
</header>
<div id="detail" hidden></div>
<canvas id="view"></canvas>
<div id="tooltip" hidden></div>
<script type="application/json" id="threadlog-data">${encodeForScriptElement(data)}</script>
<script>${script}</script>
</body>
</html>
`
}
