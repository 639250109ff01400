/**
 * The shell side of completion: both scripts ask `tsrun __complete INDEX WORDS...` (the same
 * executable the user typed, so `./bin/tsrun.js` completes too) and show what it prints. A line
 * `:files` asks the shell to add file names.
 */
export const BASH_SCRIPT = `# tsrun bash completion. Load with:  source <(tsrun completion bash)
_tsrun_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out line files=0
  COMPREPLY=()
  out=$("\${COMP_WORDS[0]}" __complete "$((COMP_CWORD - 1))" "\${COMP_WORDS[@]:1}" 2>/dev/null) || return 0
  while IFS= read -r line; do
    if [[ $line == :files ]]; then files=1; elif [[ -n $line ]]; then COMPREPLY+=("$line"); fi
  done <<< "$out"
  if (( files )); then
    local f
    while IFS= read -r f; do [[ -n $f ]] && COMPREPLY+=("$f"); done < <(compgen -f -- "$cur")
    compopt -o filenames 2>/dev/null
  fi
  return 0
}
complete -F _tsrun_complete tsrun
`;

export const ZSH_SCRIPT = `#compdef tsrun
# tsrun zsh completion. Load with:  source <(tsrun completion zsh)   (after compinit)
_tsrun() {
  local -a out values
  local files=0 line
  out=("\${(@f)$("\${words[1]}" __complete "$((CURRENT - 2))" "\${(@)words[2,-1]}" 2>/dev/null)}")
  for line in "\${out[@]}"; do
    if [[ $line == :files ]]; then files=1; elif [[ -n $line ]]; then values+=("$line"); fi
  done
  (( \${#values} )) && compadd -Q -S '' -- "\${values[@]}"
  (( files )) && _files
  return 0
}
if (( $+functions[compdef] )); then compdef _tsrun tsrun; fi
`;
