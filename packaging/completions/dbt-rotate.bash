# bash completion for dbt-rotate                                    -*- shell-script -*-
# Every command and flag here is checked against `dbt-rotate COMMAND --help` by
# tests/package/check-completions.

_dbt_rotate() {
  local cur prev words cword
  _init_completion || return

  local commands="rotate status init audit doctor lambda sandbox emulate"
  local global="-q --quiet -v --verbose --version -h --help"
  local connection="--account-id --access-url --region --profile --ca-bundle --timeout"
  local command="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      rotate | status | init | audit | doctor | lambda | sandbox | emulate)
        command=${words[i]}
        break
        ;;
    esac
  done

  case "$prev" in
    --ca-bundle | --permissions | --secrets-file | --config)
      _filedir
      return
      ;;
    --output)
      COMPREPLY=($(compgen -W "text json" -- "$cur"))
      return
      ;;
    --overlap)
      COMPREPLY=($(compgen -W "none until-next" -- "$cur"))
      return
      ;;
    --notify)
      COMPREPLY=($(compgen -W "on-failure always" -- "$cur"))
      return
      ;;
    --host)
      COMPREPLY=($(compgen -W "127.0.0.1 ::1" -- "$cur"))
      return
      ;;
    --secret-id | --account-id | --access-url | --region | --profile | --timeout | \
      --token-name | --manager-secret-id | --min-age | --token-id | --description | \
      --latency-ms | --port | --notify-url | --only | --tag | --jobs | --dbt-rate | \
      --sm-write-rate | --max-age | --unused-for)
      return
      ;;
  esac

  local flags
  case "$command" in
    "")
      COMPREPLY=($(compgen -W "$commands $global" -- "$cur"))
      return
      ;;
    rotate)
      flags="--secret-id $connection --token-name --permissions --overlap --manager-secret-id
             --min-age --force --dry-run --takeover --output --notify-url --notify --config
             --only --tag --jobs --dbt-rate --sm-write-rate"
      ;;
    status)
      flags="--secret-id $connection --manager-secret-id --output --config --only --tag --jobs
             --dbt-rate --sm-write-rate"
      ;;
    audit)
      flags="--account-id --access-url --config --manager-secret-id --max-age --unused-for
             --region --profile --ca-bundle --timeout --output"
      ;;
    lambda) flags="" ;;
    init)
      flags="--secret-id $connection --token-id --manager-secret-id --description --force
             --output"
      ;;
    doctor) flags="--secret-id $connection --manager-secret-id --output" ;;
    sandbox) flags="--latency-ms --lambda --output" ;;
    emulate)
      flags="--port --host --secrets-file"
      if [[ $cur != -* ]]; then
        COMPREPLY=($(compgen -W "dbtcloud secretsmanager" -- "$cur"))
        return
      fi
      ;;
  esac
  COMPREPLY=($(compgen -W "$flags -h --help" -- "$cur"))
}
complete -F _dbt_rotate dbt-rotate
