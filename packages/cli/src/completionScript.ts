import type { CommandSpec } from './commandTable.js';

/** The shells `completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const TYPES = ['cloneset', 'cs', 'statefulset.apps.kruise.io', 'asts', 'daemonset.apps.kruise.io', 'ads'];

// Words that may follow a command path: its sub-commands, or the workload types when it takes one.
function nextWords(commands: readonly CommandSpec[], prefix: readonly string[]): string[] {
  const deeper = commands.filter((c) => c.path.length > prefix.length && prefix.every((w, i) => c.path[i] === w)).map((c) => c.path[prefix.length] ?? '');
  return [...new Set(deeper)];
}

const flagsOf = (command: CommandSpec) => command.flags.flatMap((f) => [`--${f.name}`, ...(f.short === undefined ? [] : [`-${f.short}`])]);
const takesWorkload = (command: CommandSpec) => command.args.startsWith('(TYPE');
// The types a command takes: the workloads, and sidecarset where its arguments say so.
const typesOf = (command: CommandSpec) => (command.args.includes('sidecarset') ? [...TYPES, 'sidecarset'] : TYPES);

function bash(commands: readonly CommandSpec[]): string {
  const cases = commands.map((c) => `    "${c.path.join(' ')}") words="${[...flagsOf(c), ...(takesWorkload(c) ? typesOf(c) : [])].join(' ')}" ;;`);
  const groups = [...new Set(commands.filter((c) => c.path.length > 1).map((c) => c.path[0] ?? ''))].map((g) => `    "${g}") words="${nextWords(commands, [g]).join(' ')}" ;;`);
  return `# bash completion for kruise-ts (generated from its command table)
_kruise_ts() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w words=""
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$w" in -*) ;; *) path="\${path:+$path }$w" ;; esac
  done
  case "$path" in
    "") words="${nextWords(commands, []).join(' ')}" ;;
${groups.join('\n')}
${cases.join('\n')}
  esac
  # Past a full command, keep offering its flags and types.
  if [[ -z "$words" ]]; then
    case "$path" in
${commands.map((c) => `      "${c.path.join(' ')}"*) words="${flagsOf(c).join(' ')}" ;;`).join('\n')}
    esac
  fi
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -F _kruise_ts kruise-ts
complete -F _kruise_ts kubectl-kruise_ts
`;
}

function zsh(commands: readonly CommandSpec[]): string {
  return `#compdef kruise-ts kubectl-kruise_ts
# zsh completion for kruise-ts (generated from its command table): uses the bash script through bashcompinit.
autoload -U +X bashcompinit && bashcompinit
${bash(commands).replace(/^# bash completion.*\n/, '')}`;
}

function fish(commands: readonly CommandSpec[]): string {
  const lines = ['# fish completion for kruise-ts (generated from its command table)', 'complete -c kruise-ts -f'];
  const seen = new Set<string>();
  for (const c of commands) {
    for (let depth = 0; depth < c.path.length; depth++) {
      const prefix = c.path.slice(0, depth);
      const word = c.path[depth] ?? '';
      const key = [...prefix, word].join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      const condition = depth === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${prefix.at(-1) ?? ''}`;
      const summary = depth === c.path.length - 1 ? (c.summary.split('. ')[0] ?? '').replaceAll("'", '') : '';
      lines.push(`complete -c kruise-ts -n '${condition}' -a ${word}${summary === '' ? '' : ` -d '${summary}'`}`);
    }
    const last = c.path.at(-1) ?? '';
    for (const f of c.flags) {
      lines.push(`complete -c kruise-ts -n '__fish_seen_subcommand_from ${last}' -l ${f.name}${f.short === undefined ? '' : ` -s ${f.short}`}${f.type === 'string' ? ' -r' : ''} -d '${f.description.replaceAll("'", '')}'`);
    }
    if (takesWorkload(c)) lines.push(`complete -c kruise-ts -n '__fish_seen_subcommand_from ${last}' -a '${typesOf(c).join(' ')}'`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Returns the completion script of a shell, generated from the command table: every command
 * word, every flag of each command, and the workload types where a command takes one.
 *
 * @example completionScript('bash', COMMANDS) → a script ending 'complete -F _kruise_ts kruise-ts\n...'
 */
export function completionScript(shell: Shell, commands: readonly CommandSpec[]): string {
  return shell === 'bash' ? bash(commands) : shell === 'zsh' ? zsh(commands) : fish(commands);
}
