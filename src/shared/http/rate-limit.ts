import { TooManyRequestsError } from '../../errors.ts';

// A fixed-window counter per client, in this process's memory. Several
// processes each count on their own, so the limit a client meets is at most
// this many times the number of processes: enough to stop one client from
// walking through NIKs, which is what it is for.
export function createRateLimiter(options: { requestsMax: number; windowSeconds: number; clientsTrackedMax: number }) {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return (client: string, now: number = Date.now()): void => {
    const windowMs = options.windowSeconds * 1000;
    let window = windows.get(client);
    if (window === undefined || now - window.startedAt >= windowMs) {
      if (windows.size >= options.clientsTrackedMax) windows.clear();
      window = { startedAt: now, count: 0 };
      windows.set(client, window);
    }
    window.count += 1;
    if (window.count > options.requestsMax) {
      throw new TooManyRequestsError(Math.ceil((window.startedAt + windowMs - now) / 1000));
    }
  };
}
