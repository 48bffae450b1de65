#!/usr/bin/env node
// Entry point installed as `exstreamtv`: the compiled CLI lives in dist/.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`exstreamtv: ${err?.stack ?? err}`); process.exitCode = 1; },
);
