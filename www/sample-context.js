// @ts-check
// Replaced at build time by scripts/sample-context.sh (dist/sample-context.js).
export const SAMPLE_CONTEXT = { files: [] };
