#!/usr/bin/env node
import { createMain } from "../cli/create.js";

process.exitCode = await createMain(process.argv.slice(2));
