/** The page's style sheet: the toolbar, the detail panel and the tooltip (the canvas draws the rest). */
export const PAGE_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px system-ui, sans-serif; color: #202124; background: #fff; }
header { position: sticky; top: 0; z-index: 2; display: flex; gap: 10px; align-items: center; flex-wrap: wrap;
  padding: 6px 10px; background: #f8f9fa; border-bottom: 1px solid #dadce0; }
header h1 { font-size: 14px; margin: 0; }
#filter { width: 28em; font: 13px ui-monospace, monospace; padding: 3px 6px; }
#filter-errors { color: #d93025; }
#status { color: #5f6368; }
details { position: relative; }
details > div { position: absolute; z-index: 3; background: #fff; border: 1px solid #dadce0; padding: 8px 12px; width: 34em; }
details code { font: 12px ui-monospace, monospace; }
#detail { position: fixed; z-index: 3; right: 0; bottom: 0; width: min(44em, 60vw); max-height: 45vh; overflow: auto;
  border: 1px solid #dadce0; padding: 4px 10px; background: #fffef3; box-shadow: 0 0 6px rgb(0 0 0 / 15%); }
#detail pre { margin: 4px 0; white-space: pre-wrap; word-break: break-all; font: 12px ui-monospace, monospace; }
#detail button { font: 12px ui-monospace, monospace; margin: 0 3px; }
#detail button.active { background: #7b1fa2; color: #fff; }
canvas { display: block; cursor: crosshair; }
#tooltip { position: fixed; z-index: 4; pointer-events: none; background: #202124; color: #fff; padding: 6px 8px;
  border-radius: 4px; max-width: 46em; white-space: pre-wrap; word-break: break-all; font: 12px ui-monospace, monospace; }
[hidden] { display: none !important; }
`
