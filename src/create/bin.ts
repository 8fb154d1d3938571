#!/usr/bin/env node
// create-kvm-lab: the scaffolder arrives in a later release.
process.stderr.write("create-kvm-lab: not yet available; write a kvm-lab.config.ts by hand (see the kvm-lab README)\n");
process.exitCode = 2;
