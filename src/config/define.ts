import type { LabConfig } from "./types.js";

/** Types a lab config in the editor; returns it unchanged. */
export function defineLab(config: LabConfig): LabConfig {
  return config;
}
