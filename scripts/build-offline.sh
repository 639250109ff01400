#!/bin/sh
# Builds the offline form of tsrun for an air-gapped control machine, where `npm ci` has no
# registry: tsrun-<version>-offline.tar.gz with the built CLI, its production node_modules and
# the org-install content. Run it where the checkout's `npm ci` has been done (no network is
# needed here either); unpack the tarball anywhere and run `node tsrun-<version>/bin/tsrun.js`
# (Node.js >= 20.17 is the only requirement). docs/ORG-INSTALL.md, "tsrun itself, offline".
#   scripts/build-offline.sh [OUTPUT_DIR]      (default: ./build)
set -eu
cd "$(dirname "$0")/.."
out=${1:-build}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(node -p "require('./package.json').version")
name="tsrun-$version"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir "$stage/$name"
# Compiled into the tarball's tree, not over this checkout's dist/ (which tests may be running).
npx tsc -p tsconfig.build.json --outDir "$stage/$name/dist"
# The runner, and the content an operator runs with it (local state such as bundle/generated/ stays out).
cp -R bin package.json package-lock.json README.md docs playbooks roles group_vars inventory.ini inventory.example.ini ansible.cfg "$stage/$name/"
# The run log directory (ansible.cfg log_path), without this checkout's own logs.
mkdir "$stage/$name/log" && cp log/.gitignore "$stage/$name/log/"
mkdir "$stage/$name/bundle"
for f in bundle/*; do
  case "$f" in bundle/generated) ;; *) cp -R "$f" "$stage/$name/bundle/" ;; esac
done
# Production dependencies only, from this checkout's node_modules (no registry needed).
cp -R node_modules "$stage/$name/"
(cd "$stage/$name" && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund >/dev/null)
# The bundle and the precompiled schemas, made with the tarball's own dependencies.
node scripts/bundle.mjs "$stage/$name/dist"
tar -C "$stage" -czf "$out/$name-offline.tar.gz" "$name"
sha256sum "$out/$name-offline.tar.gz" | sed "s|$out/||" > "$out/$name-offline.tar.gz.sha256"
echo "$out/$name-offline.tar.gz"
