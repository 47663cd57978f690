// @ts-check
// Replaced at build time by scripts/sample-context.sh (dist/sample-context.js).
/** @type {{files: {name: string, base64?: string, text?: string}[]}} */
export const SAMPLE_CONTEXT = { files: [] };
