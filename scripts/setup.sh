#!/usr/bin/env bash
# Installs everything, builds kvm-lab, and runs it on the bundled example lab.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run build
example=examples/nested-lab
node dist/cli/bin.js render --config "$example/kvm-lab.config.ts"
node dist/cli/bin.js plan --config "$example/kvm-lab.config.ts"
echo "rendered $example/Vagrantfile (the same lab as Vagrantfile.example)"
