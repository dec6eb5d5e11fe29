// grep's exit codes, so that `threadlog --thread 3 app.log && …` reads as it would with grep.

/** At least one record was selected. */
export const EXIT_MATCHED = 0
/** Nothing was selected (an empty input too). */
export const EXIT_NO_MATCH = 1
/** A usage error, an input that could not be read, or output that could not be written. */
export const EXIT_TROUBLE = 2
