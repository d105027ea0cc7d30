#!/usr/bin/env bash
# The site in a real browser. Builds a sample register with the release
# binary (entries of several topics, ratings and organisations, one through
# the whole review pipeline, one retracted), writes its site, then has
# Debian's Chromium, headless and driven by playwright-core (check.mjs), load
# the pages from the files, work the practice bank's filters, check that no
# request leaves the machine, and save screenshots.
#
#   bash tests/browser/check.sh [SCREENSHOT_DIR]     default: target/site-screenshots
#
# Installs Debian's chromium (and node and npm) when absent, as root or
# through sudo. CHROMIUM=/path/to/chromium uses another build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shots="${1:-$repo/target/site-screenshots}"

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo -n "$@"
  else
    echo "check.sh: installing needs root or sudo: $*" >&2
    return 1
  fi
}

missing=()
[ -n "${CHROMIUM:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} from Debian"
  # Wait for another apt (an unattended upgrade, say) rather than fail.
  as_root apt-get -o DPkg::Lock::Timeout=300 update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}"
fi
echo "== $(node --version) node, $("${CHROMIUM:-/usr/bin/chromium}" --version || echo chromium)"
# playwright-core exits at once on an older Node (Debian 12's own is 18).
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "check.sh: playwright-core needs Node 20 or later, and this machine has $(node --version); install a newer Node and run again" >&2
  exit 1
fi

echo "== playwright-core, as package-lock.json pins it"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

echo "== practice, release build"
cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml"
target="$(cd "$repo" && cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
practice="$target/release/practice"
if [ -z "$target" ] || [ ! -x "$practice" ]; then
  echo "check.sh: cannot find the release build of practice (looked in '$target'); run cargo build --release" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
reg="$work/register"
mkdir -p "$work/home"
# Nothing from this machine's git config, and no terminal to ask at.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
unset PRACTICE_REGISTER GIT_AUTHOR_DATE GIT_COMMITTER_DATE EMAIL

# `as NAME EMAIL practice-args…`: one action, by one person, in the register.
# What the actions say goes to a log, shown if one fails.
as() {
  local name="$1" email="$2"
  shift 2
  if ! (cd "$reg" && GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" \
    GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email" \
    "$practice" --no-input "$@" </dev/null 2>>"$work/actions.log"); then
    echo "check.sh: \`practice $*\` failed building the sample register:" >&2
    tail -n 3 "$work/actions.log" >&2
    exit 1
  fi
}
editor() { as "Sam Editor" sam.editor@college.police.uk "$@"; }

echo "== a sample register in $reg"
mkdir -p "$reg"
editor init >/dev/null
editor roster add --partner college-of-policing --name "Alex Shaw" --email alex.shaw@college.police.uk
editor roster add --partner npcc --name "Pat Chief" --email pat.chief@npcc.police.uk
editor roster add --partner hmicfrs --name "Kim Inspector" --email kim.inspector@hmicfrs.gov.uk
editor roster add --partner iopc --name "Ray Conduct" --email ray.conduct@policeconduct.gov.uk

# One activity through the whole pipeline: submitted, reviewed by all four
# partners, written up and published as smarter practice.
id="$(as "Jo Bloggs" jo.bloggs@dorset.police.uk submit \
  --title "Enhanced video response (EVR)" --organisation dorset \
  --topic "Vulnerable people" --focus Prevention --target-group Victims \
  --scale Local --implementation implemented \
  --summary "Video calls to victims of domestic abuse instead of a wait for a visit." \
  --problem "Victims waited hours for an officer to attend." \
  --aim "To reach victims sooner." \
  --activity "Officers answered by live video call.")"
as "Alex Shaw" alex.shaw@college.police.uk review "$id" --decision suitable
as "Pat Chief" pat.chief@npcc.police.uk review "$id" --decision suitable
as "Kim Inspector" kim.inspector@hmicfrs.gov.uk review "$id" --decision suitable
as "Ray Conduct" ray.conduct@policeconduct.gov.uk review "$id" --decision suitable
editor write-up "$id"
report="submissions/$id/report.yaml"
sed -i -e "s/^impact: ''/impact: Victims were reached in minutes rather than hours./" \
  -e "s/^learning: ''/learning: Start with one shift pattern./" \
  -e "s/^resources: ''/resources: A video platform licence./" "$reg/$report"
editor write-up "$id" --file "$report"
editor publish "$id" --yes

# Entries published before the register, in both parts of the published set.
entry() { # title organisation topic kind rating summary
  local file="$work/entry.yaml"
  cat >"$file" <<YAML
title: $1
summary: "$6"
organisations: [$2]
topic: $3
kind: $4
rating: $5
published: { on: 2023-11-14, by: { name: Sam Editor, email: sam.editor@college.police.uk } }
imported: { source: "the College's smarter practice page" }
YAML
  editor import --file "$file" # prints the new id
}
entry "Railway Guardian" btp "Violence against women and girls" smarter-practice smarter-practice "Officers on trains watch for predatory behaviour." >/dev/null
entry "Habitual knife carrier index" sussex "Serious violence and homicide" smarter-practice smarter-practice "" >/dev/null
entry "Operation Provide" lancashire "Serious violence and homicide" smarter-practice smarter-practice "" >/dev/null
entry "Safer Sleep" merseyside "Vulnerable people" practice-bank promising "Safe sleeping advice for parents of young babies." >/dev/null
entry "Begging resources guidance" surrey "Anti-social behaviour" practice-bank worked "" >/dev/null
entry "Street triage car" "dorset, NHS Dorset" "Mental health" practice-bank new-or-innovative "" >/dev/null
entry "Night-time economy marshals" kent "Violence against women and girls" practice-bank did-not-work "" >/dev/null
gone="$(entry "Operation Withdrawn" kent Drugs practice-bank worked "")"
editor retract "$gone" --reason "The evaluation was withdrawn" --yes

echo "== practice site"
(cd "$reg" && "$practice" site --out "$work/site")

echo "== Chromium, headless, from the files"
node "$here/check.mjs" "$work/site" "$shots"
