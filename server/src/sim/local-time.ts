/** Helsinki local date and time for HFP's `oday` and `start` (the feed uses local time, UTC in `tst`). */

export interface LocalTime {
  /** `YYYY-MM-DD` local. */
  day(ms: number): string;
  /** `HH:mm` local. */
  hhmm(ms: number): string;
}

export function helsinkiTime(): LocalTime {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Helsinki',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = (ms: number) => {
    const out: Record<string, string> = {};
    for (const p of fmt.formatToParts(ms)) out[p.type] = p.value;
    return out;
  };
  return {
    day(ms) {
      const p = parts(ms);
      return `${p.year}-${p.month}-${p.day}`;
    },
    hhmm(ms) {
      const p = parts(ms);
      return `${p.hour}:${p.minute}`;
    },
  };
}
