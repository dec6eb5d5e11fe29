/** A message meant to break out of a page's script element and run, for tests of the view. */
export const HOSTILE_MESSAGE = '</script><img src=x onerror="window.pwned=1"><!--'
/** A field name meant to do the same. */
export const HOSTILE_KEY = '</script><script>window.pwned=2</script>'
