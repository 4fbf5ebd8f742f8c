#!/usr/bin/env node
// The `vigie` command: runs the compiled CLI (built by `npm ci` / `npm run build`).
import '../dist/cli/main.js';
