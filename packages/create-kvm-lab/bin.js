#!/usr/bin/env node
// `npm create kvm-lab` installs this package and runs this file; the scaffolder itself
// lives in kvm-lab (also as its create-kvm-lab bin and `kvm-lab init`).
import { createMain } from "kvm-lab/create";

process.exitCode = await createMain(process.argv.slice(2));
