import { createServer } from 'node:net';

/** One line for a port the server cannot listen on, or null for any other error (left to throw). */
export function listenProblem(error: unknown, port: number, host: string): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return `Port ${port} on ${host} is already in use (another Variation Atlas, or another program): stop it, or choose a free port with PORT, e.g. PORT=${port === 3000 ? 3001 : 3000} npm start.`;
  }
  if (code === 'EACCES') return `Port ${port} on ${host} needs privileges this user lacks: choose a port above 1023 with PORT, e.g. PORT=3000 npm start.`;
  if (code === 'EADDRNOTAVAIL') return `HOST ${host} is not an address of this machine: set HOST to one that is, e.g. HOST=127.0.0.1.`;
  return null;
}

/** Listens on the port for a moment and lets go: null when the server could listen there, else why not in one line. */
export function portProblem(port: number, host: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      const problem = listenProblem(error, port, host);
      if (problem === null) reject(error);
      else resolve(problem);
    });
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}
