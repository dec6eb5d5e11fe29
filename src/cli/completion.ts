import { OPTION_NAMES, OPTIONS_WITH_VALUE } from './args.ts'
import { UsageError } from './usage-error.ts'

// Values that options take from a fixed list; the others complete to nothing (or files).
const VALUES: Readonly<Record<string, string>> = {
  '--level': 'trace debug info warn error fatal',
  '--output': 'pretty ndjson',
  '-o': 'pretty ndjson'
}

function bashScript (): string {
  const cases = Object.entries(VALUES).map(([option, words]) => `    ${option}) COMPREPLY=($(compgen -W '${words}' -- "$cur")); return ;;`)
  const valued = [...OPTIONS_WITH_VALUE].filter((option) => option !== '' && !(option in VALUES)).join('|')
  return `# threadlog completion for bash: source <(threadlog completion bash)
_threadlog() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  case "$prev" in
${cases.join('\n')}
    ${valued}) return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W '${OPTION_NAMES.join(' ')}' -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _threadlog threadlog
`
}

function zshScript (): string {
  const cases = Object.entries(VALUES).map(([option, words]) => `    ${option}) compadd -- ${words}; return ;;`)
  const valued = [...OPTIONS_WITH_VALUE].filter((option) => option !== '' && !(option in VALUES)).join('|')
  return `#compdef threadlog
# threadlog completion for zsh: source <(threadlog completion zsh)
_threadlog() {
  case "\${words[CURRENT-1]}" in
${cases.join('\n')}
    ${valued}) return ;;
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    compadd -- ${OPTION_NAMES.join(' ')}
  else
    _files
  fi
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then _threadlog "$@"; else compdef _threadlog threadlog; fi
`
}

/**
 * `threadlog completion bash|zsh`: prints a completion script for the shell, to `source`.
 *
 * @throws {UsageError} when the shell is missing or not one of those.
 */
export function printCompletion (args: string[]): number {
  const [shell, ...extra] = args
  if ((shell !== 'bash' && shell !== 'zsh') || extra.length > 0) {
    throw new UsageError(`completion needs one shell, bash or zsh, got '${args.join(' ')}'`)
  }
  process.stdout.write(shell === 'bash' ? bashScript() : zshScript())
  return 0
}
