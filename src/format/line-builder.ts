import type { Style } from './colors.ts'

/**
 * Assembles one template line, applying its whitespace rules: a value that prints nothing takes
 * the template whitespace before it along, and the line neither starts nor ends with template
 * whitespace. Values are never trimmed.
 *
 * Literal text waits in `pending` until the next value prints, so these rules only ever trim that
 * short piece of template text: the line itself is appended to, never sliced (slicing would
 * flatten it on every record). A source stretch collects into a buffer of its own and is styled
 * once, when it ends; the text before it stays outside its color.
 */
export class LineBuilder {
  #line = ''
  /** Template text since the last printed value. */
  #pending = ''
  /** Inside a source stretch: the values (and text between them) printed in it so far. */
  #stretch: string | undefined
  /** Template text that came before the current stretch, printed when the stretch prints. */
  #beforeStretch = ''

  /** Template text. */
  text (text: string): void {
    this.#pending += text
  }

  /** A placeholder's value: `undefined` or `''` when there is nothing to print. */
  value (value: string | undefined): void {
    if (value === undefined || value === '') {
      this.#pending = this.#pending.trimEnd()
      // Nothing printed in the stretch yet: the whitespace before the stretch is before this value too.
      if (this.#pending === '' && this.#stretch === '') this.#beforeStretch = this.#beforeStretch.trimEnd()
      return
    }
    if (this.#stretch === undefined) {
      this.#line += (this.#line === '' ? this.#pending.trimStart() : this.#pending) + value
    } else {
      if (this.#stretch === '') this.#enterStretch()
      this.#stretch += this.#pending + value
    }
    this.#pending = ''
  }

  /** The start of a stretch drawn in one style (the source's color). */
  startSource (): void {
    this.#beforeStretch = this.#pending
    this.#pending = ''
    this.#stretch = ''
  }

  /** The end of the stretch: what it printed, in `style`; nothing at all if it printed nothing. */
  endSource (style: Style): void {
    if (this.#stretch === '' && this.#pending === '') {
      this.#pending = this.#beforeStretch
    } else {
      if (this.#stretch === '') this.#enterStretch()
      this.#line += style((this.#stretch ?? '') + this.#pending)
      this.#pending = ''
    }
    this.#stretch = undefined
    this.#beforeStretch = ''
  }

  /** The line, without the template whitespace that would end it (or start it). */
  finish (): string {
    return this.#line + (this.#line === '' ? this.#pending.trim() : this.#pending.trimEnd())
  }

  // The stretch prints: the text before it goes to the line first, outside the stretch's style.
  #enterStretch (): void {
    this.#line += this.#line === '' ? this.#beforeStretch.trimStart() : this.#beforeStretch
    this.#beforeStretch = ''
    if (this.#line === '') this.#pending = this.#pending.trimStart()
  }
}
