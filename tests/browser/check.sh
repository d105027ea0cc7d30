#!/usr/bin/env bash
# The site in a real browser, checked as a third party would check it.
# Builds a sample register with the release binary (entries of several
# topics, ratings and organisations, one through the whole review
# pipeline, one retracted) and a 4,000-entry one with the generator
# (examples/generate.rs), writes both sites, validates every page of both
# with the Nu HTML checker
# (npm's vnu-jar, on Debian's Java), then has Debian's Chromium, headless
# and driven by playwright-core (check.mjs), load the pages from the files:
# axe-core on every page type at 1280, 375 and 320 px and at 200% zoom,
# focus in forced colours, no sideways scrolling at 320 px or 400% zoom,
# the bank's filters and their address, their speed on 4,000 entries, page
# sizes, and screenshots at both widths.
#
#   bash tests/browser/check.sh [SCREENSHOT_DIR]     default: target/site-screenshots
#
# Installs Debian's chromium, Java, node and npm when absent, as root or
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
command -v java >/dev/null || missing+=(default-jre-headless)
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

echo "== $(java -version 2>&1 | head -1)"
echo "== playwright-core, axe-core and vnu-jar, as package-lock.json pins them"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

echo "== practice, release build"
cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml" --bin practice --example generate
target="$(cd "$repo" && cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
practice="$target/release/practice"
generate="$target/release/examples/generate"
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
entry() { # title organisation topic kind rating summary [source]
  local file="$work/entry.yaml" source=${7:-"the College's smarter practice page"}
  cat >"$file" <<YAML
title: $1
summary: "$6"
organisations: [$2]
topic: $3
kind: $4
rating: $5
published: { on: 2023-11-14, by: { name: Sam Editor, email: sam.editor@college.police.uk } }
imported: { source: "$source" }
YAML
  editor import --file "$file" # prints the new id
}
entry "Railway Guardian" btp "Violence against women and girls" smarter-practice smarter-practice "Officers on trains watch for predatory behaviour." >/dev/null
entry "Habitual knife carrier index" sussex "Serious violence and homicide" smarter-practice smarter-practice "" >/dev/null
entry "Operation Provide" lancashire "Serious violence and homicide" smarter-practice smarter-practice "" >/dev/null
entry "Safer Sleep" merseyside "Vulnerable people" practice-bank promising "Safe sleeping advice for parents of young babies." >/dev/null
entry "Begging resources guidance" surrey "Anti-social behaviour" practice-bank worked "" >/dev/null
# A long address and a long word, which must wrap on a phone.
entry "Street triage car" "dorset, NHS Dorset" "Mental health" practice-bank new-or-innovative \
  "Mental health nurses ride with officers; see https://www.dorset.police.uk/news-and-appeals/street-triage-car-evaluation-report-2023-final-version or email streettriage.coordinator@dorset.police.uk (Multiagencypartnershipcoordinationarrangements)." \
  "the College's page About smarter practice, https://www.college.police.uk/support-forces/practices/smarter-practice" >/dev/null
entry "Night-time economy marshals" kent "Violence against women and girls" practice-bank did-not-work "" >/dev/null
gone="$(entry "Operation Withdrawn" kent Drugs practice-bank worked "")"
editor retract "$gone" --reason "The evaluation was withdrawn" --yes

echo "== practice site"
(cd "$reg" && "$practice" site --out "$work/site")

# A national bank: 10,260 activities, of which 4,001 are published.
echo "== a register of 4,000 entries (the generator), and its site"
# Generated once into target/ (about a minute) and reused, as the
# benchmark's registers are.
large="$target/browser-register/10260"
if [ ! -d "$large/.git" ]; then
  rm -rf "$large.tmp"
  mkdir -p "$(dirname "$large")"
  "$generate" "$large.tmp" 10260
  mv "$large.tmp" "$large"
fi
(cd "$large" && "$practice" site --out "$work/large-site")

echo "== the Nu HTML checker: every page of both sites, the stylesheet and the icon"
vnu="$here/node_modules/vnu-jar/build/dist/vnu.jar"
pages="$(find "$work/site" "$work/large-site" -name '*.html' | wc -l)"
if ! java -jar "$vnu" --errors-only --skip-non-html --also-check-css --also-check-svg \
  "$work/site" "$work/large-site" "$work/site/style.css" "$work/site/favicon.svg"; then
  echo "check.sh: the Nu HTML checker found errors (above)" >&2
  exit 1
fi
echo "ok   $pages pages, the stylesheet and the icon are valid HTML, CSS and SVG"

echo "== Chromium, headless, from the files"
node "$here/check.mjs" "$work/site" "$work/large-site" "$shots"
