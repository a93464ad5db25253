# Sourced by the stack and test drivers: installs Debian packages the local stack or the tests need, when missing.
# require_debian_packages "<what needs them, for the message>" [apt-get option...] <package>...
require_debian_packages() {
  local why=$1
  shift
  local packages=()
  for arg in "$@"; do [[ $arg == -* ]] || packages+=("$arg"); done
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's ${packages[*]} for ${why}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "${why} needs Debian's ${packages[*]}: install them (as root: apt-get install ${packages[*]})" >&2
    exit 1
  fi
}
