#!/usr/bin/env bash
# The system prerequisites of the course: the ONE list that `make book`, `make test` and
# `.ci/run` check (everything else is a pinned Python package in requirements.txt).
#
#   tools/prerequisites.sh check   [test|book]   report what is missing, in seconds; exit 1 with
#                                                the exact command that installs it
#   tools/prerequisites.sh install [test|book]   install what is missing with apt-get (as root)
#   tools/prerequisites.sh auto    [test|book]   install when run as root on a system with
#                                                apt-get, otherwise check
#   tools/prerequisites.sh list    [test|book]   print the Debian package names, one a line
#
# The purpose (default: test) selects the entries: the website build needs no browser.
# Overrides, for tests and unusual systems: NT_PREREQ_ROOT (a folder that stands for "/" when
# looking for files), NT_CHROMIUM (the browser the website tests drive), NT_VENV (the virtual
# environment; python3-venv is needed only to create it).
set -u

mode=${1:-check}
purpose=${2:-test}
root=${NT_PREREQ_ROOT:-}
venv=${NT_VENV:-.venv}
macos=false
case ${OSTYPE:-} in darwin*) macos=true ;; esac

# Debian package | needed for | what it is for
LIST='make|test book|runs the commands of the README
python3-venv|test book|creates the virtual environment .venv
dataset-fashion-mnist|test book|the Fashion-MNIST images (/usr/share/datasets/fashion-mnist)
chromium|test|the real browser that the website tests drive (/usr/bin/chromium)
fonts-wqy-microhei|test|a CJK font, so that screenshots show the Chinese edition and the glossary'"'"'s terms'

FASHION_FILES="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"

case $purpose in test|book) ;; *) echo "unknown purpose '$purpose' (test or book)" >&2; exit 2;; esac

# Is the Debian package's job done on this system? (Looks for what it provides, not at dpkg:
# a non-Debian system that has the same thing some other way passes too.)
present() {
  case $1 in
    make) command -v make >/dev/null 2>&1 ;;
    python3-venv)
      [ -x "$venv/bin/python" ] || python3 -c 'import venv, ensurepip' >/dev/null 2>&1 ;;
    dataset-fashion-mnist)
      local f
      for f in $FASHION_FILES; do
        [ -s "$root/usr/share/datasets/fashion-mnist/$f" ] || return 1
      done ;;
    chromium) [ -n "$(chromium_path)" ] ;;
    fonts-wqy-microhei) cjk_font ;;
    *) return 1 ;;
  esac
}

chromium_path() {
  local path
  if [ -n "${NT_CHROMIUM:-}" ]; then
    [ -x "$NT_CHROMIUM" ] && echo "$NT_CHROMIUM"
    return 0
  fi
  if [ -x "$root/usr/bin/chromium" ]; then echo "$root/usr/bin/chromium"; return 0; fi
  if [ -z "$root" ]; then
    path=$(command -v chromium 2>/dev/null) && echo "$path"
  fi
  return 0
}

# A Chromium that Playwright downloaded (`python -m playwright install chromium`), if any.
playwright_chromium() {
  local base=${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}
  $macos && base=${PLAYWRIGHT_BROWSERS_PATH:-$HOME/Library/Caches/ms-playwright}
  local candidate
  for candidate in "$base"/chromium-*/chrome-linux*/chrome \
                   "$base"/chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 0
}

cjk_font() {
  $macos && return 0  # macOS ships CJK fonts
  if [ -z "$root" ] && command -v fc-list >/dev/null 2>&1; then
    [ -n "$(fc-list :lang=zh 2>/dev/null)" ]
    return
  fi
  compgen -G "$root/usr/share/fonts/*/wqy/*" >/dev/null \
    || compgen -G "$root/usr/share/fonts/*/noto-cjk/*" >/dev/null \
    || compgen -G "$root/usr/share/fonts/*/noto/*CJK*" >/dev/null
}

wanted() {  # the Debian names for this purpose
  local name uses what
  while IFS='|' read -r name uses what; do
    case " $uses " in *" $purpose "*) echo "$name" ;; esac
  done <<< "$LIST"
}

why() {
  local name uses what
  while IFS='|' read -r name uses what; do
    [ "$name" = "$1" ] && { echo "$what"; return; }
  done <<< "$LIST"
}

missing=()
for package in $(wanted); do
  present "$package" || missing+=("$package")
done

if [ "$mode" = list ]; then
  wanted
  exit 0
fi

is_root=false
[ "${EUID:-1}" = 0 ] && is_root=true
has_apt=false
command -v apt-get >/dev/null 2>&1 && has_apt=true

if [ "$mode" = auto ]; then
  if $is_root && $has_apt; then mode=install; else mode=check; fi
fi

if [ ${#missing[@]} -eq 0 ]; then
  [ "$mode" = install ] || [ -n "${NT_PREREQ_QUIET:-}" ] \
    || echo "prerequisites for make $purpose: all present"
  exit 0
fi

if [ "$mode" = install ]; then
  if ! $is_root || ! $has_apt; then
    echo "tools/prerequisites.sh install needs root and apt-get; missing: ${missing[*]}" >&2
    exit 1
  fi
  echo "installing the missing prerequisites: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
    || exit 1
  still=()
  for package in "${missing[@]}"; do present "$package" || still+=("$package"); done
  if [ ${#still[@]} -gt 0 ]; then
    echo "installed, yet still not found: ${still[*]}" >&2
    exit 1
  fi
  exit 0
fi

[ "$mode" = check ] || { echo "unknown mode '$mode' (check, install, auto or list)" >&2; exit 2; }

{
  echo "make $purpose needs these system packages, which are missing:"
  for package in "${missing[@]}"; do
    printf '  %-22s %s\n' "$package" "$(why "$package")"
  done
  echo
  if $has_apt; then
    sudo=""
    $is_root || sudo="sudo "
    echo "Install them with:"
    echo
    echo "  ${sudo}apt-get update && ${sudo}apt-get install -y ${missing[*]}"
  elif $macos; then
    echo "On macOS: install make with the Xcode command line tools (xcode-select --install);"
    echo "Python 3.11 from python.org or Homebrew (brew install python@3.11) includes venv;"
    echo "Chromium with Homebrew (brew install --cask chromium), then"
    echo "  export NT_CHROMIUM=/Applications/Chromium.app/Contents/MacOS/Chromium"
  else
    echo "This system has no apt-get. Install the equivalent packages with its package manager:"
    echo "make; Python's venv module; Chromium; a CJK font (Noto Sans CJK or WenQuanYi Micro Hei)."
  fi
  case " ${missing[*]} " in
    *" dataset-fashion-mnist "*)
      $has_apt || echo "Fashion-MNIST: put the four standard IDX files ($FASHION_FILES)" \
        "into $root/usr/share/datasets/fashion-mnist/ (Debian's package dataset-fashion-mnist" \
        "installs exactly these)." ;;
  esac
  case " ${missing[*]} " in
    *" chromium "*)
      echo
      found=$(playwright_chromium)
      if [ -n "$found" ]; then
        echo "A Chromium that Playwright downloaded is here; to use it instead, run:"
        echo "  export NT_CHROMIUM=$found"
      else
        echo "Online alternative to a system Chromium: let Playwright download its own, then"
        echo "point the tests at it (printed by the same command on its next run):"
        echo "  .venv/bin/python -m playwright install chromium"
        echo "  export NT_CHROMIUM=<the chrome executable it installed>"
      fi ;;
  esac
} >&2
exit 1
