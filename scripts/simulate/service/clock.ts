import { instantOf } from '../cron.ts';

// The fund's clock during a run: the simulated day and minute, read in the
// fund's time zone (Asia/Jakarta keeps UTC+7 all year). The service's
// today() and every job's `now` come from here, never from the machine.

export const fundTimeZone = 'Asia/Jakarta';
const utcOffsetMinutes = 7 * 60;

export class SimClock {
  private day: string;
  private minute = 0;

  constructor(start: string) {
    this.day = start;
  }

  get today(): string {
    return this.day;
  }

  get now(): Date {
    return instantOf(this.day, this.minute, utcOffsetMinutes);
  }

  get minuteOfDay(): number {
    return this.minute;
  }

  set(day: string, minuteOfDay: number): void {
    this.day = day;
    this.minute = minuteOfDay;
  }
}
