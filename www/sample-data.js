// @ts-check
// Replaced at build time by scripts/sample-data.mjs (dist/sample-data.js): the sample
// of sample/sample.log.gz as base64, for "Try a sample".
export const SAMPLE_NAME = 'sample.log.gz';
export const SAMPLE_BASE64 = '';
