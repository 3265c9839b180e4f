import { dirname } from 'node:path';
import { writeBuildStamp } from './build-stamp';
import { compileServer, serverBuildFolder } from './server-build';

/**
 * `npm run build:server`: compiles the server's programs into dist/ (web/server-build.ts), whether or not they
 * are current, and stamps dist/ with what it was compiled from, for `npm run serve` to compare (web/build-stamp.ts).
 */
const started = Date.now();
await compileServer();
writeBuildStamp(dirname(serverBuildFolder), serverBuildFolder);
console.log(`Compiled the server into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
