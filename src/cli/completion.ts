import { ATTACH_OPTION_NAMES, OPTION_NAMES, OPTIONS_WITH_VALUE } from './args.ts'
import { UsageError } from './usage-error.ts'

// Values that options take from a fixed list; the others complete to nothing (or files).
const VALUES: Readonly<Record<string, string>> = {
  '--level': 'trace debug info warn error fatal',
  '--output': 'pretty ndjson',
  '-o': 'pretty ndjson'
}

/** The subcommands, completed as the first word beside files. */
const SUBCOMMANDS = 'attach completion ps set view'
const PS_OPTIONS = '--json --help -h'

/** Options that take a value and complete to nothing: the filter command's and `attach --set`'s. */
function valuedOptions (): string {
  return [...OPTIONS_WITH_VALUE, '--set'].filter((option) => option !== '' && !(option in VALUES)).join('|')
}

function bashScript (): string {
  const cases = Object.entries(VALUES).map(([option, words]) => `    ${option}) COMPREPLY=($(compgen -W '${words}' -- "$cur")); return ;;`)
  return `# threadlog completion for bash: source <(threadlog completion bash)
_threadlog() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} sub=\${COMP_WORDS[1]}
  case "$prev" in
${cases.join('\n')}
    ${valuedOptions()}) return ;;
  esac
  case "$sub" in
    ps) COMPREPLY=($(compgen -W '${PS_OPTIONS}' -- "$cur")); return ;;
    attach) [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W '${ATTACH_OPTION_NAMES.join(' ')}' -- "$cur")); return ;;
    set|completion) return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W '${OPTION_NAMES.join(' ')}' -- "$cur"))
  elif (( COMP_CWORD == 1 )); then
    COMPREPLY=($(compgen -W '${SUBCOMMANDS}' -- "$cur") $(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _threadlog threadlog
`
}

function zshScript (): string {
  const cases = Object.entries(VALUES).map(([option, words]) => `    ${option}) compadd -- ${words}; return ;;`)
  return `#compdef threadlog
# threadlog completion for zsh: source <(threadlog completion zsh)
_threadlog() {
  case "\${words[CURRENT-1]}" in
${cases.join('\n')}
    ${valuedOptions()}) return ;;
  esac
  case "\${words[2]}" in
    ps) compadd -- ${PS_OPTIONS}; return ;;
    attach) [[ "\${words[CURRENT]}" == -* ]] && compadd -- ${ATTACH_OPTION_NAMES.join(' ')}; return ;;
    set|completion) (( CURRENT > 2 )) && return ;;
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    compadd -- ${OPTION_NAMES.join(' ')}
  elif (( CURRENT == 2 )); then
    compadd -- ${SUBCOMMANDS}
    _files
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
