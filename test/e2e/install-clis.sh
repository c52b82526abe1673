#!/usr/bin/env bash
# Installs the pinned Claude Code and Codex CLIs that test/e2e drives, into a cache outside
# the tracked tree: they ship ~800 MB of native binaries, too heavy for every `npm ci`.
# Idempotent: when both pinned versions are already there it returns at once.
# The tests find the binaries in the same folder (DROID2API_E2E_DIR, default below).
set -euo pipefail

CLAUDE_CODE_VERSION=2.1.332
CODEX_VERSION=0.171.0
DIR="${DROID2API_E2E_DIR:-$HOME/.cache/droid2api-e2e}"

version_of() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch { }' \
    "$DIR/node_modules/$1/package.json"
}

# The native binaries come as optional dependencies; the wrappers alone are not enough.
native_present() {
  compgen -G "$DIR/node_modules/@anthropic-ai/claude-code-*/claude" >/dev/null &&
    compgen -G "$DIR/node_modules/@openai/codex-*/vendor/*/bin/codex" >/dev/null
}

if [[ "$(version_of @anthropic-ai/claude-code)" == "$CLAUDE_CODE_VERSION" &&
  "$(version_of @openai/codex)" == "$CODEX_VERSION" ]] && native_present; then
  echo "e2e CLIs already installed in $DIR (claude-code $CLAUDE_CODE_VERSION, codex $CODEX_VERSION)"
  exit 0
fi

mkdir -p "$DIR"
# --ignore-scripts: Claude Code's postinstall only copies its native binary over the
# wrapper stub; the tests run the native binary from its platform package directly.
npm install --prefix "$DIR" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
  --loglevel=error \
  "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" "@openai/codex@$CODEX_VERSION"

native_present || { echo "e2e CLIs: native binaries missing after install in $DIR" >&2; exit 1; }
echo "e2e CLIs installed in $DIR (claude-code $CLAUDE_CODE_VERSION, codex $CODEX_VERSION)"
