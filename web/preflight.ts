import { preflightProblems } from './preflight-checks';

/** The checks `npm start` makes before building (web/preflight-checks.ts), on their own: exit code 1 on any problem. */
const problems = await preflightProblems();
for (const problem of problems) console.error(problem);
process.exitCode = problems.length ? 1 : 0;
