const format = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })

/** A time of day on this browser's clock, in one format for the whole page (timeline, claims). */
export const clockTime = (ms: number) => format.format(ms)
