#!/usr/bin/env node
// The `askesos` command. It runs the TypeScript sources directly through tsx,
// so there is no build step between `npm install` and a working CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/app/cli.ts');
