import { compileServer } from './server-build';

/** `npm run build:server`: compiles the server's programs into dist/ (web/server-build.ts), whether or not they are current. */
const started = Date.now();
await compileServer();
console.log(`Compiled the server into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
